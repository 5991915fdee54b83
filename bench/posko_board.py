"""Latency of the Posko board's live panel with many wall displays polling it (target: p99 < 300 ms, 50 viewers).

    SIAGA_DATA_DIR=DIR .venv/bin/siaga demo --port 8104 &          # the Jember demo, served with its worker
    SIAGA_DEMO_MODE=true SIAGA_DATA_DIR=DIR .venv/bin/python bench/posko_board.py --url http://127.0.0.1:8104 \
        [--viewers 50] [--seconds 60] [--user kabagops]

Each viewer is a thread with its own logged-in session (made in the demo database, no login form). It loads
the whole board once, then polls the live panel every 5 s (a random first delay spreads them) with the stamp of
what it shows, exactly as htmx does: an unchanged board answers 204, a changed one the new panel (the strength
table's cache turns every 60 s, so every viewer also gets full panels). Prints one JSON object: requests,
answers by status, latency percentiles of the polls and of the full page loads, and requests per second.
The load generator runs on the same machine as the server, so the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

POLL_S = 5.0
STAMP = re.compile(rb'data-stamp="([0-9a-f]+)"')


def sessions(username: str, n: int) -> tuple[str, list[str]]:
    """n logged-in sessions of `username` in the demo database: (cookie name, values)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client

    from siaga.accounts.models import User

    user = User.objects.get(username=username)
    values = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        values.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return settings.SESSION_COOKIE_NAME, values


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def viewer(
    base: str, cookie: str, until: float, polls: list[float], pages: list[float], statuses: list[int]
) -> None:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": cookie}

    def get(path: str, extra: dict[str, str]) -> tuple[int, bytes, float]:
        nonlocal conn
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={**headers, **extra})
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # The server closed an idle keep-alive connection: a browser reconnects too (and that time counts).
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            conn.request("GET", path, headers={**headers, **extra})
            response = conn.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started

    status, body, seconds = get("/posko/", {})
    pages.append(seconds)
    statuses.append(status)
    found = STAMP.search(body)
    stamp = found.group(1).decode() if found else ""
    time.sleep(random.uniform(0, POLL_S))
    while time.monotonic() < until:
        tick = time.monotonic()
        status, body, seconds = get(f"/posko/?stamp={stamp}", {"HX-Request": "true"})
        polls.append(seconds)
        statuses.append(status)
        if status == 200:
            found = STAMP.search(body)
            stamp = found.group(1).decode() if found else stamp
        time.sleep(max(0.0, POLL_S - (time.monotonic() - tick)))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8104")
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--user", default="kabagops")
    args = parser.parse_args()
    name, values = sessions(args.user, args.viewers)
    polls: list[float] = []
    pages: list[float] = []
    statuses: list[int] = []
    started = time.monotonic()
    until = started + args.seconds
    threads = [
        threading.Thread(target=viewer, args=(args.url, f"{name}={v}", until, polls, pages, statuses))
        for v in values
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    ms = [s * 1000 for s in polls]
    page_ms = [s * 1000 for s in pages]
    result: dict[str, Any] = {
        "viewers": args.viewers,
        "seconds": round(elapsed, 1),
        "requests": len(statuses),
        "rps": round(len(statuses) / elapsed, 1),
        "status": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        "poll_ms": {
            "p50": round(percentile(ms, 50), 1),
            "p95": round(percentile(ms, 95), 1),
            "p99": round(percentile(ms, 99), 1),
            "max": round(max(ms, default=0), 1),
            "mean": round(statistics.fmean(ms), 1) if ms else 0,
        },
        "page_ms": {"p50": round(percentile(page_ms, 50), 1), "max": round(max(page_ms, default=0), 1)},
        "target_p99_ms": 300,
    }
    result["meets_target"] = result["poll_ms"]["p99"] < 300
    print(json.dumps(result))


if __name__ == "__main__":
    main()
