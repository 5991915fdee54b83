"""Import limits (issue 21 item 8): a file past the size or row limit is refused before it is parsed whole, and an
import with very many bad rows stores the first errors and a count, not megabytes of text."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from siaga.core import jobs, tabular
from siaga.core.errors import ImportRejected, RowError
from siaga.core.models import Job


class CountingReader(io.BytesIO):
    """An upload that records how much was read from it."""

    read_total = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.read_total += len(data)
        return data


def test_file_above_the_byte_limit_is_refused_without_reading_it_all(settings: Any) -> None:
    settings.SIAGA_IMPORT_MAX_BYTES = 10_000
    upload = CountingReader(b"kode,nama\n" + b"a,b\n" * 100_000)
    with pytest.raises(tabular.ImportTooLarge) as exc:
        tabular.read_table(upload, filename="besar.csv")
    assert exc.value.status == 413 and "MB" in exc.value.message
    assert upload.read_total <= 10_001


def test_rows_above_the_row_limit_are_refused_for_csv_and_xlsx(settings: Any) -> None:
    settings.SIAGA_IMPORT_MAX_ROWS = 50
    csv = io.BytesIO(b"kode,nama\n" + b"a,b\n" * 51)
    with pytest.raises(tabular.ImportTooLarge):
        tabular.read_table(csv, filename="x.csv")
    wb = Workbook()
    ws = wb.active
    ws.append(["kode", "nama"])
    for i in range(51):
        ws.append([f"k{i}", "n"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    with pytest.raises(tabular.ImportTooLarge):
        tabular.read_table(out, filename="x.xlsx")
    assert len(tabular.read_table(io.BytesIO(b"kode,nama\n" + b"a,b\n" * 50), filename="ok.csv")[1]) == 50


def test_many_bad_rows_store_the_first_errors_and_a_count() -> None:
    rows = [
        RowError(i, "nilai tidak sah / invalid value " + "x" * 200, column="kode") for i in range(2, 100_002)
    ]
    exc = ImportRejected("Impor ditolak / Import rejected", rows)
    assert len(exc.fields["rows"]) == ImportRejected.MAX_REPORTED
    assert exc.fields["rows_total"] == ["100000"] and "100000" in exc.message


@pytest.mark.django_db
def test_a_rejected_import_job_row_stays_small() -> None:
    job = Job.objects.create(kind="test.import", title="uji")

    def work(job: Job, report: Any) -> None:
        raise ImportRejected(
            "Impor ditolak / Import rejected", [RowError(i, "y" * 500) for i in range(2, 50_002)]
        )

    jobs.run_job(job.pk, work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert len(job.log) <= 50_000
    assert len(str(job.result)) < 200_000
