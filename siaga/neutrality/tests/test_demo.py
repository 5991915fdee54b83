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
