"""Restart to healthy after `kill -9` of the web server (G3; issue 15: 22-42 s measured, goal <= 5 s).

Starts `siaga serve` (gunicorn) on a throwaway SQLite data directory, waits for /healthz, then N times: SIGKILL
the whole server (master and workers), start it again, and time until /healthz answers 200. Prints each figure
and the worst. Run: `.venv/bin/python bench/restart.py [--trials 3] [--port 8147]`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIAGA = str(Path(sys.executable).with_name("siaga"))


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def start(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [SIAGA, "serve", "--port", str(port), "--workers", "2", "--threads", "8"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_healthy(port: int, limit_s: float = 120) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        if healthy(port):
            return time.monotonic() - t0
        time.sleep(0.05)
    raise SystemExit(f"not healthy within {limit_s} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--port", type=int, default=8147)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="siaga-restart-")
    env = {**os.environ, "SIAGA_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "siaga.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run([SIAGA, "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    server = start(args.port, env)
    print(f"first start: healthy after {wait_healthy(args.port):.2f} s")
    figures = []
    for trial in range(1, args.trials + 1):
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        while healthy(args.port):
            time.sleep(0.05)
        t0 = time.monotonic()
        server = start(args.port, env)
        wait_healthy(args.port)
        figures.append(time.monotonic() - t0)
        print(f"trial {trial}: kill -9 -> healthy in {figures[-1]:.2f} s")
    os.killpg(server.pid, signal.SIGKILL)
    print(f"worst {max(figures):.2f} s over {len(figures)} trials (goal <= 5 s)")


if __name__ == "__main__":
    main()
