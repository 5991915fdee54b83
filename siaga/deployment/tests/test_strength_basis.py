"""One definition of available strength: the strength page and the planner count the same officers, from the
apel of the election's own operation, and say so, per Polres and per Polsek (issue 14 item 6: the strength page
said 645 available while the plan used 948 officers from another operation's apel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from siaga.deployment.selectors import available_officers_for
from siaga.operations.models import Election
from siaga.personnel.models import ApelEntry, ApelSession, Personnel
from siaga.territory.models import PoliceUnit


def test_strength_page_and_planner_agree_and_name_their_basis(
    polres: PoliceUnit,
    pemilu: Election,
    staff: Callable[[dict[str, int]], list[Personnel]],
    client_for: Any,
    kabagops: Any,
    polsek_tempurejo: Any,
) -> None:
    people = staff({"polsek-tempurejo": 10, "polsek-ambulu": 8})
    # That apel belongs to the Pilkada operation, and only 12 were present: not a basis for the Pemilu.
    other = ApelSession.objects.get(polres=polres)
    ApelSession.objects.filter(pk=other.pk).update(operation_slug="mantap-praja-2024")
    absent = [p.pk for p in people if p.unit.police_unit.code == "polsek-ambulu"][:6]
    ApelEntry.objects.filter(session=other, personnel_id__in=absent).update(status=ApelEntry.Status.SICK)

    pool = available_officers_for(polres=polres, election=pemilu)
    assert pool.source == "active" and len(pool.officers) == 18
    client = client_for(kabagops)
    page = client.get(f"/operasi/kebutuhan/?election={pemilu.slug}")
    report = page.context["report"]
    assert report.police_available == 18  # not the configured 645, not the Pilkada apel's 12
    text = page.content.decode()
    assert "belum ada apel terkunci" in text and "mantap-praja-2024" not in text
    tempurejo = PoliceUnit.objects.get(code="polsek-tempurejo")
    row = next(r for r in report.unit_rows() if r["unit"].pk == tempurejo.pk)
    assert row["available"] == 10

    # The Pemilu operation's own apel is locked with 2 absent: both now count 16 and name that apel.
    session = ApelSession.objects.create(
        polres=polres,
        operation_slug="mantap-brata-2023",
        kind=ApelSession.Kind.PERGESERAN,
        held_on=other.held_on,
        place="Mapolres",
        locked_at=other.locked_at,
        locked_by=other.locked_by,
    )
    ApelEntry.objects.bulk_create(
        ApelEntry(
            session=session,
            personnel=p,
            unit_id=p.unit_id,
            status=ApelEntry.Status.SICK if i < 2 else ApelEntry.Status.PRESENT,
        )
        for i, p in enumerate(people)
    )
    pool = available_officers_for(polres=polres, election=pemilu)
    assert pool.source == "apel" and pool.apel_id == session.pk and len(pool.officers) == 16
    page = client.get(f"/operasi/kebutuhan/?election={pemilu.slug}")
    assert page.context["report"].police_available == 16
    assert "mantap-brata-2023" in page.content.decode()
    # A Polsek account sees its own Polsek's figure by the same definition.
    own = client_for(polsek_tempurejo).get(f"/operasi/kebutuhan/?election={pemilu.slug}").context["report"]
    assert [r["available"] for r in own.unit_rows() if r["unit"].pk == tempurejo.pk] == [
        sum(1 for i, p in enumerate(people) if i >= 2 and p.unit.police_unit_id == tempurejo.pk)
    ]
