"""Jember demo operations: both elections' stage calendars, the two operations with phases, satgas and siaga
history, the Polres Jember patterns and TPS categories.

Dusun Bandealit (Desa Andongrejo, Kecamatan Tempurejo) is a remote enclave inside Meru Betiri national park;
its 6 TPS were the Jember TPS rated rawan for Pemilu 2024 (domain.md 6.1). TPS are not published per dusun,
so the demo lets Andongrejo's six highest-numbered Pemilu 2024 TPS (015-020) stand for Bandealit's six.
Every other TPS is kurang rawan. Dates marked "asumsi demo" are not from a source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from siaga.core.audit import record_change
from siaga.core.demo import demo_date, demo_offset, is_moved
from siaga.core.models import AuditEvent
from siaga.operations import reference, services
from siaga.operations.models import (
    Election,
    IndicatorSet,
    Operation,
    OperationPhase,
    Satgas,
    SiagaLevel,
    TpsCategory,
    TpsCategoryChange,
    VulnerabilityCategory,
)
from siaga.sites.models import Tps
from siaga.territory.models import PoliceUnit

D = dt.date
ANDONGREJO = "35.09.18.2003"
BANDEALIT_TPS_PEMILU = range(15, 21)  # TPS 015-020 of Andongrejo stand for Dusun Bandealit's 6 TPS
BANDEALIT_TPS_PILKADA = 3  # the 3 highest-numbered Andongrejo TPS of Pilkada 2024 (asumsi demo)
ASSUMED = "asumsi demo"

SATGAS = reference.SATGAS_TEMPLATE


def _moved(stages: list[tuple[str, str, D, D, bool]]) -> list[tuple[str, str, D, D, bool]]:
    """A KPU stage calendar moved with the demo's voting day (siaga.core.demo)."""
    offset = demo_offset()
    return [(code, name, start + offset, end + offset, key) for code, name, start, end, key in stages]


def _source(source: str) -> str:
    return f"{source} (tanggal digeser untuk demo)" if is_moved() else source


def _at(day: D) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(7, 0)))


def _operation(
    *,
    slug: str,
    name: str,
    kind: str,
    election: Election,
    polres: PoliceUnit,
    starts_on: D,
    ends_on: D,
    phases: list[tuple[str, D, D, str]],
    police_available: int | None,
    source: str,
    siaga: list[tuple[D, str, str]],
) -> Operation:
    operation, created = Operation.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "kind": kind,
            "election": election,
            "polres": polres,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "police_available": police_available,
            "source": source,
        },
    )
    if not created:
        return operation
    for phase_kind, start, end, note in phases:
        OperationPhase.objects.create(
            operation=operation, kind=phase_kind, starts_on=start, ends_on=end, notes=note
        )
    for order, (kind_code, title, commander, tasks, subs) in enumerate(SATGAS, start=1):
        parent = Satgas.objects.create(
            operation=operation,
            kind=kind_code,
            name=title,
            commander_rank=commander,
            tasks=tasks,
            order=order * 10,
        )
        for j, (sub_name, sub_commander) in enumerate(subs, start=1):
            Satgas.objects.create(
                operation=operation,
                parent=parent,
                kind=kind_code,
                name=sub_name,
                commander_rank=sub_commander,
                order=order * 10 + j,
            )
    for day, level, reason in siaga:
        services.set_siaga_level(
            actor=None, operation=operation, level=level, reason=reason, effective_at=_at(day)
        )
    return operation


def _categorise(*, election: Election, rawan_tps: list[Tps], justification_rawan: str) -> None:
    if TpsCategory.objects.filter(election=election).exists():
        return
    cats = {c.code: c for c in VulnerabilityCategory.objects.all()}
    rawan_ids = {t.pk for t in rawan_tps}
    now = timezone.now()
    rows, history = [], []
    for tps_id, kecamatan_id in Tps.objects.filter(election=election).values_list("id", "kecamatan_id"):
        code = "rawan" if tps_id in rawan_ids else "kurang_rawan"
        why = justification_rawan if code == "rawan" else "Pemetaan awal Intelkam (data demo): kurang rawan."
        rows.append(
            TpsCategory(
                tps_id=tps_id,
                election=election,
                kecamatan_id=kecamatan_id,
                category=cats[code],
                justification=why,
                decided_at=now,
            )
        )
        history.append(
            TpsCategoryChange(
                tps_id=tps_id,
                to_category=cats[code],
                justification=why,
                decided_by_label="sistem",
                decided_at=now,
                source=TpsCategoryChange.Source.DEMO,
            )
        )
    TpsCategory.objects.bulk_create(rows, batch_size=2000)
    TpsCategoryChange.objects.bulk_create(history, batch_size=2000)
    record_change(
        actor=None,
        action=AuditEvent.Action.IMPORT,
        object_type="operations.tpscategory",
        object_repr=election.slug,
        after={"kurang_rawan": len(rows) - len(rawan_ids), "rawan": len(rawan_ids)},
        message="demo TPS categories",
    )


def bandealit_tps(election: Election) -> list[Tps]:
    """The demo's stand-ins for Dusun Bandealit's TPS (see the module docstring)."""
    qs = Tps.objects.filter(election=election, desa__code=ANDONGREJO, number__lt=900).order_by("number")
    if election.kind == Election.Kind.PEMILU:
        return list(qs.filter(number__in=BANDEALIT_TPS_PEMILU))
    return list(qs)[-BANDEALIT_TPS_PILKADA:]


