"""Jember demo: a PAM TPS plan for Pemilu 2024 from the demo's available officers, reviewed and published
with a demo Sprin number so "TPS saya" works. Quick: a short time limit; skipped without personnel."""

from __future__ import annotations

from collections.abc import Callable

from siaga.core.demo import demo_date
from siaga.deployment import services
from siaga.operations.models import Election, SecurityPattern
from siaga.personnel.models import Personnel
from siaga.territory.models import PoliceUnit

TIME_LIMIT_S = 12
# Sprin numbers carry the month in Roman numerals (Sprin/123/II/OPS.1.1/2024).
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def load_demo(*, report: Callable[[float, str], None]) -> None:
    polres = PoliceUnit.objects.filter(code="polres-jember").first()
    election = Election.objects.filter(slug="pemilu-2024").first()
    if polres is None or election is None or not Personnel.objects.filter(unit__polres=polres).exists():
        report(100, "dilewati: tidak ada personel / skipped: no personnel")
        return
    if not SecurityPattern.objects.filter(election=election, polres=polres).exists():
        report(100, "dilewati: tidak ada pola / skipped: no patterns")
        return
    run = services.create_run(
        actor=None, election=election, polres=polres, time_limit=TIME_LIMIT_S, seed=0, workers=2
    )

    def progress(percent: float, message: str = "") -> None:
        report(percent * 0.9, f"plotting PAM TPS: {message}")

    plan = services.execute_run(run=run, report=progress)
    sprin_on = demo_date(2024, 2, 10)  # four days before voting day, on the demo calendar
    if plan.is_valid:
        services.transition_plan(actor=None, plan=plan, to="reviewed")
        services.transition_plan(
            actor=None,
            plan=plan,
            to="published",
            sprin_number=f"Sprin/123/{ROMAN_MONTHS[sprin_on.month - 1]}/OPS.1.1/{sprin_on.year} (demo)",
            sprin_on=sprin_on,
        )
    report(100, f"plotting PAM TPS: {plan.tps_covered}/{plan.tps_total} TPS")
