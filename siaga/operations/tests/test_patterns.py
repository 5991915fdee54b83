"""Security patterns: the body-system rule, defaults, templates."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.core.errors import ValidationFailed
from siaga.operations import services
from siaga.operations.models import SecurityPattern, VulnerabilityCategory
from siaga.territory.models import PoliceUnit


@pytest.fixture
def polres(db: Any) -> PoliceUnit:
    return PoliceUnit.objects.get(code="polres-jember")


@pytest.mark.django_db
def test_one_police_per_group_is_refused_without_an_override_reason(
    polres: PoliceUnit, kabagops: Any
) -> None:
    from siaga.operations.models import Election

    services.ensure_reference_data()
    # A fresh election: the demo's Pemilu 2024 already has its rawan pattern.
    pemilu = Election.objects.create(slug="pilkades-uji", name="Uji", kind="pilkada", voting_on="2029-01-01")
    rawan = VulnerabilityCategory.objects.get(code="rawan")
    before: list[Any] = []
    with pytest.raises(ValidationFailed) as exc:
        services.save_pattern(
            actor=kabagops, polres=polres, election=pemilu, data={"category": rawan, "police": 1, "tps": 1}
        )
    assert "police" in exc.value.fields
    after = list(SecurityPattern.objects.filter(election=pemilu, category=rawan).values_list("pk", "police"))
    assert after == before
    assert not SecurityPattern.objects.filter(election=pemilu, category=rawan, police=1).exists()
    pattern = services.save_pattern(
        actor=kabagops,
        polres=polres,
        election=pemilu,
        data={
            "category": rawan,
            "police": 1,
            "tps": 1,
            "body_system_override_reason": "Keterbatasan personel, didampingi 2 Linmas",
        },
    )
    assert pattern.is_body_system_override


@pytest.mark.django_db
def test_database_refuses_one_police_without_reason_too(pemilu: Any, polres: PoliceUnit) -> None:
    from django.db import IntegrityError, transaction

    services.ensure_reference_data()
    with pytest.raises(IntegrityError), transaction.atomic():
        SecurityPattern.objects.create(
            polres=polres,
            election=pemilu,
            category=VulnerabilityCategory.objects.get(code="rawan"),
            police=1,
            tps=2,
        )


@pytest.mark.django_db
def test_a_new_default_sub_pattern_replaces_the_old_default(
    pemilu: Any, polres: PoliceUnit, kabagops: Any
) -> None:
    services.ensure_reference_data()
    saved = services.copy_pattern_template(
        actor=kabagops, key="kulon-progo-2024", polres=polres, election=pemilu
    )
    assert len(saved) == 6
    kr = SecurityPattern.objects.filter(election=pemilu, category__code="kurang_rawan")
    assert list(kr.filter(is_default=True).values_list("name", flat=True)) == ["2:8"]
    other = kr.get(name="2:4")
    services.save_pattern(
        actor=kabagops, polres=polres, election=pemilu, pattern=other, data={"is_default": True}
    )
    assert list(kr.filter(is_default=True).values_list("name", flat=True)) == ["2:4"]


@pytest.mark.django_db
def test_every_template_copies_cleanly(pemilu: Any, polres: PoliceUnit, kabagops: Any) -> None:
    from siaga.operations.reference import PATTERN_TEMPLATES

    services.ensure_reference_data()
    for template in PATTERN_TEMPLATES:
        services.copy_pattern_template(actor=kabagops, key=template.key, polres=polres, election=pemilu)
    assert (
        SecurityPattern.objects.filter(election=pemilu, police__lt=2)
        .exclude(body_system_override_reason="")
        .count()
        == 2
    )


@pytest.mark.django_db
def test_siaga_one_demands_two_thirds_by_default(ops_demo: None, kabagops: Any) -> None:
    from fractions import Fraction

    from siaga.operations.models import Operation

    op = Operation.objects.get(slug="mantap-brata-2023")
    change = services.set_siaga_level(actor=kabagops, operation=op, level="siaga1", reason="Putusan MK")
    assert change.fraction == Fraction(2, 3)
    assert change.decided_by == kabagops
    custom = services.set_siaga_level(
        actor=kabagops, operation=op, level="siaga2", reason="ST Kapolda", fraction=Fraction(3, 5)
    )
    assert custom.fraction_label == "3/5"
    with pytest.raises(ValidationFailed):
        services.set_siaga_level(actor=kabagops, operation=op, level="siaga1", reason="  ")
