"""After a locked apel, the required-versus-available figures of the operations app use its result."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from siaga.operations import selectors as operations_selectors
from siaga.operations.models import Election, Operation
from siaga.personnel import services
from siaga.personnel.models import ApelEntry, ApelSession
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
    report = operations_selectors.required_strength(kabagops, election=election)
    assert (report.police_available, report.available_source) == (777, "config")

    entries = list(ApelEntry.objects.filter(session=apel).order_by("pk"))
    for i, e in enumerate(entries):
        services.mark_attendance(actor=kabagops, entry=e, status="present" if i < 7 else "sick")
    # Not locked yet: still the configured figure.
    assert operations_selectors.available_police(polres=polres, election=election) == 777
    services.lock_apel(actor=commander, session=apel)

    report = operations_selectors.required_strength(kabagops, election=election)
    assert (report.police_available, report.available_source) == (7, "apel")
    page = client_for(kabagops).get("/operasi/kebutuhan/", {"election": "pilkada-2024"})
    assert page.status_code == 200
    # Another election's operation has no locked apel: it keeps its configured figure.
    other = Election.objects.get(slug="pemilu-2024")
    assert operations_selectors.available_police_with_source(polres=polres, election=other)[1] != "apel"
