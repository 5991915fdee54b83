"""`siaga bench routing`: one JSON object per VRPLIB instance with its gap to the best-known solution."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

# The benchmark instances ship with the repository (bench/data/PROVENANCE.md).
CVRP = Path(__file__).resolve().parents[3] / "bench" / "data" / "cvrp"


def test_bench_routing_prints_one_json_object_per_instance() -> None:
    out = StringIO()
    call_command(
        "bench_routing",
        str(CVRP / "X-n101-k25.vrp"),
        "--time-limit",
        "0.5",
        "--seeds",
        "1",
        "--json",
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert row["instance"] == "X-n101-k25" and row["bks"] == 27591
    assert (
        row["mean_cost"] >= row["bks"]
        and row["mean_gap_pct"] >= 0
        and row["worst_gap_pct"] >= row["mean_gap_pct"]
    )
