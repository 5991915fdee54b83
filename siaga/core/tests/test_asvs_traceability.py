"""The ASVS 5.0 traceability file (docs/security/asvs-5.0-l2.csv) names tests that exist (G12).

Each row: requirement, level, status (test / manual / na), references (pytest node ids separated by ";"),
note. A test reference must name a file in the repository and a test function defined in it; N/A and manual
rows must say why.
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TRACE = ROOT / "docs" / "security" / "asvs-5.0-l2.csv"


def _rows() -> list[dict[str, str]]:
    with TRACE.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_referenced_test_exists() -> None:
    missing = []
    for row in _rows():
        if row["status"] != "test":
            continue
        refs = [r for r in row["reference"].split(";") if r]
        assert refs, f"{row['requirement']}: status test without a test"
        for ref in refs:
            path, _, name = ref.partition("::")
            file = ROOT / path
            if not file.is_file() or name not in _tests_in(file):
                missing.append(f"{row['requirement']}: {ref}")
    assert missing == []


def test_rows_are_well_formed() -> None:
    rows = _rows()
    ids = [r["requirement"] for r in rows]
    assert len(ids) == len(set(ids)), "a requirement listed twice"
    for row in rows:
        assert row["level"] in {"L1", "L2", "L3"}, row
        assert row["status"] in {"test", "manual", "na"}, row
        if row["status"] in {"manual", "na"}:
            assert row["note"].strip(), f"{row['requirement']}: say why"
