"""`siaga bench roster-curtois FILE --time-limit S --json` prints the benchmark figures; Instance1 reaches 607."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

# The benchmark instance ships with the repository (bench/data/PROVENANCE.md).
INSTANCE1 = Path(__file__).resolve().parents[3] / "bench" / "data" / "roster" / "Instance1.txt"


def test_curtois_instance1_reaches_the_published_optimum() -> None:
    out = StringIO()
    call_command("bench_roster_curtois", str(INSTANCE1), "--time-limit", "30", "--json", stdout=out)
    row = json.loads(out.getvalue())
    assert set(row) == {"instance", "objective", "status", "seconds"}
    assert row["instance"] == "Instance1" and row["objective"] == 607 and row["status"] == "OPTIMAL"
