"""A database outage (G4/G5): the real server (gunicorn, production WSGI module) in front of a throwaway
PostgreSQL that is stopped, then started again; and in front of an address that never answers. The API answers
503 + Retry-After in the JSON error shape, pages answer a 503 page, /healthz says why, nothing hangs, and the
service is healthy again within seconds of the database coming back."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PGBIN = max(Path("/usr/lib/postgresql").glob("*/bin"), default=None, key=lambda p: p.parent.name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class Cluster:
    data: Path
    socket_dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://siaga@/postgres?host={self.socket_dir}&port={self.port}"

    def pg_ctl(self, *args: str) -> None:
        assert PGBIN is not None
        subprocess.run(
            as_postgres([str(PGBIN / "pg_ctl"), "-D", str(self.data), *args]), check=True, capture_output=True
        )

    def start(self) -> None:
        self.pg_ctl(
            "-w", "-l", str(self.socket_dir / "log"), "-o",
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses='' -c fsync=off", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    assert PGBIN is not None, "PostgreSQL is not installed (scripts/bootstrap.sh test installs it)"
    tmp = Path(tempfile.mkdtemp(prefix="siaga-outage-"))
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
    c = Cluster(tmp / "data", tmp, free_port())
    subprocess.run(
        as_postgres([str(PGBIN / "initdb"), "-D", str(c.data), "-A", "trust", "-U", "siaga", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    c.start()
    try:
        yield c
    finally:
        subprocess.run(
            as_postgres([str(PGBIN / "pg_ctl"), "-D", str(c.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> dict[str, object]:
        return dict(json.loads(self.body))


class Server:
    def __init__(self, database_url: str, tmp: Path):
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "siaga.settings",
            "SIAGA_DATA_DIR": str(tmp),
            "SIAGA_DB_CONNECT_TIMEOUT_S": "2",
            "SIAGA_DB_STATEMENT_TIMEOUT_MS": "3000",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--threads", "4", "--timeout", "60", "siaga.wsgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120  # the worker imports every module before its first answer
        while time.monotonic() < deadline:
            try:
                self.request("/healthz", timeout=5)
                return
            except OSError:
                time.sleep(0.5)
        raise AssertionError("gunicorn did not start")

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        body: bytes | None = None,
        timeout: float = 20,
        **headers: str,
    ) -> Answer:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body, method=method, headers=headers
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - our own http URL
                return Answer(resp.status, dict(resp.headers), resp.read(), time.monotonic() - started)
        except urllib.error.HTTPError as err:
            return Answer(err.code, dict(err.headers), err.read(), time.monotonic() - started)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def assert_api_unavailable(answer: Answer) -> None:
    assert answer.status == 503, answer.body
    assert answer.headers["Content-Type"].startswith("application/json")
    assert int(answer.headers["Retry-After"]) > 0
    assert set(answer.json()) == {"message", "code", "fields"}
    assert answer.json()["code"] == "unavailable"
    assert answer.seconds < 10


def outage_answers(server: Server) -> None:
    health = server.request("/healthz")
    assert health.status == 503 and health.json()["database"] is False
    assert str(health.json()["reason"]).startswith("database_unreachable")
    assert "Retry-After" in health.headers
    # A caller with a token: authentication itself needs the database.
    assert_api_unavailable(
        server.request("/api/v1/tps", Authorization="Bearer not-checked-before-the-database")
    )
    assert_api_unavailable(
        server.request(
            "/api/v1/incidents", method="POST", body=b"{}",
            **{"Content-Type": "application/json", "Authorization": "Bearer x", "Idempotency-Key": "outage-0001"},
        )
    )  # fmt: skip
    page = server.request("/", Cookie="sessionid=abcdefghijklmnopqrstuvwxyz012345")
    assert page.status == 503 and page.headers["Content-Type"].startswith("text/html")
    assert "Retry-After" in page.headers and page.seconds < 10
    missing = server.request("/api/v1/no-such-route")
    assert missing.status == 404 and set(missing.json()) == {"message", "code", "fields"}


@pytest.mark.slow
def test_stopped_postgresql_gives_503_and_recovers(cluster: Cluster, tmp_path: Path) -> None:
    server = Server(cluster.url, tmp_path)
    try:
        assert server.request("/healthz").json() == {"status": "ok", "database": True}
        cluster.stop()
        outage_answers(server)
        cluster.start()
        deadline = time.monotonic() + 10
        while server.request("/healthz").status != 200:
            assert time.monotonic() < deadline, "not healthy 10 s after the database came back"
            time.sleep(0.2)
    finally:
        server.close()


@pytest.mark.slow
def test_database_that_never_answers_fails_fast(tmp_path: Path) -> None:
    # A socket that the kernel accepts connections on but nobody ever answers: a black-holed database.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        server = Server(f"postgres://siaga@127.0.0.1:{silent.getsockname()[1]}/postgres", tmp_path)
        try:
            outage_answers(server)
        finally:
            server.close()
