"""Partner views per partner kind: the redaction rules are data, each kind's serialisation carries only what its
rules allow (a Hypothesis property over generated records), and the press never gets personal data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siaga.events.models import Event
from siaga.incidents.models import Category, Incident, Priority, ReporterContact, Status
from siaga.lapsit import partners
from siaga.lapsit.models import PartnerFieldRule
from siaga.personnel.models import PartnerForce
from siaga.territory.models import Desa

pytestmark = pytest.mark.django_db

# Personal values carry a marker no label, code or number of Siaga contains, so "not in the output" is exact.
MARK = "\u2603"
personal_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz 0123456789", min_size=3, max_size=20).map(
    lambda s: f"{MARK}{s}{MARK}"
)
plain_text = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ ", min_size=1, max_size=20)
moment = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2024, 12, 31)).map(
    lambda d: timezone.make_aware(d)
)


@pytest.fixture(scope="module")
def places(django_db_setup: Any, django_db_blocker: Any) -> list[Desa]:
    with django_db_blocker.unblock():
        return list(Desa.objects.select_related("kecamatan").order_by("code")[:20])


def incidents(desa: list[Desa]) -> st.SearchStrategy[Incident]:
    return st.builds(
        lambda place, category, status, priority, occurred, description, where, lat, lng: Incident(
            receipt="ABCD-EFGH",
            source="public",
            category=category,
            status=status,
            priority=priority,
            description=description,
            place=where,
            occurred_at=occurred,
            reported_at=occurred,
            kecamatan=place.kecamatan,
            desa=place,
            lat=lat,
            lng=lng,
        ),
        st.sampled_from(desa),
        st.sampled_from(Category.values),
        st.sampled_from(Status.values),
        st.sampled_from(Priority.values),
        moment,
        personal_text,
        personal_text,
        st.floats(-8.6, -7.9),
        st.floats(113.3, 114.0),
    )


def events(desa: list[Desa]) -> st.SearchStrategy[Event]:
    return st.builds(
        lambda place, title, start, organiser, candidate, speakers: Event(
            kind="campaign",
            title=title,
            kecamatan=place.kecamatan,
            place="Lapangan",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            organiser=organiser,
            candidate=candidate,
            speakers=speakers,
        ),
        st.sampled_from(desa),
        plain_text,
        moment,
        personal_text,
        personal_text,
        personal_text,
    )


def forces(desa: list[Desa]) -> st.SearchStrategy[PartnerForce]:
    return st.builds(
        lambda place, kind, name, title, phone: PartnerForce(
            kind=kind,
            unit_name="Koramil uji",
            kecamatan=place.kecamatan,
            person_name=name,
            rank_or_title=title,
            phone=phone,
            count=1,
        ),
        st.sampled_from(desa),
        st.sampled_from(["tni", "linmas"]),
        personal_text,
        personal_text,
        personal_text,
    )


def test_every_kinds_serialisation_holds_only_what_its_rules_allow(places: list[Desa]) -> None:
    partners.ensure_default_rules()
    rules = {kind: partners.rules_for(kind) for kind in partners.KINDS}

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        st.lists(incidents(places), max_size=4),
        st.lists(events(places), max_size=3),
        st.lists(forces(places), max_size=3),
        st.lists(st.tuples(personal_text, personal_text), max_size=3),
    )
    def check(
        incident_list: list[Incident],
        event_list: list[Event],
        force_list: list[PartnerForce],
        notes: list[Any],
    ) -> None:
        lapsit = {
            "schema": "siaga.lapsit",
            "version": 1,
            "number": "R/LAPSIT/1/II/2024",
            "day": "2024-02-13",
            "polres": {"name": "Polres Jember"},
            "sections": {
                "situation": {"stage": "Masa tenang"},
                "strength": {"rows": []},
                "activities": {"events": {"count": len(event_list)}},
                "incidents": {"total": len(incident_list)},
                "obstacles": [],
                "plans": {},
                "journal": {"entries": [{"text": text, "author": who} for text, who in notes]},
            },
        }
        for kind in partners.KINDS:
            out = {
                "incident": partners.serialise_many(kind, "incident", map(partners.incident_record, incident_list), rules[kind]),
                "event": partners.serialise_many(kind, "event", map(partners.event_record, event_list), rules[kind]),
                "partner_force": partners.serialise_counts(
                    kind, "partner_force", map(partners.partner_force_record, force_list), rules[kind]
                ),
            }  # fmt: skip
            extract = partners.lapsit_extract(kind, lapsit, rules[kind])
            for object_type, rows in out.items():
                allowed = rules[kind][object_type]
                for row in rows:
                    hidden = set(partners.FIELDS[object_type]) - allowed
                    assert not hidden & set(row), (kind, object_type, hidden & set(row))
                    assert set(row) <= allowed
            assert set(extract["sections"]) <= rules[kind]["lapsit"]
            text = json.dumps([out, extract], ensure_ascii=False, default=str)
            if kind == partners.PRESS:
                assert MARK not in text, "the press view carries a personal value"

    check()


def test_the_rules_are_data_and_the_press_never_gets_a_personal_field(admin_user: Any) -> None:
    from siaga.lapsit.services import set_partner_rule

    partners.ensure_default_rules()
    assert "description" not in partners.rules_for("kpu")["incident"]
    set_partner_rule(
        actor=admin_user, partner_kind="kpu", object_type="incident", field="description", visible=True
    )
    assert "description" in partners.rules_for("kpu")["incident"]
    set_partner_rule(
        actor=admin_user, partner_kind="kpu", object_type="incident", field="description", visible=False
    )
    assert "description" not in partners.rules_for("kpu")["incident"]
    # Refused by the service and by the model; a row forced into the table is still dropped when serialising.
    with pytest.raises(Exception, match="pribadi"):
        set_partner_rule(
            actor=admin_user, partner_kind="press", object_type="event", field="organiser", visible=True
        )
    with pytest.raises(ValidationError):
        PartnerFieldRule(partner_kind="press", object_type="incident", field="place").full_clean()
    PartnerFieldRule.objects.create(partner_kind="press", object_type="event", field="organiser")
    rules = partners.rules_for("press")
    assert "organiser" in rules["event"] and "organiser" not in partners.visible_fields(
        "press", "event", rules
    )
    with pytest.raises(Exception, match="tidak dikenal"):
        set_partner_rule(
            actor=admin_user, partner_kind="tni", object_type="incident", field="reporter", visible=True
        )


def test_press_dashboard_and_api_hold_no_personal_data_of_the_database(
    client_for: Any, admin_user: Any
) -> None:
    from siaga.accounts.models import User
    from siaga.incidents.demo import load_demo
    from siaga.territory.models import PoliceUnit

    partners.ensure_default_rules()
    load_demo(report=lambda p, m="": None)
    jember = PoliceUnit.objects.get(code="polres-jember")
    press = User.objects.create_user(
        username="t.mitra.pers", password="x", role="partner_viewer", police_unit=jember, partner="press"
    )
    tni = User.objects.create_user(
        username="t.mitra.tni", password="x", role="partner_viewer", police_unit=jember, partner="tni"
    )
    desa = Desa.objects.filter(kecamatan__kabupaten=jember.kabupaten).first()
    PartnerForce.objects.create(
        kind="tni",
        unit_name="Koramil uji",
        kecamatan=desa.kecamatan,
        person_name="Serka Kanari",
        phone="0812-9999",
    )
    Incident.objects.update(reported_at=timezone.now() - dt.timedelta(days=1))
    secrets = [*ReporterContact.objects.values_list("name", flat=True), "Serka Kanari", "0812-9999"]
    secrets += [d for d in Incident.objects.values_list("description", flat=True)[:20]]
    assert len(secrets) > 5
    for path in ("/lapsit/mitra/", "/api/v1/partner/dashboard"):
        response = client_for(press).get(path + "?jenis=tni")  # a partner cannot ask for another kind's view
        assert response.status_code == 200
        body = response.content.decode()
        assert not [s for s in secrets if s and s in body], path
        assert "Koramil uji" not in body  # the press sees Linmas/TNI counts, not units
    data = client_for(press).get("/api/v1/partner/dashboard").json()
    assert data["kind"] == "press" and data["incidents"]
    assert set(data["incidents"][0]) == set(
        partners.visible_fields("press", "incident", partners.rules_for("press"))
    )
    # TNI sees its people (its rules allow it): the same endpoint, another kind's rules.
    tni_body = client_for(tni).get("/api/v1/partner/dashboard").content.decode()
    assert "Serka Kanari" in tni_body
    # Staff preview any kind; the page lists the rules as a table.
    page = client_for(admin_user).get("/lapsit/mitra/?jenis=bawaslu")
    assert page.status_code == 200 and b"partner-rules" in page.content
