"""The long Schemathesis run of `make reliability` (G9; issue 15): at least 10,000 generated requests per role.

    .venv/bin/python bench/fuzz_long.py [--examples 250] [--roles kabagops polsek_tempurejo] [--workers 1]

Starts a throwaway PostgreSQL cluster (the fuzz test runs on PostgreSQL, as in `make test`), runs
`siaga/api/tests/test_fuzz.py` for the given roles with `--examples` examples per operation, and counts the
requests actually sent per role (Hypothesis stops early on operations with few distinct inputs, so examples x
operations is only an upper bound). Prints JSON: requests per role, failures, minutes; exit 1 on any failure or
on fewer than `--min-requests` requests for a role.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pgcluster import PYTHON, ROOT, Cluster


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=250, help="examples per operation (default 250)")
    parser.add_argument("--roles", nargs="+", default=["kabagops", "polsek_tempurejo"])
    parser.add_argument("--workers", type=int, default=1, help="pytest-xdist workers (default 1)")
    parser.add_argument("--min-requests", type=int, default=10_000, help="per role (default 10,000)")
    parser.add_argument("--out", type=Path, help="also write the JSON summary to this file")
    args = parser.parse_args()
    report = Path(tempfile.mkstemp(prefix="siaga-fuzz-", suffix=".tsv")[1])
    started = time.monotonic()
    with Cluster(shared_buffers="128MB") as cluster:
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "SIAGA_FUZZ_EXAMPLES": str(args.examples),
            "SIAGA_FUZZ_REPORT": str(report),
            "SIAGA_FUZZ_AUTH_PROBES": "-1",  # every check on every request
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        }
        selector = " or ".join(args.roles)  # role names appear only in the test ids' role part
        command = [str(PYTHON), "-m", "pytest", "-p", "no:cacheprovider", "-q", "-m", "fuzz", "-k", selector]
        if args.workers > 1:
            command += ["-n", str(args.workers)]
        done = subprocess.run([*command, "siaga/api/tests/test_fuzz.py"], cwd=ROOT, env=env, check=False)
    per_role: Counter[str] = Counter()
    operations: Counter[str] = Counter()
    for line in report.read_text(encoding="utf-8").splitlines():
        role, _label, sent = line.split("\t")
        per_role[role] += int(sent)
        operations[role] += 1
    report.unlink()
    result = {
        "examples_per_operation": args.examples,
        "requests_per_role": dict(per_role),
        "operations_per_role": dict(operations),
        "pytest_exit": done.returncode,
        "failures": "none" if done.returncode == 0 else "see the pytest output above",
        "minutes": round((time.monotonic() - started) / 60, 1),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    enough = all(per_role[role] >= args.min_requests for role in args.roles)
    sys.exit(0 if done.returncode == 0 and enough else 1)


if __name__ == "__main__":
    main()
