"""Schemathesis over every API operation for every role (G9): no server error, responses as documented, and
requests the schema forbids refused. `SIAGA_FUZZ_EXAMPLES` sets the examples per operation (100 by default;
scripts/test.sh runs it once, in the PostgreSQL pass, with 100 as well; make reliability with 250)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from siaga.accounts.services import create_api_token
from siaga.api.api import api

EXAMPLES = int(os.environ.get("SIAGA_FUZZ_EXAMPLES", "100"))
# bench/fuzz_long.py (make reliability) counts the requests actually sent: Hypothesis stops early on operations
# with few distinct inputs, so examples per operation x operations is only an upper bound.
REPORT = os.environ.get("SIAGA_FUZZ_REPORT", "")
# The ignored_auth check sends every request a second time without credentials, which doubled the cost of each
# example. It runs on the first AUTH_PROBES examples of each operation and role (every one with -1, as
# bench/fuzz_long.py does); the route walker (tests/access) checks anonymous access on every route and method.
AUTH_PROBES = int(os.environ.get("SIAGA_FUZZ_AUTH_PROBES", "3"))
# Every default check but one: positive_data_acceptance wants a 2xx for any schema-valid body, while references to
# data (a category code, an indicator set, an election slug, a unit that exists) are refused with 404/409/422 by
# design; the schema cannot enumerate rows of the database. docs/security.md records this exception.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
ROLES = ["anonymous", "kabagops", "commander", "polsek_tempurejo", "field_officer", "partner_kpu"]

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
SCHEMA.app = WSGIHandler()
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Requests run inside the test's transaction, as with Django's test client: the handler must not close the
    connection between requests (on PostgreSQL that would close the test transaction's connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.fuzz
@pytest.mark.parametrize("label", sorted(OPERATIONS))
@pytest.mark.parametrize("role", ROLES)
def test_api_operation_holds_under_generated_requests(
    role: str, label: str, request: pytest.FixtureRequest, in_test_transaction: None, db: Any
) -> None:
    # The in-process WSGI transport hands back the body as sent; GZipMiddleware would compress it (the Schemathesis
    # client asks for gzip) and the checks would read gzip bytes as JSON.
    headers = {"Accept-Encoding": "identity"}
    if role != "anonymous":
        user = request.getfixturevalue(role)
        headers["Authorization"] = f"Bearer {create_api_token(user=user)}"
    operation = OPERATIONS[label]

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=operation.as_strategy())
    def run(case: Any) -> None:
        sent.append(1)
        probe = AUTH_PROBES < 0 or len(sent) <= AUTH_PROBES
        excluded = EXCLUDED if probe else [*EXCLUDED, schemathesis.checks.ignored_auth]
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    sent: list[int] = []
    run()
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as f:
            f.write(f"{role}\t{label}\t{len(sent)}\n")
