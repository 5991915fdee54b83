"""Required strength: the Jember acceptance figure, recomputed independently, and its reaction to changes."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest

from siaga.core.models import AuditEvent
from siaga.operations import selectors, services
from siaga.operations.demo import bandealit_tps
from siaga.operations.models import SecurityPattern, TpsCategory, TpsCategoryChange, VulnerabilityCategory
from siaga.sites.models import Tps
from siaga.territory.models import PoliceUnit


def independent_police(
    election: Any, overrides: dict[int, str] | None = None, patterns: dict[str, tuple[int, int]] | None = None
) -> int:
    """Recompute from raw rows: per Polsek and category, ceil(n / tps) groups of `police` officers."""
    patterns = patterns or {"kurang_rawan": (2, 24), "rawan": (2, 2)}
    unit_by_kec: dict[int, int] = {}
    for unit in PoliceUnit.objects.exclude(level="polres").prefetch_related("jurisdiction"):
        for kec in unit.jurisdiction.all():
            unit_by_kec[kec.pk] = unit.pk
    codes = dict(TpsCategory.objects.filter(election=election).values_list("tps_id", "category__code"))
    codes.update(overrides or {})
    counts: Counter[tuple[int, str]] = Counter()
    for tps_id, kec_id in Tps.objects.filter(election=election).values_list("id", "kecamatan_id"):
        counts[(unit_by_kec[kec_id], codes[tps_id])] += 1
    return sum(math.ceil(n / patterns[code][1]) * patterns[code][0] for (_unit, code), n in counts.items())


@pytest.mark.django_db
def test_jember_demo_has_six_rawan_tps_in_andongrejo_and_the_rest_kurang_rawan(
    ops_demo: None, pemilu: Any
) -> None:
    counts = Counter(TpsCategory.objects.filter(election=pemilu).values_list("category__code", flat=True))
    assert counts["rawan"] == 6
    assert counts["kurang_rawan"] == Tps.objects.filter(election=pemilu).count() - 6
    rawan = TpsCategory.objects.filter(election=pemilu, category__code="rawan").select_related("tps__desa")
    assert {c.tps.desa.name for c in rawan} == {"Andongrejo"}
    assert sorted(c.tps.number for c in rawan) == [15, 16, 17, 18, 19, 20]


@pytest.mark.django_db
def test_jember_pemilu_required_police_matches_an_independent_recount(
    ops_demo: None, pemilu: Any, admin_user: Any
) -> None:
    report = selectors.required_strength(admin_user, election=pemilu)
    expected = independent_police(pemilu)
    assert report.result.total.police == expected
    # Near the 645 officers Polres Jember deployed (domain.md 1.5): within 10 %.
    assert 600 <= expected <= 710
    assert report.result.total.tps == Tps.objects.filter(election=pemilu).count()
    # 6 rawan TPS at 2 police : 2 TPS, all in Tempurejo = 3 groups, 6 officers.
    rawan_rows = [
        r
        for r in report.result.rows
        if r.pattern.category_key == VulnerabilityCategory.objects.get(code="rawan").pk
    ]
    assert [(r.need.tps, r.need.groups, r.need.police) for r in rawan_rows] == [(6, 3, 6)]
    # Desa split back to Polsek exactly.
    assert sum(n.police for n in report.result.by_desa.values()) == report.result.total.police
    assert sum(n.police for n in report.result.by_kecamatan.values()) == report.result.total.police
    assert report.police_available == 645


@pytest.mark.django_db
def test_changing_one_tps_category_updates_required_strength_and_is_audited(
    ops_demo: None, pemilu: Any, kabagops: Any
) -> None:
    before = selectors.required_strength(kabagops, election=pemilu).result.total.police
    tps = (
        Tps.objects.filter(election=pemilu, desa__name="Patrang").order_by("number").first()
        or Tps.objects.filter(election=pemilu).exclude(kecamatan__name="Tempurejo").first()
    )
    assert tps is not None
    rawan = VulnerabilityCategory.objects.get(code="rawan")
    services.decide_category(
        actor=kabagops, tps=tps, category=rawan, justification="Laporan Intelkam: basis massa militan"
    )
    after = selectors.required_strength(kabagops, election=pemilu).result.total.police
    assert after == independent_police(pemilu)
    assert after != before
    assert AuditEvent.objects.filter(
        object_type="operations.tpscategory", object_id=str(tps.pk), actor=kabagops
    ).exists()
    history = list(TpsCategoryChange.objects.filter(tps=tps).order_by("decided_at", "id"))
    assert [(h.to_category.code, h.justification) for h in history] == [
        ("kurang_rawan", "Pemetaan awal Intelkam (data demo): kurang rawan."),
        ("rawan", "Laporan Intelkam: basis massa militan"),
    ]
    assert history[1].from_category.code == "kurang_rawan"


@pytest.mark.django_db
def test_changing_a_pattern_updates_required_strength_and_is_audited(
    ops_demo: None, pemilu: Any, kabagops: Any
) -> None:
    pattern = SecurityPattern.objects.get(election=pemilu, category__code="kurang_rawan", is_default=True)
    services.save_pattern(
        actor=kabagops, polres=pattern.polres, election=pemilu, pattern=pattern, data={"tps": 12}
    )
    report = selectors.required_strength(kabagops, election=pemilu)
    assert report.result.total.police == independent_police(
        pemilu, patterns={"kurang_rawan": (2, 12), "rawan": (2, 2)}
    )
    event = AuditEvent.objects.get(
        object_type="operations.securitypattern", object_id=str(pattern.pk), action="update"
    )
    assert event.before == {"tps": 24} and event.after == {"tps": 12}


@pytest.mark.django_db
def test_polsek_sees_only_its_own_requirement(ops_demo: None, pemilu: Any, polsek_tempurejo: Any) -> None:
    report = selectors.required_strength(polsek_tempurejo, election=pemilu)
    assert [u.name for u in report.units.values()] == ["Polsek Tempurejo"]
    n = Tps.objects.filter(election=pemilu, kecamatan__name="Tempurejo").count()
    assert report.result.total.tps == n
    assert report.result.total.police == math.ceil((n - 6) / 24) * 2 + 6
    assert report.shortfall is None  # the Polres figure does not apply to one Polsek


@pytest.mark.django_db
def test_bandealit_stand_ins_are_deterministic(ops_demo: None, pemilu: Any) -> None:
    assert [t.code for t in bandealit_tps(pemilu)] == [f"3509182003{n:03d}" for n in range(15, 21)]
