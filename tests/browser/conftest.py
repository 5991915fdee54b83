"""Browser tests: Debian Chromium through Playwright against a live Siaga server.

Why not pytest-django's `live_server`: it forces `transactional_db`, whose flush after the test would wipe the
Jember territory and TPS that the root conftest loads once per session, and later tests need them. Instead the
test runs in the usual rolled-back transaction (`django_db`) and a one-request-at-a-time server thread shares
the test's database connection (as Django's LiveServerTestCase does for in-memory SQLite), so the server sees
the test's users and everything the browser writes is rolled back with the test, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

PASSWORD = "browser-test-password-123"

# Playwright's sync API runs an event loop in this thread; Django must still allow its ORM calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _server_thread_class() -> Any:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import WSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

    class SharedConnectionServer(LiveServerThread):
        """Serves one request at a time (Django then closes each HTTP connection) on the test's connection.

        Unlike LiveServerThread it never closes the shared connection: that would end the test's transaction.
        """

        def run(self) -> None:
            for alias, conn in (self.connections_override or {}).items():
                connections[alias] = conn
            try:
                self.httpd = WSGIServer(
                    (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
                )
                self.port = self.httpd.server_address[1]
                self.httpd.set_app(StaticFilesHandler(WSGIHandler()))
                self.is_ready.set()
                self.httpd.serve_forever()
            except Exception as exc:  # reported to the test through self.error
                self.error = exc
                self.is_ready.set()

    return SharedConnectionServer


@pytest.fixture
def live_url(db: Any) -> Iterator[str]:
    from django.core.signals import request_finished, request_started
    from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections

    connection = connections[DEFAULT_DB_ALIAS]
    # As Django's test client does: a request must not close the connection holding the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection.inc_thread_sharing()
    server = _server_thread_class()(
        "127.0.0.1", None, connections_override={DEFAULT_DB_ALIAS: connection}, port=0
    )
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        connection.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def browser_user(db: Any) -> Any:
    from siaga.accounts.models import Role, User
    from siaga.territory.models import PoliceUnit

    return User.objects.create_user(
        username="b.kabagops",
        password=PASSWORD,
        role=Role.OPS_STAFF,
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )
