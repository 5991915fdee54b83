"""A throwaway PostgreSQL cluster for benchmarks: initdb in a temp dir, a unix socket only, removed on stop.

    with Cluster() as cluster:              # or cluster.start() ... cluster.stop()
        env = django_env(cluster)           # DATABASE_URL and quiet production-like settings
        subprocess.run([PYTHON, "manage.py", "migrate"], env=env, cwd=ROOT, check=True)

Durable by default (fsync, full_page_writes and synchronous_commit on), as for acknowledged writes. Run as
root, initdb and pg_ctl go through `runuser -u postgres` (initdb refuses to run as root).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


def pg_bin() -> Path:
    """The bin directory of the newest installed PostgreSQL (Debian layout)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".")]
    )
    if not candidates:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql)")
    return candidates[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A durable throwaway PostgreSQL cluster in a temp dir, listening on a unix socket only."""

    def __init__(self, *, shared_buffers: str = "256MB", max_connections: int = 200) -> None:
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="siaga-bench-pg."))
        # The port only names the socket file (listen_addresses is empty); free_port avoids a clash with a
        # cluster another session runs on the same machine.
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.shared_buffers = shared_buffers
        self.max_connections = max_connections

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def run(self, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)  # type: ignore[call-overload]

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self.run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "siaga", "-E", "UTF8")
        opts = (
            f"-p {self.port} -k {self.dir} -c listen_addresses='' -c max_connections={self.max_connections} "
            f"-c shared_buffers={self.shared_buffers} -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
        )
        self.run(
            "pg_ctl", "-D", str(self.dir / "data"), "-w", "-l", str(self.dir / "log"), "-o", opts, "start"
        )
        self.run("createdb", "-h", str(self.dir), "-p", str(self.port), "-U", "siaga", "siaga")

    @property
    def url(self) -> str:
        return f"postgres://siaga@/siaga?host={self.dir}&port={self.port}"

    def psql(self, sql: str) -> str:
        return self.run(
            "psql", "-h", str(self.dir), "-p", str(self.port), "-U", "siaga", "-d", "siaga", "-tAc", sql
        ).stdout.strip()

    def pgbench(self, seconds: int, clients: int) -> float:
        """Single-row INSERTs of a ~120-byte JSON row: the durable-write baseline, in transactions per second."""
        self.psql(
            "CREATE TABLE IF NOT EXISTS bench_rows (id bigserial primary key, body jsonb not null, at timestamptz default now())"
        )
        row = json.dumps({"category": "money_politics", "description": "x" * 60, "lat": -8.17, "lng": 113.7})
        script = self.dir / "insert.sql"
        script.write_text(f"INSERT INTO bench_rows (body) VALUES ('{row}');\n")
        if self.as_root:
            shutil.chown(script, "postgres")
        out = self.run(
            "pgbench",
            "-n",
            "-f",
            str(script),
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            "-h",
            str(self.dir),
            "-p",
            str(self.port),
            "-U",
            "siaga",
            "siaga",
        ).stdout
        for line in out.splitlines():
            if line.startswith("tps = "):
                return float(line.split()[2])
        raise RuntimeError(out)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def django_env(cluster: Cluster, **extra: str) -> dict[str, str]:
    """The environment for Siaga processes (manage.py, gunicorn, workers) on this cluster; `extra` overrides."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=cluster.url,
        DJANGO_SETTINGS_MODULE="siaga.settings",
        SIAGA_DB_CONN_MAX_AGE="600",
        SIAGA_LOG_LEVEL="WARNING",
        SIAGA_DEBUG="false",
        SIAGA_DATA_DIR=str(cluster.dir / "var"),
    )
    env.update(extra)
    return env
