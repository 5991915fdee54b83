"""The case workflow: one transition function that refuses illegal moves, races and non-Propam actors;
deadlines per step from data, checked against a controlled clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from siaga.core.errors import Conflict, PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.neutrality import selectors, services
from siaga.neutrality.models import Case, DeadlineRule, Step

from .conftest import file_public

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def test_reference_deadlines_exist_after_migrate() -> None:
    rules = {r.key: r.days for r in DeadlineRule.objects.all()}
    assert rules["received"] == 1
    assert rules["ringan"] == 7 and rules["sedang"] == 14 and rules["berat"] == 14


def test_full_path_to_a_decision_is_audited(propam: Any) -> None:
    case = file_public(now=T0, occurred_at=T0 - dt.timedelta(hours=3))
    steps = [
        dict(to=Step.CLARIFICATION, note="Pengadu dan terlapor dipanggil"),
        dict(to=Step.GELAR_PERKARA, note="Gelar perkara 5 Nov"),
        dict(to=Step.CLASSIFIED, classification="sedang"),
        dict(to=Step.HEARING, note="Sidang KKEP dijadwalkan"),
        dict(
            to=Step.DECIDED,
            decision="Terbukti melanggar Pasal 4 huruf h Perpol 7/2022",
            sanction="Demosi 1 tahun",
        ),
    ]
    for i, step in enumerate(steps):
        services.move_case(actor=propam, case=case, now=T0 + dt.timedelta(days=i + 1), **step)
    case.refresh_from_db()
    assert case.step == Step.DECIDED and case.classification == "sedang" and case.sanction == "Demosi 1 tahun"
    assert [e.to_step for e in case.events.all()] == [Step.RECEIVED] + [s["to"] for s in steps]
    assert case.events.exclude(to_step=Step.RECEIVED).filter(actor=propam).count() == 5
    updates = AuditEvent.objects.filter(
        object_type="neutrality.case", object_id=str(case.pk), action="update"
    )
    assert updates.count() == 5
    assert case.step_due_at is None  # a decided case has no deadline left


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], Step.DECIDED),
        ([], Step.HEARING),
        ([Step.CLARIFICATION], Step.CLASSIFIED),
        ([Step.CLARIFICATION, Step.GELAR_PERKARA], Step.DECIDED),
        ([Step.CLOSED], Step.CLARIFICATION),
    ],
)
def test_illegal_moves_are_refused(propam: Any, path: list[str], illegal: str) -> None:
    case = file_public()
    for to in path:
        services.move_case(actor=propam, case=case, to=to, note="langkah", close_reason="withdrawn")
    with pytest.raises(Conflict) as exc:
        services.move_case(
            actor=propam, case=case, to=illegal, note="x", classification="ringan", decision="x"
        )
    assert exc.value.code == "illegal_transition"
    case.refresh_from_db()
    assert case.step == (path[-1] if path else Step.RECEIVED)


def test_decided_is_final(propam: Any) -> None:
    case = file_public()
    for step in (Step.CLARIFICATION, Step.GELAR_PERKARA):
        services.move_case(actor=propam, case=case, to=step, note="n")
    services.move_case(actor=propam, case=case, to=Step.CLASSIFIED, classification="ringan")
    services.move_case(actor=propam, case=case, to=Step.HEARING, note="n")
    services.move_case(actor=propam, case=case, to=Step.DECIDED, decision="Teguran tertulis")
    for to in Step.values:
        with pytest.raises(Conflict):
            services.move_case(actor=propam, case=case, to=to, note="n", close_reason="withdrawn")


def test_only_propam_moves_cases(commander: Any, kabagops: Any, admin_user: Any) -> None:
    case = file_public()
    for actor in (commander, kabagops):
        with pytest.raises(PermissionDenied):
            services.move_case(actor=actor, case=case, to=Step.CLARIFICATION, note="n")
    case.refresh_from_db()
    assert case.step == Step.RECEIVED


def test_a_step_needs_what_it_decides(propam: Any) -> None:
    case = file_public()
    with pytest.raises(ValidationFailed) as exc:
        services.move_case(actor=propam, case=case, to=Step.CLOSED, note="")
    assert set(exc.value.fields) == {"close_reason", "note"}
    services.move_case(actor=propam, case=case, to=Step.CLARIFICATION, note="n")
    services.move_case(actor=propam, case=case, to=Step.GELAR_PERKARA, note="n")
    with pytest.raises(ValidationFailed) as exc:
        services.move_case(actor=propam, case=case, to=Step.CLASSIFIED, classification="sangat berat")
    assert "classification" in exc.value.fields


def test_two_handlers_moving_the_same_case_one_wins(propam: Any) -> None:
    case = file_public()
    stale = Case.objects.get(pk=case.pk)
    services.move_case(actor=propam, case=case, to=Step.CLARIFICATION, note="pertama")
    with pytest.raises(Conflict) as exc:
        services.move_case(actor=propam, case=stale, to=Step.CLOSED, note="kedua", close_reason="withdrawn")
    assert exc.value.code == "stale_case"
    case.refresh_from_db()
    assert case.step == Step.CLARIFICATION and case.events.count() == 2


def test_step_deadline_warns_then_alerts_on_a_controlled_clock(propam: Any) -> None:
    case = file_public(now=T0, occurred_at=T0 - dt.timedelta(hours=1))
    assert case.step_due_at == T0 + dt.timedelta(days=1)
    assert selectors.deadline_state(case, T0 + dt.timedelta(hours=17)) == "ok"
    assert selectors.deadline_state(case, T0 + dt.timedelta(hours=19)) == "warning"  # 6 h before
    assert selectors.deadline_state(case, T0 + dt.timedelta(hours=25)) == "overdue"
    ids = lambda state, hours: set(  # noqa: E731
        selectors.cases_for(propam, state=state, now=T0 + dt.timedelta(hours=hours)).values_list(
            "pk", flat=True
        )
    )
    assert case.pk in ids("warning", 19) and case.pk not in ids("overdue", 19)
    assert case.pk in ids("overdue", 25) and case.pk not in ids("warning", 25)
    assert selectors.summary(propam, T0 + dt.timedelta(hours=25)).overdue >= 1


def test_classification_sets_the_whole_case_target_from_receipt(propam: Any) -> None:
    case = file_public(now=T0, occurred_at=T0 - dt.timedelta(hours=1))
    services.move_case(
        actor=propam, case=case, to=Step.CLARIFICATION, note="n", now=T0 + dt.timedelta(hours=5)
    )
    assert case.step_due_at == T0 + dt.timedelta(hours=5, days=3)
    services.move_case(
        actor=propam, case=case, to=Step.GELAR_PERKARA, note="n", now=T0 + dt.timedelta(days=2)
    )
    services.move_case(
        actor=propam, case=case, to=Step.CLASSIFIED, classification="ringan", now=T0 + dt.timedelta(days=3)
    )
    assert case.step_due_at == T0 + dt.timedelta(days=7)  # discipline: 7 days from the report
    DeadlineRule.objects.filter(key="ringan").update(days=5)  # the deadlines are data
    services.move_case(actor=propam, case=case, to=Step.HEARING, note="n", now=T0 + dt.timedelta(days=4))
    assert case.step_due_at == T0 + dt.timedelta(days=5)
    assert selectors.deadline_state(case, T0 + dt.timedelta(days=5, hours=1)) == "overdue"


def test_closing_clears_the_deadline(propam: Any) -> None:
    case = file_public(now=T0, occurred_at=T0 - dt.timedelta(hours=1))
    services.move_case(actor=propam, case=case, to=Step.CLOSED, note="Dicabut", close_reason="withdrawn")
    case.refresh_from_db()
    assert case.step_due_at is None
    assert case.pk not in set(
        selectors.cases_for(propam, state="overdue", now=T0 + dt.timedelta(days=30)).values_list(
            "pk", flat=True
        )
    )


def test_same_public_key_gives_the_same_receipt() -> None:
    first = file_public(key="same")
    again = file_public(key="same", name="Orang lain")
    assert first.pk == again.pk and Case.objects.filter(receipt=first.receipt).count() == 1


def test_complaint_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        file_public(key="future", occurred_at=timezone.now() + dt.timedelta(days=1))


def test_incident_referred_to_propam_becomes_a_case(kabagops: Any) -> None:
    from siaga.incidents.services import refer_incident
    from siaga.incidents.tests.factories import make_incident

    incident = make_incident(actor=kabagops, category="police_neutrality")
    refer_incident(actor=kabagops, incident=incident, to="propam")
    case = Case.objects.get(incident=incident)
    assert case.step == Step.RECEIVED and case.kecamatan_id == incident.kecamatan_id
    assert case.summary == incident.description and case.step_due_at is not None
