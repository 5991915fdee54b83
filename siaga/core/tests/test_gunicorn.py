"""siaga serve's access logger writes exactly gunicorn's default line, faster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from gunicorn import glogging
from gunicorn.config import Config

from siaga.core.gunicorn import AccessLogger
from siaga.core.management.commands.serve import gunicorn_argv


def lines(logger: glogging.Logger, environ: dict[str, Any], resp: Any) -> list[str]:
    out: list[str] = []

    def info(
        msg: str, *args: Any
    ) -> None:  # as logging.LogRecord.getMessage: one mapping, or positional args
        out.append(msg % (args[0] if len(args) == 1 and isinstance(args[0], Mapping) else args))

    logger.access_log.info = info  # type: ignore[method-assign]
    logger.now = lambda: "[23/Nov/2026:14:37:17 +0700]"  # type: ignore[method-assign]
    logger.access(resp, SimpleNamespace(headers=[("HOST", "x")]), environ, dt.timedelta(milliseconds=12))
    return out


def config(**values: str) -> Config:
    cfg = Config()
    for name, value in {"accesslog": "-", **values}.items():
        cfg.set(name, value)
    return cfg


ENVIRON = {"REMOTE_ADDR": "10.1.2.3", "REQUEST_METHOD": "GET", "RAW_URI": "/", "SERVER_PROTOCOL": "HTTP/1.1"}


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"HTTP_USER_AGENT": 'Mozilla/5.0 "evil" agent', "HTTP_REFERER": 'https://contoh.id/?a="b"'},
        {"HTTP_AUTHORIZATION": "Basic c2lhZ2E6cmFoYXNpYQ=="},  # siaga:rahasia -> user "siaga"
    ],
)
def test_access_line_is_gunicorns_default_line(extra: dict[str, str]) -> None:
    cfg = config()
    environ = {**ENVIRON, "REQUEST_METHOD": "POST", "RAW_URI": '/api/v1/public/reports?x="1"', **extra}
    resp = SimpleNamespace(status="201 Created", sent=123, headers=[("Content-Type", "application/json")])
    ours = lines(AccessLogger(cfg), environ, resp)
    theirs = lines(glogging.Logger(cfg), environ, resp)
    assert ours == theirs and len(ours) == 1
    assert ours[0].startswith("10.1.2.3 - ") and " 201 123 " in ours[0]


def test_custom_format_and_disabled_log_take_gunicorns_path() -> None:
    resp = SimpleNamespace(status="200 OK", sent=5, headers=[])
    custom = config(access_log_format="%(h)s %(s)s %(M)sms")
    assert lines(AccessLogger(custom), ENVIRON, resp) == ["10.1.2.3 200 12ms"]
    assert lines(AccessLogger(Config()), ENVIRON, resp) == []  # no --access-logfile: no line


def test_serve_uses_the_access_logger() -> None:
    argv = gunicorn_argv("127.0.0.1", 8000, 2)
    assert argv[argv.index("--logger-class") + 1] == "siaga.core.gunicorn.AccessLogger"
