"""Security baseline: headers, CSP, no external hosts, deploy checks, error pages without tracebacks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def test_csp_forbids_other_hosts_and_inline_scripts() -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp  # ASVS 5.0 3.4.3
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"  # ASVS 5.0 3.4.5


def test_json_api_answers_carry_a_policy_that_loads_nothing() -> None:
    response = Client().get("/api/v1/public/reports/ZZZZ-ZZZZ")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    # The API's HTML documentation page is a page: it keeps the site's policy.
    docs = Client().get("/api/v1/docs")
    assert "default-src 'self'" in docs["Content-Security-Policy"]


def test_pages_reference_no_other_host(client_for: Any, kabagops: Any) -> None:
    c = client_for(kabagops)
    for url in ["/", "/masuk/", "/pekerjaan/"]:
        html = Client().get(url).content.decode() if url != "/pekerjaan/" else c.get(url).content.decode()
        assert not re.search(r"""(src|href)=["'](https?:)?//""", html), url


def test_templates_have_no_inline_script_or_style() -> None:
    offenders = []
    for path in (ROOT / "siaga").rglob("*.html"):
        if path.name.endswith("_pdf.html"):
            continue  # rendered by WeasyPrint into a PDF, never served to a browser
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text) or re.search(
            r"\sstyle=", text
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_unknown_page_is_a_friendly_404_without_traceback(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/tidak-ada/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Tidak ditemukan" in body
    assert "Traceback" not in body


def test_check_deploy_passes_under_production_settings() -> None:
    # DJANGO_ALLOW_ASYNC_UNSAFE (set for the browser tests) is itself a deploy warning: leave it out.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="siaga.settings_production",
        SIAGA_SECRET_KEY="x" * 20 + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_the_development_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SIAGA_SECRET_KEY"}}
    env["DJANGO_SETTINGS_MODULE"] = "siaga.settings_production"
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SIAGA_SECRET_KEY" in result.stderr
