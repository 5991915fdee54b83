"""Crash soaks with an acknowledged-set checker (G3, G4; issue 15) and the backup/restore drill (G22).

    .venv/bin/python bench/soak.py --nemesis web --rate 150 --kills 3       # kill -9 of the web server, 3 times
    .venv/bin/python bench/soak.py --nemesis db --rate 100 --kills 1        # kill -9 of the PostgreSQL postmaster
    .venv/bin/python bench/soak.py --nemesis web --kills 1 --drill          # then back up and restore (G22)

One command, starts everything it needs and removes it afterwards:

1. a durable throwaway PostgreSQL cluster (fsync, full_page_writes, synchronous_commit on; bench/pgcluster.py),
   migrated, with the Jember territory (reports are placed in their kecamatan);
2. `siaga serve` (gunicorn, 2 workers x 32 threads, as in production);
3. an open-loop load of public reports (`POST /api/v1/public/reports`) at `--rate` per second, each with its
   own Idempotency-Key. Each report is a client that retries (same key, same body) after a connection error, a
   timeout or a 429/5xx answer, with a back-off doubling from 0.5 s to 5 s, until it is acknowledged (201) or
   `--give-up` seconds have passed, as the field app's outbox does;
4. the nemesis, at evenly spaced moments of the load:
   - `web`: SIGKILL to the whole server (gunicorn master and workers), then started again at once, as a
     supervisor would; the time to a healthy `/healthz` is measured (goal <= 5 s);
   - `db`: SIGKILL to the postmaster (then to any backend still alive), PostgreSQL down for `--down` seconds,
     started again (crash recovery); the time from its start to a healthy `/healthz` is measured
     (goal <= 10 s); every answer meanwhile must be a 503 (never a 500, never an HTML page, none slower than 10 s);
5. the checker (Jepsen's "set" workload): every acknowledged receipt is read back from the database under its
   key; **lost** = acknowledged but not stored (must be 0); duplicates = more than one row per key (must be 0);
   with retries every attempted report should end acknowledged (`unacknowledged` = 0).

`--drill` then runs the backup/restore drill (G22; docs/deployment.md "Cadangan / Backup"): `siaga verify-audit`
seals the audit trail, `pg_dump -Fc` backs the database up, a new cluster is created and `pg_restore` fills it,
and the restored copy must have the same row count in every table, pass `siaga verify-audit --no-seal` and
hold every acknowledged receipt.

Prints one JSON object; `--out FILE` also writes it there (make reliability keeps them in var/reliability/).
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
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pgcluster
from pgcluster import PYTHON, ROOT, Cluster, free_port

SIAGA = str(PYTHON.with_name("siaga"))
MAX_CONNECTIONS = 256
ATTEMPT_TIMEOUT_S = 15
CATEGORIES = ["money_politics", "intimidation", "logistics", "hoax_sara", "crime", "other"]
POINTS = [(-8.17, 113.70), (-8.26, 113.62), (-8.41, 113.76), (-8.05, 113.58), (-8.30, 113.50)]


def request_bytes(port: int, key: str, rng: random.Random) -> bytes:
    lat, lng = rng.choice(POINTS)
    body = json.dumps(
        {
            "category": rng.choice(CATEGORIES),
            "description": f"Laporan uji ketahanan (soak) {key}: warga melihat kerumunan di dekat TPS",
            "occurred_at": "2024-02-14T09:30:00+07:00",
            "lat": round(lat + rng.uniform(-0.02, 0.02), 6),
            "lng": round(lng + rng.uniform(-0.02, 0.02), 6),
        }
    ).encode()
    # Many simulated citizens behind a trusted proxy, so the per-client rate limit is not what is measured.
    ip = f"10.{rng.randrange(16)}.{rng.randrange(256)}.{rng.randrange(1, 17)}"
    head = (
        f"POST /api/v1/public/reports HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Idempotency-Key: {key}\r\nX-Forwarded-For: {ip}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    body = await reader.readexactly(length) if length else b""
    return status, headers, body


@dataclass
class Tally:
    acked: dict[str, str] = field(default_factory=dict)  # key -> receipt
    unacked: set[str] = field(default_factory=set)
    statuses: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)  # 500s and 5xx that are not JSON
    slow_5xx: int = 0  # 503s that took longer than 10 s (G4: no request > 10 s during an outage)
    attempts: int = 0
    latencies: list[float] = field(default_factory=list)


async def run_load(port: int, seconds: float, rate: float, give_up: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    slots = asyncio.Semaphore(MAX_CONNECTIONS)

    async def attempt(payload: bytes) -> tuple[int, dict[str, str], bytes] | None:
        async with slots:
            conn = idle.pop() if idle else None
            for _ in range(2):  # a reused keep-alive connection may have been closed by the server
                try:
                    if conn is None:
                        conn = await asyncio.open_connection("127.0.0.1", port)
                    conn[1].write(payload)
                    answer = await asyncio.wait_for(read_response(conn[0]), timeout=ATTEMPT_TIMEOUT_S)
                    idle.append(conn)
                    return answer
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    tally.statuses[type(exc).__name__] += 1
                    if conn is not None:
                        conn[1].close()
                    conn = None
                    if isinstance(exc, TimeoutError):
                        return None
            return None

    async def report(scheduled: float, key: str, payload: bytes) -> None:
        backoff = 0.5
        while True:
            tally.attempts += 1
            started = time.monotonic()
            answer = await attempt(payload)
            took = time.monotonic() - started
            if answer is not None:
                status, headers, body = answer
                tally.statuses[str(status)] += 1
                if status == 201:
                    tally.acked[key] = json.loads(body)["receipt"]
                    tally.latencies.append(time.monotonic() - scheduled)
                    return
                if status >= 500 and (status == 500 or "json" not in headers.get("content-type", "")):
                    tally.server_errors.append(f"{status} {headers.get('content-type', '')}: {body[:100]!r}")
                if status >= 500 and took > 10:
                    tally.slow_5xx += 1
                if status < 500 and status != 429:
                    tally.server_errors.append(f"refused {status}: {body[:100]!r}")
                    tally.unacked.add(key)
                    return
            if time.monotonic() - scheduled > give_up:
                tally.unacked.add(key)
                return
            await asyncio.sleep(backoff * (0.5 + rng.random()))
            # Capped at 5 s: thousands of waiting clients retrying every second would, on this one machine,
            # take the CPU the restarting server needs (real clients are on other machines).
            backoff = min(5.0, backoff * 2)

    count = round(rate * seconds)
    offsets = sorted(rng.uniform(0, seconds) for _ in range(count))
    keys = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]
    payloads = [request_bytes(port, k, rng) for k in keys]
    started = time.monotonic()
    tasks = []
    for offset, key, payload in zip(offsets, keys, payloads, strict=True):
        delay = started + offset - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(report(started + offset, key, payload)))
    await asyncio.gather(*tasks)
    for _reader, writer in idle:
        writer.close()


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
            return bool(r.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_healthy(port: int, limit_s: float = 120) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        if healthy(port):
            return time.monotonic() - t0
        time.sleep(0.05)
    raise RuntimeError(f"not healthy within {limit_s} s")


class Server:
    """`siaga serve` in its own process group, so that a kill -9 takes the master and every worker."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                SIAGA,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "2",
                "--threads",
                "32",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill9(self) -> None:
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill9()


