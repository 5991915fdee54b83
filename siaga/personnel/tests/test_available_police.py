"""After a locked apel, the required-versus-available figures of the operations app use its result."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from siaga.operations import selectors as operations_selectors
from siaga.operations.models import Election, Operation
from siaga.personnel import services
from siaga.personnel.models import ApelEntry, ApelSession, Personnel
from siaga.territory.models import PoliceUnit

pytestmark = pytest.mark.django_db


def test_locked_apel_feeds_the_required_strength_page(
    apel: ApelSession, kabagops: Any, commander: Any, polres: PoliceUnit, client_for: Any
) -> None:
    election = Election.objects.get(slug="pilkada-2024")
    Operation.objects.update_or_create(
        slug="mantap-praja-2024",
        defaults={
            "name": "Operasi Mantap Praja 2024",
            "election": election,
            "polres": polres,
            "starts_on": dt.date(2024, 8, 27),
            "ends_on": dt.date(2024, 12, 31),
            "police_available": 777,
        },
    )
    # No apel locked yet: the active personnel of the Polres (the planner's pool too), not the configured 777,
    # and the page says so (issue 14 item 6: one definition of available strength).
    roster = Personnel.objects.filter(unit__polres=polres, status=Personnel.Status.ACTIVE).count()
    report = operations_selectors.required_strength(kabagops, election=election)
    assert report.police_available == roster and "belum ada apel terkunci" in report.available_basis

    entries = list(ApelEntry.objects.filter(session=apel).order_by("pk"))
    for i, e in enumerate(entries):
        services.mark_attendance(actor=kabagops, entry=e, status="present" if i < 7 else "sick")
    # Not locked yet: still the roster.
    assert operations_selectors.available_police(polres=polres, election=election) == roster
    services.lock_apel(actor=commander, session=apel)

    report = operations_selectors.required_strength(kabagops, election=election)
    assert report.police_available == 7 and "mantap-praja-2024" in report.available_basis
    page = client_for(kabagops).get("/operasi/kebutuhan/", {"election": "pilkada-2024"})
    assert page.status_code == 200
    other = Election.objects.get(slug="pemilu-2024")
    # Another election's operation has no locked apel of its own: never this Pilkada apel, the roster instead.
    assert operations_selectors.available_police(polres=polres, election=other) == roster
