"""Public-report intake under load against PostgreSQL, with a pgbench single-row insert baseline in the same run.

One command, starts everything it needs and removes it afterwards:

    .venv/bin/python bench/intake.py [--seconds 60] [--rate 300] [--workers 2] [--threads 32]
    .venv/bin/python bench/intake.py --rate 0 [--connections 48]     # closed loop: saturation throughput

1. a throwaway PostgreSQL cluster (initdb in a temp dir; as the postgres user via runuser when run as root),
   durable: fsync, full_page_writes and synchronous_commit all on, as for acknowledged reports;
2. migrations and the Jember territory (so reports are placed in their kecamatan and desa);
3. pgbench: single-row INSERTs of a ~120-byte JSON row, 8 clients, for the baseline;
4. `siaga serve` (gunicorn, as in production, access log included) on 127.0.0.1 with DATABASE_URL pointing at
   the cluster;
5. a load generator (asyncio, keep-alive HTTP/1.1, loopback only, bounded in connections and time) posting
   `POST /api/v1/public/reports` with a fresh Idempotency-Key each. By default it is open loop: it offers
   `--rate` reports per second with Poisson arrivals whatever the server does, and measures each latency from
   the report's scheduled time, so falling behind shows in p99. `--rate 0` runs `--connections` clients back
   to back instead (closed loop), which measures the saturation throughput. Reports come from 65,536 simulated
   client addresses
   (X-Forwarded-For behind a trusted proxy, so the per-client rate limit is exercised but not hit);
6. a check that every acknowledged report is stored exactly once.

Prints JSON: reports_per_s, p50_ms, p99_ms, errors, pgbench_inserts_per_s, ratio, acked, stored,
cpu_ms_per_report (web server, PostgreSQL, load generator: where the 2 cores go), ...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pgcluster
from pgcluster import PYTHON, ROOT, Cluster, free_port

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


def django_env(cluster: Cluster) -> dict[str, str]:
    return pgcluster.django_env(cluster, SIAGA_TRUST_X_FORWARDED_FOR="true")


def prepare_database(env: dict[str, str]) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    code = "from siaga.territory.demo import load_demo; load_demo(report=lambda p, m='': None)"
    subprocess.run([str(PYTHON), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """The production entry point, `siaga serve` (gunicorn, access log included), on a loopback port."""
    proc = subprocess.Popen(
        [
            str(PYTHON),
            "manage.py",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
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
    ip = f"10.{rng.randrange(16)}.{rng.randrange(256)}.{rng.randrange(1, 17)}"
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


# Open-loop latencies per 10-second window of scheduled time: "sustained" means the last window is no worse.
WINDOWS: dict[int, list[float]] = {}


async def open_loop(
    port: int, seconds: float, rate: float, max_connections: int, seed: int = 0
) -> tuple[list[float], list[str], list[str], float]:
    """Offer `rate` reports per second for `seconds` (random arrivals, as from many independent citizens),
    whatever the server does. Latency runs from each report's *scheduled* time, so a server that falls behind
    shows it in p99 instead of silently slowing the generator down (no coordinated omission). Connections are
    kept alive and reused; a new one is opened only when all are busy, up to `max_connections`."""
    latencies: list[float] = []
    errors: list[str] = []
    receipts: list[str] = []
    rng = random.Random(seed)
    windows = WINDOWS
    windows.clear()
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    slots = asyncio.Semaphore(max_connections)

    async def exchange(
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter], payload: bytes
    ) -> tuple[int, bytes]:
        conn[1].write(payload)
        return await asyncio.wait_for(read_response(conn[0]), timeout=30)

    async def one(scheduled: float, payload: bytes) -> None:
        async with slots:
            conn = idle.pop() if idle else None
            try:
                if conn is not None:
                    try:
                        status, body = await exchange(conn, payload)
                    except (OSError, asyncio.IncompleteReadError):
                        # The server closed this idle keep-alive connection (its keep-alive timeout) just as
                        # we reused it: send again on a new one, as HTTP clients do. Safe: same Idempotency-Key.
                        conn[1].close()
                        conn = None
                if conn is None:
                    conn = await asyncio.open_connection("127.0.0.1", port)
                    status, body = await exchange(conn, payload)
                elapsed = time.perf_counter() - scheduled
                if status == 201:
                    latencies.append(elapsed)
                    windows.setdefault(int((scheduled - started) // 10), []).append(elapsed)
                    receipts.append(json.loads(body)["receipt"])
                else:
                    errors.append(f"{status}: {body[:120]!r}")
                idle.append(conn)
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
                errors.append(type(exc).__name__)
                if conn is not None:
                    conn[1].close()

    # Exactly rate x seconds reports, at times drawn uniformly over the window and sorted: a Poisson process
    # conditioned on its count, so the offered rate is the stated one, not a random draw around it. The requests
    # are built before the clock starts, so the generator spends its CPU on sending, not on JSON and UUIDs.
    count = round(rate * seconds)
    offsets = sorted(rng.uniform(0, seconds) for _ in range(count))
    payloads = [request_bytes(port, rng) for _ in range(count)]
    started = time.perf_counter()
    tasks = []
    for offset, payload in zip(offsets, payloads, strict=True):
        at = started + offset
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(at, payload)))
    await asyncio.gather(*tasks)
    for _reader, writer in idle:
        writer.close()
    return latencies, errors, receipts, seconds


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
    parser.add_argument(
        "--rate",
        type=float,
        default=300,
        help="offered reports per second, open loop (default 300, the target); 0 = closed loop, as fast as "
        "--connections clients can go (the saturation throughput)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn worker processes (siaga serve's default)"
    )
    parser.add_argument("--threads", type=int, default=32, help="threads per worker (siaga serve's default)")
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
        # Warm-up, not counted: every worker loads the kecamatan boundaries once, and every server thread opens its
        # database connection (kept, as in production), so more clients than workers x threads for a few seconds.
        asyncio.run(load(port, 5, min(MAX_CONNECTIONS, max(connections, 2 * args.workers * args.threads))))
        # Settle before measuring: the pgbench baseline and the warm-up leave a WAL backlog whose checkpoint, and
        # fresh tables whose first autovacuum, would otherwise land in the first seconds of the measured window.
        cluster.psql("CHECKPOINT")
        cluster.psql("VACUUM ANALYZE")
        phase("settled (checkpoint, vacuum analyze)")
        warm = int(cluster.psql("SELECT count(*) FROM incidents_incident"))
        postmaster = int((cluster.dir / "data" / "postmaster.pid").read_text().split()[0])
        cpu_before = cpu_seconds(gunicorn.pid, postmaster)
        if args.rate > 0:
            run = open_loop(port, seconds, args.rate, MAX_CONNECTIONS)
        else:
            run = load(port, seconds, connections)
        latencies, errors, receipts, elapsed = asyncio.run(run)
        cpu_after = cpu_seconds(gunicorn.pid, postmaster)
        stored = int(cluster.psql("SELECT count(*) FROM incidents_incident")) - warm
        # Reports written by one transaction share its xmin: how well the group commit batched them.
        commits = int(cluster.psql("SELECT count(DISTINCT xmin::text) FROM incidents_incident"))
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
            "reports_per_commit": round((stored + warm) / max(1, commits), 2),
            "acked_all_stored_once": distinct == len(receipts) and stored >= len(receipts),
            "seconds": round(elapsed, 1),
            # CPU milliseconds per acknowledged report, per component (2 cores = 2,000 CPU ms per second).
            "cpu_ms_per_report": {
                k: round((cpu_after[k] - cpu_before[k]) * 1000 / max(1, len(latencies)), 2) for k in cpu_after
            },
            "p99_ms_per_10s": [round(percentile(WINDOWS[k], 0.99) * 1000) for k in sorted(WINDOWS)],
            "mode": f"open loop, {args.rate:g} reports/s offered" if args.rate > 0 else "closed loop",
            "connections": MAX_CONNECTIONS if args.rate > 0 else connections,
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