def postgres_pids(cluster: Cluster) -> tuple[int, list[int]]:
    """The postmaster's pid and its children's (backends, checkpointer, WAL writer...)."""
    postmaster = int((cluster.dir / "data" / "postmaster.pid").read_text().split()[0])
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2 :].split()[1]) == postmaster:
                    children.append(int(entry.name))
    return postmaster, children


def start_postgres(cluster: Cluster) -> None:
    opts = (
        f"-p {cluster.port} -k {cluster.dir} -c listen_addresses='' -c max_connections={cluster.max_connections} "
        f"-c shared_buffers={cluster.shared_buffers} -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
    )
    cluster.run(
        "pg_ctl", "-D", str(cluster.dir / "data"), "-w", "-l", str(cluster.dir / "log"), "-o", opts, "start"
    )


def nemesis(
    kind: str, cluster: Cluster, server: Server, at: list[float], down: float, out: list[dict[str, float]]
) -> None:
    """Runs in a thread beside the load: the crashes at the given offsets (seconds from the load's start)."""
    t0 = time.monotonic()
    for offset in at:
        time.sleep(max(0.0, t0 + offset - time.monotonic()))
        if kind == "web":
            server.kill9()
            killed = time.monotonic()
            server.start()
            out.append(
                {"at_s": round(killed - t0, 1), "healthy_after_s": round(wait_healthy(server.port), 2)}
            )
        else:
            postmaster, children = postgres_pids(cluster)
            os.kill(postmaster, signal.SIGKILL)
            killed = time.monotonic()
            # Backends notice the postmaster's death and exit; any still alive after a second is killed too, as
            # after a power cut. PostgreSQL then refuses to start until none is left attached to shared memory.
            time.sleep(1)
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(max(0.0, killed + down - time.monotonic()))
            started = time.monotonic()
            start_postgres(cluster)
            recovered = time.monotonic()
            healthy_after = wait_healthy(server.port)
            out.append(
                {
                    "at_s": round(killed - t0, 1),
                    "down_s": round(started - killed, 1),
                    "postgres_recovery_s": round(recovered - started, 2),
                    "healthy_after_postgres_s": round(recovered - started + healthy_after, 2),
                }
            )


