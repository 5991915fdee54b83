"""Public-report intake under load against PostgreSQL, with a pgbench single-row insert baseline in the same run.

One command, starts everything it needs and removes it afterwards:

    .venv/bin/python bench/intake.py [--seconds 60] [--connections 48] [--workers 3] [--threads 8]

1. a throwaway PostgreSQL cluster (initdb in a temp dir; as the postgres user via runuser when run as root),
   durable: fsync, full_page_writes and synchronous_commit all on, as for acknowledged reports;
2. migrations and the Jember territory (so reports are placed in their kecamatan and desa);
3. pgbench: single-row INSERTs of a ~120-byte JSON row, 8 clients, for the baseline;
4. gunicorn serving siaga on 127.0.0.1 with DATABASE_URL pointing at the cluster;
5. a load generator (asyncio, keep-alive HTTP/1.1, loopback only, bounded in connections and time) posting
   `POST /api/v1/public/reports` with a fresh Idempotency-Key each, from 4,096 simulated client addresses
   (X-Forwarded-For behind a trusted proxy, so the per-client rate limit is exercised but not hit);
6. a check that every acknowledged report is stored exactly once.

Prints JSON: reports_per_s, p50_ms, p99_ms, errors, pgbench_inserts_per_s, ratio, acked, stored, ...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
MAX_SECONDS = 600
MAX_CONNECTIONS = 256
CATEGORIES = [
    "money_politics",
    "intimidation",
    "logistics",
    "hoax_sara",
    "police_neutrality",
    "crime",
    "other",
    "violence",
]
WEIGHTS = [25, 10, 15, 13, 5, 15, 10, 7]
TEXTS = [
    "Warga melihat pembagian amplop berisi uang di dekat balai desa menjelang pencoblosan",
    "Kotak suara di TPS basah karena atap bocor, petugas meminta bantuan",
    "Pesan berantai berisi hoaks tentang penundaan pemungutan suara beredar di grup warga",
    "Sekelompok orang tak dikenal mendatangi rumah saksi dan mengancam",
]
# Points inside Jember (kabupaten 35.09), spread over several kecamatan.
POINTS = [
    (-8.17, 113.70),
    (-8.26, 113.62),
    (-8.41, 113.76),
    (-8.05, 113.58),
    (-8.30, 113.50),
    (-8.20, 113.85),
]


def pg_bin() -> Path:
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

    def __init__(self) -> None:
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="siaga-bench-pg."))
        self.port = free_port()
        self.as_root = os.geteuid() == 0

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
            f"-p {self.port} -k {self.dir} -c listen_addresses='' -c max_connections=200 -c shared_buffers=256MB "
            "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
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


def django_env(cluster: Cluster) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=cluster.url,
        DJANGO_SETTINGS_MODULE="siaga.settings",
        SIAGA_DB_CONN_MAX_AGE="600",
        SIAGA_TRUST_X_FORWARDED_FOR="true",
        SIAGA_LOG_LEVEL="WARNING",
        SIAGA_DEBUG="false",
        SIAGA_DATA_DIR=str(cluster.dir / "var"),
    )
    return env


def prepare_database(env: dict[str, str]) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    code = "from siaga.territory.demo import load_demo; load_demo(report=lambda p, m='': None)"
    subprocess.run([str(PYTHON), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            str(GUNICORN),
            "siaga.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
            "--backlog",
            "512",
            "--preload",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def request_bytes(port: int, rng: random.Random) -> bytes:
    lat, lng = rng.choice(POINTS)
    body = json.dumps(
        {
            "category": rng.choices(CATEGORIES, WEIGHTS)[0],
            "description": rng.choice(TEXTS),
            "occurred_at": "2024-02-14T09:30:00+07:00",
            "lat": round(lat + rng.uniform(-0.02, 0.02), 6),
            "lng": round(lng + rng.uniform(-0.02, 0.02), 6),
        }
    ).encode()
    ip = f"10.{rng.randrange(16)}.{rng.randrange(16)}.{rng.randrange(1, 17)}"
    head = (
        f"POST /api/v1/public/reports HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Idempotency-Key: {uuid.uuid4()}\r\nX-Forwarded-For: {ip}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    return status, body


async def client(
    port: int, stop_at: float, seed: int, latencies: list[float], errors: list[str], receipts: list[str]
) -> None:
    rng = random.Random(seed)
    reader = writer = None
    while time.monotonic() < stop_at:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            payload = request_bytes(port, rng)
            started = time.perf_counter()
            writer.write(payload)
            status, body = await asyncio.wait_for(read_response(reader), timeout=30)  # type: ignore[arg-type]
            elapsed = time.perf_counter() - started
            if status == 201:
                latencies.append(elapsed)
                receipts.append(json.loads(body)["receipt"])
            else:
                errors.append(f"{status}: {body[:120]!r}")
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            errors.append(type(exc).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def load(
    port: int, seconds: float, connections: int
) -> tuple[list[float], list[str], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    receipts: list[str] = []
    started = time.monotonic()
    stop_at = started + seconds
    await asyncio.gather(*(client(port, stop_at, i, latencies, errors, receipts) for i in range(connections)))
    return latencies, errors, receipts, time.monotonic() - started


CLK_TCK = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, int, int]]:
    """pid -> (parent pid, process group, CPU ticks used so far: user + system) for every live process."""
    table: dict[int, tuple[int, int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[2]), int(fields[11]) + int(fields[12]))
    return table


def cpu_seconds(gunicorn_pgid: int, postmaster: int) -> dict[str, float]:
    """CPU seconds used so far by the web server (its process group) and by PostgreSQL (postmaster + children).

    Sampled before and after the load, the difference per acknowledged report says where the CPU goes, which
    stays meaningful when the machine is shared (throughput alone does not).
    """
    table = _proc_table()
    web = sum(ticks for _ppid, pgid, ticks in table.values() if pgid == gunicorn_pgid)
    db = sum(ticks for pid, (ppid, _pgid, ticks) in table.items() if postmaster in (pid, ppid))
    own = time.process_time()
    return {"web": web / CLK_TCK, "db": db / CLK_TCK, "load": own}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60, help="load duration (default 60, max 600)")
    parser.add_argument(
        "--connections", type=int, default=48, help="concurrent keep-alive connections (max 256)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--pgbench-clients", type=int, default=8)
    parser.add_argument("--verbose", action="store_true", help="print phase timings to stderr")
    args = parser.parse_args()
    seconds = min(max(args.seconds, 1.0), MAX_SECONDS)
    connections = min(max(args.connections, 1), MAX_CONNECTIONS)

    cluster = Cluster()
    gunicorn: subprocess.Popen[bytes] | None = None
    try:
        t0 = time.monotonic()

        def phase(name: str) -> None:
            if args.verbose:
                print(f"[{time.monotonic() - t0:6.1f}s] {name}", file=sys.stderr)

        cluster.start()
        phase("cluster started")
        env = django_env(cluster)
        prepare_database(env)
        phase("migrated, territory loaded")
        baseline = cluster.pgbench(min(args.pgbench_seconds, int(seconds) + 1), args.pgbench_clients)
        phase(f"pgbench {baseline:.0f}/s")
        port = free_port()
        gunicorn = start_gunicorn(env, port, args.workers, args.threads)
        phase("gunicorn up")
        # Warm-up: every worker loads the kecamatan boundaries once; not counted.
        asyncio.run(load(port, 3, connections))
        warm = int(cluster.psql("SELECT count(*) FROM incidents_incident"))
        postmaster = int((cluster.dir / "data" / "postmaster.pid").read_text().split()[0])
        cpu_before = cpu_seconds(gunicorn.pid, postmaster)
        latencies, errors, receipts, elapsed = asyncio.run(load(port, seconds, connections))
        cpu_after = cpu_seconds(gunicorn.pid, postmaster)
        stored = int(cluster.psql("SELECT count(*) FROM incidents_incident")) - warm
        distinct = len(set(receipts))
        rate = len(latencies) / elapsed
        result = {
            "reports_per_s": round(rate, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
            "errors": len(errors),
            "pgbench_inserts_per_s": round(baseline, 1),
            "ratio": round(rate / baseline, 3) if baseline else None,
            "acked": len(latencies),
            "stored": stored,
            "acked_all_stored_once": distinct == len(receipts) and stored >= len(receipts),
            "seconds": round(elapsed, 1),
            # CPU milliseconds per acknowledged report, per component (2 cores = 2,000 CPU ms per second).
            "cpu_ms_per_report": {
                k: round((cpu_after[k] - cpu_before[k]) * 1000 / max(1, len(latencies)), 2) for k in cpu_after
            },
            "connections": connections,
            "gunicorn": f"{args.workers} workers x {args.threads} threads",
            "durable": "fsync=on synchronous_commit=on",
            "error_samples": sorted(set(errors))[:5],
        }
        print(json.dumps(result, indent=2))
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        cluster.stop()


if __name__ == "__main__":
    main()