@transaction.atomic
def load_demo(*, report: Callable[[float, str], None]) -> None:
    pemilu = Election.objects.filter(slug="pemilu-2024").first()
    pilkada = Election.objects.filter(slug="pilkada-2024").first()
    polres = PoliceUnit.objects.filter(code="polres-jember").first()
    if pemilu is None or pilkada is None or polres is None:
        return
    report(5, "tahapan / stages")
    services.load_stages(
        election=pemilu,
        stages=_moved(reference.PEMILU_2024_STAGES),
        source=_source(reference.KPU_PEMILU_2024),
    )
    services.load_stages(
        election=pilkada,
        stages=_moved(reference.PILKADA_2024_STAGES),
        source=_source(reference.KPU_PILKADA_2024),
    )
    report(15, "operasi / operations")
    _operation(
        slug="mantap-brata-2023",
        name="Operasi Mantap Brata Semeru 2023-2024",
        kind=Operation.Kind.CENTRAL,
        election=pemilu,
        polres=polres,
        starts_on=demo_date(2023, 10, 19),
        ends_on=demo_date(2024, 5, 27),
        phases=[
            ("pra", demo_date(2023, 10, 1), demo_date(2023, 10, 18), ASSUMED),
            ("operasi", demo_date(2023, 10, 19), demo_date(2024, 5, 27), "222 hari sejak 19 Okt 2023"),
            ("pasca", demo_date(2024, 5, 28), demo_date(2024, 6, 30), ASSUMED),
        ],
        police_available=645,
        source="222 hari sejak 19 Okt 2023 (penjuru.co.id); 645 personel Polri pada apel pergeseran pasukan "
        "Pemilu 2024 (gemasamudra.com)",
        siaga=[
            (demo_date(2023, 10, 19), SiagaLevel.NORMAL, "Operasi dimulai (data demo)."),
            (demo_date(2023, 11, 28), SiagaLevel.III, "Masa kampanye dimulai (data demo)."),
            (
                demo_date(2024, 2, 11),
                SiagaLevel.I,
                "Masa tenang hingga pemungutan suara: Siaga I, 2/3 kekuatan (data demo).",
            ),
            (demo_date(2024, 2, 16), SiagaLevel.II, "Rekapitulasi berjalan (data demo)."),
            (demo_date(2024, 3, 21), SiagaLevel.NORMAL, "Rekapitulasi selesai 20 Mar 2024 (data demo)."),
        ],
    )
    _operation(
        slug="mantap-praja-2024",
        name="Operasi Mantap Praja Semeru 2024",
        kind=Operation.Kind.REGIONAL,
        election=pilkada,
        polres=polres,
        starts_on=demo_date(2024, 8, 19),
        ends_on=demo_date(2024, 12, 31),
        phases=[
            ("pra", demo_date(2024, 8, 1), demo_date(2024, 8, 18), ASSUMED),
            ("operasi", demo_date(2024, 8, 19), demo_date(2024, 12, 31), "135 hari, 19 Agu - 31 Des 2024"),
            ("pasca", demo_date(2025, 1, 1), demo_date(2025, 1, 31), ASSUMED),
        ],
        police_available=None,
        source="Polda Jatim: 135 hari, 19 Agu - 31 Des 2024 (jurnas.net)",
        siaga=[
            (demo_date(2024, 8, 19), SiagaLevel.NORMAL, "Operasi dimulai (data demo)."),
            (demo_date(2024, 9, 25), SiagaLevel.III, "Masa kampanye dimulai (data demo)."),
            (demo_date(2024, 11, 24), SiagaLevel.I, "Masa tenang hingga pemungutan suara (data demo)."),
            (demo_date(2024, 11, 29), SiagaLevel.II, "Rekapitulasi berjalan (data demo)."),
            (demo_date(2024, 12, 17), SiagaLevel.NORMAL, "Rekapitulasi selesai (data demo)."),
        ],
    )
    report(40, "pola pengamanan / patterns")
    services.copy_pattern_template(actor=None, key="jember-2024", polres=polres, election=pemilu)
    services.copy_pattern_template(actor=None, key="jember-2024", polres=polres, election=pilkada)
    report(55, "kategori TPS / TPS categories")
    why = (
        "Dusun Bandealit: enklave di Taman Nasional Meru Betiri, akses sulit, jauh dari TPS lain "
        "(data demo: TPS ini mewakili 6 TPS Bandealit)."
    )
    bandealit = bandealit_tps(pemilu)
    _categorise(election=pemilu, rawan_tps=bandealit, justification_rawan=why)
    _categorise(election=pilkada, rawan_tps=bandealit_tps(pilkada), justification_rawan=why + " " + ASSUMED)
    report(85, "penilaian / assessments")
    bawaslu = IndicatorSet.objects.get(slug="bawaslu-tps-rawan-pemilu-2024", version=1)
    for tps in bandealit:
        services.record_assessment(
            actor=None,
            tps=tps,
            indicator_set=bawaslu,
            values={"B24-15": 1, "B24-16": 1, "B24-22": 1},
            assessed_on=demo_date(2024, 2, 5),
            evidence="Akses jalan tanah melalui hutan dan perkebunan; sinyal terbatas (data demo).",
            assessor_name="Unit Intelkam Polsek Tempurejo (demo)",
        )
