"""Fixtures for neutrality tests: a Propam/Siwas account of Polres Jember, officers, and a published PAM TPS
plan that puts one officer at a Tempurejo TPS on voting day."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from siaga.accounts.models import User
from siaga.deployment.models import DeploymentPlan, Team, TeamMember, TeamTps
from siaga.neutrality import intake
from siaga.neutrality.models import Case
from siaga.operations.models import Election, SecurityPattern
from siaga.personnel import reference
from siaga.personnel.models import KitItem, Personnel, Rank
from siaga.personnel.services import ensure_units
from siaga.sites.models import Tps
from siaga.territory.models import Kecamatan, PoliceUnit

_nrp = itertools.count(71000001)
_client = itertools.count(1)


@pytest.fixture
def propam(db: Any) -> User:
    return User.objects.create_user(
        username="t.propam",
        password="test-password-123",
        role="propam",
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )


@pytest.fixture
def tempurejo(db: Any) -> Kecamatan:
    return Kecamatan.objects.get(name__iexact="Tempurejo")


def make_officer(polsek_code: str = "polsek-tempurejo", name: str = "Bripda Uji") -> Personnel:
    reference.seed(Rank, KitItem)
    polres = PoliceUnit.objects.get(code="polres-jember")
    unit = next(u for u in ensure_units(polres=polres) if u.police_unit.code == polsek_code)
    return Personnel.objects.create(
        nrp=str(next(_nrp)), name=name, rank=Rank.objects.get(code="bripda"), unit=unit, is_synthetic=True
    )


@pytest.fixture
def officer(db: Any) -> Personnel:
    return make_officer()


@dataclass
class Deployed:
    officer: Personnel
    tps: Tps
    voting_on: dt.date
    plan: DeploymentPlan


@pytest.fixture
def deployed(officer: Personnel, tempurejo: Kecamatan) -> Deployed:
    """The officer in a published plan's team at the first Pemilu 2024 TPS of Tempurejo."""
    election = Election.objects.get(slug="pemilu-2024")
    polres = PoliceUnit.objects.get(code="polres-jember")
    tps = Tps.objects.filter(election=election, kecamatan=tempurejo).order_by("code").first()
    assert tps is not None
    pattern = SecurityPattern.objects.filter(election=election).select_related("category").first()
    assert pattern is not None
    plan = DeploymentPlan.objects.create(
        election=election,
        polres=polres,
        version=1,
        title="uji",
        status=DeploymentPlan.Status.PUBLISHED,
        sprin_number="Sprin/1/II/2024",
        sprin_on=election.voting_on - dt.timedelta(days=3),
    )
    team = Team.objects.create(
        plan=plan,
        code="TMP-01",
        polsek=PoliceUnit.objects.get(code="polsek-tempurejo"),
        pattern=pattern,
        category=pattern.category,
    )
    TeamMember.objects.create(plan=plan, team=team, personnel=officer)
    TeamTps.objects.create(plan=plan, team=team, tps=tps, position=1)
    return Deployed(officer=officer, tps=tps, voting_on=election.voting_on, plan=plan)


def file_public(
    *,
    key: str = "k-1",
    desa_id: int | None = None,
    tps_number: int | None = None,
    name: str = "Siti",
    nik: str = "3509010101010001",
    phone: str = "081234567890",
    occurred_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Case:
    from siaga.territory.models import Desa

    desa_id = desa_id or Desa.objects.filter(kecamatan__name__iexact="Tempurejo").order_by("code").first().pk
    return intake.file_public_complaint(
        complaint=intake.PublicComplaint(
            summary="Anggota berfoto dengan pose dua jari bersama calon di lapangan desa.",
            officer_description="Bripda berseragam, Polsek Tempurejo",
            occurred_at=occurred_at or timezone.now() - dt.timedelta(hours=2),
            desa_id=desa_id,
            tps_number=tps_number,
            place="lapangan",
            name=name,
            nik=nik,
            phone=phone,
        ),
        idempotency_key=key,
        # A fresh address per complaint: the public rate limit (10 an hour per address) is not under test here.
        client=f"10.9.{next(_client) % 250}.{next(_client) % 250}",
        now=now,
    )
