"""The demo's neutrality cases: every step shown, labelled synthetic, with deadlines from the rules."""

from __future__ import annotations

import pytest

from siaga.neutrality.demo import PLAN, load_demo
from siaga.neutrality.models import Case, Step

pytestmark = pytest.mark.django_db


def test_demo_cases_cover_the_steps_and_are_labelled() -> None:
    load_demo(report=lambda *a, **k: None)
    cases = list(Case.objects.all())
    assert len(cases) == len(PLAN) and all(c.is_synthetic for c in cases)
    assert {c.step for c in cases} == {step for step, _days in PLAN}
    for case in cases:
        assert (case.step_due_at is None) == (case.step in (Step.DECIDED, Step.CLOSED))
        assert [e.to_step for e in case.events.all()][-1] == case.step
    load_demo(report=lambda *a, **k: None)  # loading twice adds nothing
    assert Case.objects.count() == len(PLAN)


def test_live_demo_has_no_complaint_in_the_future() -> None:
    """With the live demo's voting day 3 days ahead (siaga.core.demo), every case and step is already past."""
    import datetime as dt

    from django.utils import timezone

    from siaga.neutrality.models import CaseEvent
    from siaga.operations.models import Election

    Election.objects.filter(slug="pemilu-2024").update(voting_on=timezone.localdate() + dt.timedelta(days=3))
    load_demo(report=lambda *a, **k: None)
    now = timezone.now()
    assert Case.objects.count() == len(PLAN)
    assert not Case.objects.filter(received_at__gt=now).exists()
    assert not CaseEvent.objects.filter(at__gt=now).exists()
