"""Assessments propose a category; the import is all-or-nothing and runs as a job."""

from __future__ import annotations

import io
from typing import Any

import pytest

from siaga.core.errors import ImportRejected
from siaga.core.models import Job
from siaga.operations import services
from siaga.operations.models import IndicatorSet, TpsAssessment, TpsCategory
from siaga.sites.models import Tps


@pytest.mark.django_db
def test_indicator_sets_have_the_published_shape(ops_demo: None) -> None:
    def shape(slug: str) -> tuple[int, int]:
        s = IndicatorSet.objects.get(slug=slug)
        return len(set(s.indicators.values_list("variable_code", flat=True))), s.indicators.count()

    assert shape("bawaslu-tps-rawan-pemilu-2024") == (7, 22)
    assert shape("bawaslu-tps-rawan-pilkada-2024") == (8, 25)


@pytest.mark.django_db
def test_assessment_proposes_the_most_severe_suggested_category(
    ops_demo: None, pemilu: Any, kabagops: Any
) -> None:
    import datetime as dt

    tps = Tps.objects.filter(election=pemilu).first()
    polri = IndicatorSet.objects.get(slug="polri-kriteria-kategori-tps")
    a = services.record_assessment(
        actor=kabagops,
        tps=tps,
        indicator_set=polri,
        values={"POL-R1": 1, "POL-S2": 1},
        assessed_on=dt.date(2024, 2, 1),
    )
    assert a.proposed_category.code == "sangat_rawan"
    assert "POL-S2" in a.explanation
    # Proposing does not decide.
    assert TpsCategory.objects.get(tps=tps).category.code == "kurang_rawan"


def csv_file(lines: list[str]) -> io.BytesIO:
    f = io.BytesIO("\n".join(lines).encode())
    f.name = "penilaian.csv"
    return f


@pytest.mark.django_db
def test_import_with_bad_rows_reports_each_and_changes_nothing(
    ops_demo: None, pemilu: Any, kabagops: Any
) -> None:
    good = Tps.objects.filter(election=pemilu).order_by("id")[0]
    before_assessments = TpsAssessment.objects.count()
    before_categories = dict(TpsCategory.objects.filter(election=pemilu).values_list("tps_id", "category_id"))
    lines = [
        "kode_tps,tanggal,set_indikator,B24-05,kategori_final,dasar_penetapan",
        f"{good.code},2024-02-05,bawaslu-tps-rawan-pemilu-2024,1,rawan,Riwayat kekerasan",
        "9999999999999,2024-02-05,bawaslu-tps-rawan-pemilu-2024,0,,",
        f"{good.code},bukan-tanggal,bawaslu-tps-rawan-pemilu-2024,0,,",
        f"{good.code},2024-02-06,bawaslu-tps-rawan-pemilu-2024,x,,",
        f"{good.code},2024-02-07,bawaslu-tps-rawan-pemilu-2024,0,rawan,",
    ]
    with pytest.raises(ImportRejected) as exc:
        services.import_assessments(election=pemilu, source=csv_file(lines), actor=kabagops)
    assert [r.row for r in exc.value.rows] == [3, 4, 5, 6]
    assert [r.column for r in exc.value.rows] == ["kode_tps", "tanggal", "B24-05", "dasar_penetapan"]
    assert TpsAssessment.objects.count() == before_assessments
    assert (
        dict(TpsCategory.objects.filter(election=pemilu).values_list("tps_id", "category_id"))
        == before_categories
    )


@pytest.mark.django_db
def test_good_import_runs_as_a_job_and_reimport_changes_nothing(
    ops_demo: None,
    pemilu: Any,
    kabagops: Any,
    tmp_path: Any,
    run_tasks: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    t1, t2 = Tps.objects.filter(election=pemilu).exclude(desa__name="Andongrejo").order_by("id")[:2]
    path = tmp_path / "penilaian.csv"
    path.write_text(
        "\n".join(
            [
                "kode_tps,tanggal,set_indikator,B24-05,B24-15,kategori_final,dasar_penetapan",
                f"{t1.code},2024-02-05,bawaslu-tps-rawan-pemilu-2024,1,1,rawan,Riwayat kekerasan 2019",
                f"{t2.code},2024-02-05,bawaslu-tps-rawan-pemilu-2024,0,0,,",
            ]
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_assessment_import(actor=kabagops, election=pemilu, path=str(path))
    run_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert job.result["created"] == 2 and job.result["decided"] == 1
    assert TpsCategory.objects.get(tps=t1).category.code == "rawan"
    again = services.import_assessments(election=pemilu, source=str(path), actor=kabagops)
    assert (again["created"], again["updated"], again["unchanged"], again["decided"]) == (0, 0, 2, 0)
