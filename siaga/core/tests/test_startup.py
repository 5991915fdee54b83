"""Restart to healthy after kill -9 in <= 5 s (issue 15, G3) rests on two things this file keeps true:

- the web application imports no solver stack: OR-Tools (and pandas under it), PyVRP, vrplib and SciPy load
  in the functions that solve, not when gunicorn preloads `siaga.wsgi` (they were seconds of every start);
- `siaga serve` replaces itself with gunicorn without setting Django up first (no second start-up, no system
  checks importing every view).

The figure itself is measured by `bench/restart.py` (docs/security.md), not timed here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOLVERS = ("ortools", "pandas", "pyvrp", "vrplib", "scipy")


def _run(code: str, tmp_path: Path) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "siaga.settings", "SIAGA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_the_web_application_imports_no_solver(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "import siaga.wsgi, siaga.urls\n"  # what gunicorn --preload imports: every URL, view and API module
        "from django.urls import reverse\n"
        "reverse('healthz')\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {SOLVERS!r})))\n"
    )
    assert json.loads(_run(code, tmp_path)) == []


def test_the_solvers_still_load_when_used(tmp_path: Path) -> None:
    # The lazy names resolve to the real functions (not the submodule that shares the name `solve`).
    code = (
        "import json, sys\n"
        "from siaga.optimization import deployment, roster\n"
        "from siaga.optimization.roster import solve as roster_solve\n"
        "from siaga.optimization.deployment import replan\n"
        "print(json.dumps([callable(roster.solve), roster.solve is roster_solve, callable(roster.diagnose),\n"
        "  roster.Status.OPTIMAL == 'OPTIMAL', callable(deployment.solve), deployment.replan is replan and callable(replan),\n"
        "  'ortools' in sys.modules]))\n"
    )
    assert json.loads(_run(code, tmp_path)) == [True, True, True, True, True, True, True]


def test_siaga_serve_execs_gunicorn_before_django_starts(tmp_path: Path) -> None:
    code = (
        "import json, os, sys\n"
        "def fake_execv(path, argv):\n"
        "    import django.apps\n"
        "    print(json.dumps({'ready': django.apps.apps.ready, 'argv': argv, 'loaded': 'siaga.urls' in sys.modules}))\n"
        "    raise SystemExit(0)\n"
        "os.execv = fake_execv\n"
        "from siaga.cli import main\n"
        "main(['serve', '--port', '8199', '--workers', '3'])\n"
    )
    seen = json.loads(_run(code, tmp_path))
    assert seen["ready"] is False and seen["loaded"] is False
    argv = seen["argv"]
    assert argv[0].endswith("gunicorn") and "siaga.wsgi:application" in argv
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8199" and argv[argv.index("--workers") + 1] == "3"
    assert "--preload" in argv
