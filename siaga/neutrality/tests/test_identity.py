"""A complainant's identity is Propam's alone: no public, partner or commander view, export or audit record
contains it, and every read by Propam is audited."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from siaga.core.models import AuditEvent
from siaga.neutrality import intake, reports

from .conftest import file_public

pytestmark = pytest.mark.django_db

_keys = itertools.count()
names = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=6, max_size=30)
niks = st.from_regex(r"\A35[0-9]{14}\Z")
phones = st.from_regex(r"\A08[0-9]{9,11}\Z")


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.generate],  # each example hits the database: no slow shrinking
)
@given(name=names, nik=niks, phone=phones)
def test_no_public_partner_or_commander_view_contains_identity(
    name: str, nik: str, phone: str, client_for: Any, commander: Any, partner_kpu: Any, propam: Any
) -> None:
    # A fresh key per example: hypothesis repeats values, and a repeated key rightly returns the first case.
    case = file_public(key=f"prop-{next(_keys)}", name=name, nik=nik, phone=phone)
    secrets = [name, nik, phone]
    seen: list[str] = []
    seen.append(Client().get(reverse("public:neutrality_status", args=[case.receipt])).content.decode())
    seen.append(client_for(commander).get(reverse("neutrality:case_list")).content.decode())
    partner = client_for(partner_kpu)
    seen.append(partner.get(reverse("neutrality:case_list")).content.decode())
    seen.append(partner.get(reverse("neutrality:case_detail", args=[case.pk])).content.decode())
    seen.append(client_for(commander).get(reverse("neutrality:case_detail", args=[case.pk])).content.decode())
    seen.append(str(reports.render_xlsx(reports.build(commander))))
    # The audit trail, which commanders read, never holds identity either.
    seen.append(str(list(AuditEvent.objects.values("before", "after", "object_repr", "message"))))
    # The public status object itself.
    seen.append(repr(intake.public_status(case.receipt)))
    for text in seen:
        for secret in secrets:
            assert secret not in text
    # Propam, asking for it, does see it (so the check above can fail).
    response = client_for(propam).get(reverse("neutrality:case_detail", args=[case.pk]) + "?identitas=1")
    page = response.content.decode()
    assert nik in page and phone in page, (
        response.status_code,
        page[page.find("Pengadu") : page.find("Pengadu") + 600],
    )


def test_propam_reading_identity_is_audited(client_for: Any, propam: Any) -> None:
    case = file_public(key="audit-view")
    before = AuditEvent.objects.filter(action="view").count()
    page = client_for(propam).get(reverse("neutrality:case_detail", args=[case.pk]))
    assert page.status_code == 200 and "3509010101010001" not in page.content.decode()
    assert AuditEvent.objects.filter(action="view").count() == before  # not shown until asked for
    page = client_for(propam).get(reverse("neutrality:case_detail", args=[case.pk]) + "?identitas=1")
    assert "3509010101010001" in page.content.decode()
    event = AuditEvent.objects.filter(action="view").latest("pk")
    assert event.actor == propam and case.receipt in event.object_repr


def test_the_superuser_does_not_read_identity(client_for: Any, admin_user: Any) -> None:
    case = file_public(key="superuser")
    page = client_for(admin_user).get(reverse("neutrality:case_detail", args=[case.pk]) + "?identitas=1")
    # The administrator may open the file (to fix data), but the identity is the Propam role's alone.
    assert page.status_code == 200 and "3509010101010001" not in page.content.decode()
    assert not AuditEvent.objects.filter(action="view").exists()


def test_audit_trail_of_a_public_complaint_has_no_identity() -> None:
    case = file_public(key="trail", name="Rahasia Sekali", nik="3509999999999999")
    rows = AuditEvent.objects.filter(object_id=str(case.pk))
    assert rows.exists()
    assert "Rahasia Sekali" not in str(list(rows.values())) and "3509999999999999" not in str(
        list(rows.values())
    )


def test_status_reports_time_not_people(client_for: Any, propam: Any) -> None:
    case = file_public(key="status", occurred_at=dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
    info = intake.public_status(case.receipt.lower())
    assert info.step == "received" and info.receipt == case.receipt