def stored_keys(cluster: Cluster) -> Counter[str]:
    out = cluster.psql(
        "SELECT client_key || ' ' || receipt FROM incidents_incident WHERE client_key LIKE 'public:%'"
    )
    return Counter(line.removeprefix("public:") for line in out.splitlines() if line)


def check(tally: Tally, stored: Counter[str]) -> dict[str, int]:
    by_key: dict[str, list[str]] = {}
    for pair in stored:
        key, _, receipt = pair.partition(" ")
        by_key.setdefault(key, []).append(receipt)
    lost = [k for k, receipt in tally.acked.items() if receipt not in by_key.get(k, [])]
    return {
        "acked": len(tally.acked),
        "stored": sum(len(v) for v in by_key.values()),
        "lost": len(lost),
        "duplicates": sum(1 for v in by_key.values() if len(v) > 1),
        "unacknowledged": len(tally.unacked),
        "unacknowledged_but_stored": sum(1 for k in tally.unacked if k in by_key),
    }


def row_counts(cluster: Cluster) -> dict[str, int]:
    sql = (
        "SELECT table_name || ' ' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', "
        "table_schema, table_name), false, true, '')))[1]::text FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    )
    return {name: int(n) for name, n in (line.split() for line in cluster.psql(sql).splitlines())}


def drill(cluster: Cluster, env: dict[str, str], tally: Tally) -> dict[str, object]:
    """G22: back up, restore into a new cluster, verify the copy."""
    manage = [str(PYTHON), "manage.py", "verify_audit"]
    sealed = subprocess.run(manage, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    dump = cluster.dir / "siaga.dump"
    t0 = time.monotonic()
    cluster.run(
        "pg_dump",
        "-h",
        str(cluster.dir),
        "-p",
        str(cluster.port),
        "-U",
        "siaga",
        "-Fc",
        "-f",
        str(dump),
        "siaga",
    )
    dumped = time.monotonic()
    source_counts = row_counts(cluster)
    restored_cluster = Cluster()
    try:
        restored_cluster.start()
        target = restored_cluster.dir / "siaga.dump"
        target.write_bytes(dump.read_bytes())
        if restored_cluster.as_root:
            shutil.chown(target, "postgres")
        t1 = time.monotonic()
        restored_cluster.run(
            "pg_restore", "-h", str(restored_cluster.dir), "-p", str(restored_cluster.port), "-U", "siaga",
            "-d", "siaga", "--exit-on-error", str(target),
        )  # fmt: skip
        restored = time.monotonic()
        counts = row_counts(restored_cluster)
        renv = pgcluster.django_env(restored_cluster)
        verify = subprocess.run(
            [*manage, "--no-seal"], cwd=ROOT, env=renv, capture_output=True, text=True, check=False
        )
        restored_check = check(tally, stored_keys(restored_cluster))
        return {
            "source_verify_audit": sealed.returncode == 0,
            "dump_s": round(dumped - t0, 2),
            "dump_bytes": dump.stat().st_size,
            "restore_s": round(restored - t1, 2),
            "tables": len(counts),
            "rows": sum(counts.values()),
            "row_counts_equal": counts == source_counts,
            "differing_tables": sorted(t for t in source_counts if counts.get(t) != source_counts[t]),
            "restored_verify_audit": verify.returncode == 0,
            "restored_verify_audit_says": (verify.stdout or verify.stderr).strip().splitlines()[-1:],
            "restored_lost": restored_check["lost"],
        }
    finally:
        restored_cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nemesis", choices=["web", "db", "none"], default="web")
    parser.add_argument("--rate", type=float, default=150, help="offered reports per second (default 150)")
    parser.add_argument("--kills", type=int, default=3, help="crashes, evenly spaced over the load")
    parser.add_argument("--seconds", type=float, help="load duration (default: 25 s per crash + 15 s)")
    parser.add_argument("--down", type=float, default=5, help="db nemesis: seconds PostgreSQL stays down")
    parser.add_argument(
        "--give-up", type=float, default=120, help="a client gives up after this many seconds"
    )
    parser.add_argument("--drill", action="store_true", help="then the backup/restore drill (G22)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="also write the JSON summary to this file")
    args = parser.parse_args()
    kills = 0 if args.nemesis == "none" else max(0, args.kills)
    seconds = args.seconds or 25.0 * max(1, kills) + 15
    at = [seconds * (i + 1) / (kills + 1) for i in range(kills)]

    cluster = Cluster()
    server: Server | None = None
    try:
        cluster.start()
        env = pgcluster.django_env(cluster, SIAGA_TRUST_X_FORWARDED_FOR="true")
        subprocess.run(
            [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        code = "from siaga.territory.demo import load_demo; load_demo(report=lambda p, m='': None)"
        subprocess.run([str(PYTHON), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)
        server = Server(env, free_port())
        server.start()
        first_start = wait_healthy(server.port)
        tally = Tally()
        crashes: list[dict[str, float]] = []
        loop = asyncio.new_event_loop()
        started = time.monotonic()
        crash_thread = loop.run_in_executor(
            None, nemesis, args.nemesis, cluster, server, at, args.down, crashes
        )
        loop.run_until_complete(run_load(server.port, seconds, args.rate, args.give_up, tally, args.seed))
        loop.run_until_complete(crash_thread)
        loop.close()
        elapsed = time.monotonic() - started
        result: dict[str, object] = {
            "nemesis": args.nemesis,
            "rate_offered": args.rate,
            "seconds": round(seconds),
            "wall_s": round(elapsed, 1),
            "first_start_healthy_s": round(first_start, 2),
            "crashes": crashes,
            **check(tally, stored_keys(cluster)),
            "attempts": tally.attempts,
            "answers": dict(sorted(tally.statuses.items())),
            "server_errors": len(tally.server_errors),
            "server_error_samples": sorted(set(tally.server_errors))[:5],
            "slow_5xx_over_10s": tally.slow_5xx,
            "durable": "fsync=on synchronous_commit=on full_page_writes=on",
        }
        if args.drill:
            result["drill"] = drill(cluster, env, tally)
        text = json.dumps(result, indent=2)
        print(text)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text + "\n", encoding="utf-8")
        ok = result["lost"] == 0 and result["duplicates"] == 0 and result["server_errors"] == 0
        if args.drill:
            d = result["drill"]
            assert isinstance(d, dict)
            ok = ok and bool(d["row_counts_equal"] and d["restored_verify_audit"] and d["restored_lost"] == 0)
        sys.exit(0 if ok else 1)
    finally:
        if server is not None:
            server.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
