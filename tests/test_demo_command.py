"""`siaga demo` end to end on a new SQLite database: loads Jember, prints the accounts, serves, then stops."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_siaga_demo_serves_the_jember_demo(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(SIAGA_DATA_DIR=str(tmp_path), PORT=str(port), SIAGA_DEMO_PASSWORD="uji-demo-sandi-123")
    siaga = str(Path(sys.executable).parent / "siaga")
    proc = subprocess.Popen(
        [siaga, "demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.load(r)
                    break
            except OSError:
                time.sleep(0.5)
        assert health == {"status": "ok", "database": True}
        # Log in through the API with a demo token and count what the acceptance lines name.
        token = subprocess.run(
            [siaga, "token", "kabagops"],
            env={**env, "SIAGA_DEMO_MODE": "true"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

        def count(path: str) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}
            )
            with urllib.request.urlopen(request, timeout=10) as r:
                return int(json.load(r)["count"])

        assert count("/api/v1/kecamatan") == 31
        assert count("/api/v1/desa") == 248
        assert count("/api/v1/tps?election=pemilu-2024") == 7706
        assert count("/api/v1/tps?election=pilkada-2024") == 4046
        # A live demo: its calendar is placed so that Pemilu voting day is 3 days ahead (SIAGA_DEMO_VOTING_IN_DAYS).
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/elections/pemilu-2024/today",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as r:
            today = json.load(r)
        assert (today["h_offset"], today["h_label"], today["stage"]) == (-3, "H-3", "masa-tenang")
        assert today["operation"] == "mantap-brata-2023"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    assert "kabagops" in out and "polsek.tempurejo" in out and "mitra.kpu" in out
    assert "uji-demo-sandi-123" in out
    assert f"http://127.0.0.1:{port}/" in out
