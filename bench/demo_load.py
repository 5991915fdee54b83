"""How long the Jember demo takes to load, app by app, on a fresh SQLite database (or DATABASE_URL).

    .venv/bin/python bench/demo_load.py [--data-dir DIR]

Prints one JSON object per app (`{"app", "seconds"}`) and a total. These figures used to be wall-clock asserts
in the personnel and patrols demo tests (30 s and 20 s), which measured the machine as much as the code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="where the SQLite file goes (default: a new temporary folder)")
    args = parser.parse_args(argv)
    os.environ["SIAGA_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="siaga-bench-demo-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")

    import django

    django.setup()
    from django.core.management import call_command

    from siaga.core.demo import demo_loaders
    from siaga.territory.models import Kecamatan

    call_command("migrate", interactive=False, verbosity=0)
    if Kecamatan.objects.exists():
        parser.error("the database is not empty: the demo loads only into an empty one")
    total = 0.0
    for label, loader in demo_loaders():
        started = time.perf_counter()
        loader(report=lambda percent, message="": None)
        seconds = time.perf_counter() - started
        total += seconds
        print(json.dumps({"app": label, "seconds": round(seconds, 2)}), flush=True)
    print(json.dumps({"app": "total", "seconds": round(total, 2)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
