"""Jember demo personnel: about 1,067 officers (Polres Jember's strength at its Mantap Praja apel of 19 Aug
2024), partner forces, vehicles, HT radios, Almatsus and two apel sessions of the Pilkada operation (one locked).
Their dates move with the demo calendar (siaga.core.demo), keeping their place in the 2024 story.

Names (Faker id_ID) and NRPs are synthetic and flagged so on every screen. Officers are spread over the Polres
functions and the Polsek/Polsubsektor in proportion to each unit's Pemilu 2024 TPS. Deterministic (seeded).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from siaga.core.demo import demo_date
from siaga.operations.models import Operation, Satgas
from siaga.personnel.models import (
    ApelEntry,
    ApelEquipmentCheck,
    ApelSession,
    BkoAttachment,
    Equipment,
    KitItem,
    PartnerForce,
    Personnel,
    Rank,
    SatgasAssignment,
    Unit,
)
from siaga.personnel.services import create_apel_session, ensure_units
from siaga.sites.models import Tps
from siaga.sites.services import largest_remainder
from siaga.territory.models import Desa, Kecamatan, PoliceUnit

SEED = 19082024
TOTAL_PERSONNEL = 1067
TOTAL_TNI = 450
OPERATION = "mantap-praja-2024"

# Polres function strengths (427 of 1,067); the rest is spread over the Polsek by TPS.
FUNCTION_SIZES = {
    "pimpinan": 2,
    "bag_ops": 30,
    "bag_ren": 10,
    "bag_sdm": 18,
    "bag_log": 14,
    "si_propam": 14,
    "si_humas": 8,
    "si_tik": 8,
    "si_keu": 6,
    "si_um": 8,
    "si_dokkes": 6,
    "siwas": 6,
    "spkt": 15,
    "sat_intelkam": 45,
    "sat_reskrim": 60,
    "sat_resnarkoba": 25,
    "sat_binmas": 22,
    "sat_samapta": 70,
    "sat_lantas": 55,
    "sat_tahti": 5,
}
# Rank mix of the rank and file (bintara-heavy, as in a Polres DSP); leaders are set separately.
RANK_WEIGHTS = {
    "bripda": 16,
    "briptu": 15,
    "brigpol": 20,
    "bripka": 16,
    "aipda": 12,
    "aiptu": 11,
    "ipda": 5,
    "iptu": 3,
    "akp": 2,
}


def _nrp(rng: random.Random, used: set[str]) -> str:
    """An NRP-shaped number (birth year and month, then a sequence); synthetic."""
    while True:
        nrp = f"{rng.randint(68, 99):02d}{rng.randint(1, 12):02d}{rng.randint(0, 9999):04d}"
        if nrp not in used:
            used.add(nrp)
            return nrp


# The satgas of the demo operation that each Polres function joins (its Sprin); Polsek officers stay on their
# kecamatan's TPS and join none.
SATGAS_OF_FUNCTION: dict[str, str] = {
    Unit.Function.SAT_SAMAPTA: Satgas.Kind.PREVENTIF,
    Unit.Function.SAT_INTELKAM: Satgas.Kind.PREEMTIF,
    Unit.Function.SAT_RESKRIM: Satgas.Kind.GAKKUM,
    Unit.Function.SAT_LANTAS: Satgas.Kind.KAMSELTIBCARLANTAS,
    Unit.Function.SI_HUMAS: Satgas.Kind.HUMAS,
    Unit.Function.BAG_LOG: Satgas.Kind.BANOPS,
    Unit.Function.SI_DOKKES: Satgas.Kind.BANOPS,
}


def _satgas_assignments(people: list[Personnel]) -> None:
    """Every officer of a function in SATGAS_OF_FUNCTION joins that top-level satgas for the whole operation."""
    operation = Operation.objects.filter(slug=OPERATION).first()
    if operation is None:  # the operations demo was not loaded
        return
    satgas = {s.kind: s for s in operation.satgas.filter(parent__isnull=True).order_by("order", "id")}
    SatgasAssignment.objects.bulk_create(
        [
            SatgasAssignment(
                personnel=p,
                satgas=satgas[kind],
                role=p.position[:100],
                from_on=operation.starts_on,
                to_on=operation.ends_on,
            )
            for p in people
            if (kind := SATGAS_OF_FUNCTION.get(p.unit.function)) and kind in satgas
        ],
        batch_size=500,
    )


def _polsek_sizes(polres: PoliceUnit, total: int) -> dict[int, int]:
    """Officers per Polsek/Polsubsektor unit in proportion to its Pemilu 2024 TPS."""
    tps_by_kec = dict(
        Tps.objects.filter(election__slug="pemilu-2024")
        .order_by()
        .values_list("kecamatan_id")
        .annotate(n=Count("id"))
        .values_list("kecamatan_id", "n")
    )
    units = list(
        Unit.objects.filter(polres=polres, function="")
        .prefetch_related("police_unit__jurisdiction")
        .order_by("order")
    )
    weights = [max(1, sum(tps_by_kec.get(k.pk, 0) for k in u.police_unit.jurisdiction.all())) for u in units]
    return {u.pk: n for u, n in zip(units, largest_remainder(weights, total, minimum=8), strict=True)}


@transaction.atomic
def load_demo(*, report: Callable[[float, str], None]) -> None:
    from faker import Faker

    rng = random.Random(SEED)
    fake = Faker("id_ID")
    fake.seed_instance(SEED)
    polres = PoliceUnit.objects.get(code="polres-jember")
    report(2, "satuan / units")
    ensure_units(polres=polres)
    units = {
        u.function or u.police_unit.code: u
        for u in Unit.objects.filter(polres=polres).select_related("police_unit")
    }
    ranks = {r.code: r for r in Rank.objects.all()}

    report(10, "personel / personnel")
    used: set[str] = set()
    people: list[Personnel] = []

    def person(unit: Unit, rank: str, position: str, desa_id: int | None = None) -> Personnel:
        male = rng.random() < 0.88
        name = (
            f"{fake.first_name_male()} {fake.last_name_male()}"
            if male
            else f"{fake.first_name_female()} {fake.last_name_female()}"
        )
        p = Personnel(
            nrp=_nrp(rng, used),
            name=name,
            rank=ranks[rank],
            unit=unit,
            position=position,
            desa_id=desa_id,
            phone=f"08{rng.randint(11, 59)}{rng.randint(10000000, 99999999)}",
            is_synthetic=True,
        )
        people.append(p)
        return p

    def rank_and_file() -> str:
        return rng.choices(list(RANK_WEIGHTS), weights=list(RANK_WEIGHTS.values()))[0]

    person(units["pimpinan"], "akbp", "Kapolres")
    person(units["pimpinan"], "kompol", "Wakapolres")
    for function, size in FUNCTION_SIZES.items():
        if function == "pimpinan":
            continue
        unit = units[function]
        head = (
            "Kabag"
            if function.startswith("bag_")
            else "Kasat"
            if function.startswith("sat_")
            else "Kasi"
            if function.startswith("si")
            else "Ka"
        )
        person(
            unit,
            "kompol" if function.startswith(("bag_", "sat_")) else "akp",
            f"{head} {unit.name.split(' ', 1)[-1]}",
        )
        for i in range(size - 1):
            r = rank_and_file()
            person(
                unit,
                r,
                "Kanit"
                if i < 3 and r in ("ipda", "iptu", "akp", "aiptu")
                else "Banit"
                if r not in ("bripda", "briptu")
                else "Bamin",
            )
    desa_by_kec: dict[int, list[int]] = {}
    for row in (
        Desa.objects.filter(kecamatan__kabupaten_id=polres.kabupaten_pk)
        .order_by("code")
        .values_list("kecamatan_id", "pk")
    ):
        desa_by_kec.setdefault(row[0], []).append(row[1])
    polsek_total = TOTAL_PERSONNEL - sum(FUNCTION_SIZES.values())
    sizes = _polsek_sizes(polres, polsek_total)
    for unit in sorted((u for u in units.values() if u.is_polsek), key=lambda u: u.order):
        size = sizes[unit.pk]
        desa = [d for k in unit.police_unit.jurisdiction.all() for d in desa_by_kec.get(k.pk, [])]
        head_rank = (
            "iptu"
            if unit.police_unit.level == PoliceUnit.Level.POLSUBSEKTOR
            else rng.choice(["akp", "akp", "iptu"])
        )
        person(
            unit,
            head_rank,
            "Kapolsubsektor" if unit.police_unit.level == PoliceUnit.Level.POLSUBSEKTOR else "Kapolsek",
        )
        person(unit, "ipda", "Wakapolsek")
        for pos in ("Kanit Reskrim", "Kanit Samapta", "Kanit Intelkam", "Kanit Binmas"):
            person(unit, rng.choice(["aiptu", "aipda", "ipda"]), pos)
        rest = size - 6
        # Bhabinkamtibmas: one per desa as far as the Polsek's strength allows (about half of it).
        bhabin = min(len(desa), rest // 2)
        for desa_id in desa[:bhabin]:
            person(
                unit, rng.choice(["bripka", "aipda", "aiptu", "brigpol"]), "Bhabinkamtibmas", desa_id=desa_id
            )
        for _ in range(rest - bhabin):
            person(
                unit,
                rank_and_file(),
                rng.choice(["Banit Samapta", "Banit Reskrim", "Banit Intelkam", "SPKT"]),
            )
    Personnel.objects.bulk_create(people, batch_size=500)
    people = list(Personnel.objects.filter(unit__polres=polres).select_related("unit").order_by("pk"))

    report(35, "peralatan / equipment")
    _equipment(rng, units, people)
    report(45, "BKO dan mitra / BKO and partners")
    bko_out = _bko_and_partners(rng, polres, units, people, sizes)
    report(55, "apel")
    _apel_sessions(rng, polres, people, bko_out)
    report(90, "satgas")
    _satgas_assignments(people)


def _equipment(rng: random.Random, units: dict[str, Unit], people: list[Personnel]) -> None:
    items: list[Equipment] = []
    by_unit: dict[int, list[Personnel]] = {}
    for p in people:
        by_unit.setdefault(p.unit_id, []).append(p)
    plate = iter(range(1001, 9999, 7))
    ht = iter(range(1, 10000))

    def condition() -> str:
        x = rng.random()
        return (
            Equipment.Condition.GOOD
            if x < 0.88
            else Equipment.Condition.LIGHT_DAMAGE
            if x < 0.96
            else Equipment.Condition.HEAVY_DAMAGE
        )

    def vehicles(unit: Unit, kind: str, n: int, description: str) -> None:
        for _ in range(n):
            items.append(
                Equipment(
                    kind=kind,
                    identifier=f"{next(plate)}-VII",
                    description=description,
                    unit=unit,
                    condition=condition(),
                    is_synthetic=True,
                )
            )

    def radios(unit: Unit, n: int) -> None:
        holders = by_unit.get(unit.pk, [])
        for i in range(n):
            items.append(
                Equipment(
                    kind=Equipment.Kind.HT,
                    identifier=f"HT-JBR-{next(ht):04d}",
                    description="Motorola HT",
                    unit=unit,
                    holder=holders[i] if i < len(holders) else None,
                    condition=condition(),
                    is_synthetic=True,
                )
            )

    vehicles(units["sat_samapta"], Equipment.Kind.CAR, 6, "Mobil patroli")
    vehicles(units["sat_samapta"], Equipment.Kind.TRUCK, 2, "Truk Dalmas")
    vehicles(units["sat_samapta"], Equipment.Kind.MOTORCYCLE, 20, "R2 patroli")
    vehicles(units["sat_lantas"], Equipment.Kind.CAR, 4, "Mobil PJR")
    vehicles(units["sat_lantas"], Equipment.Kind.MOTORCYCLE, 18, "R2 Lantas")
    vehicles(units["sat_reskrim"], Equipment.Kind.CAR, 2, "Mobil opsnal")
    vehicles(units["bag_ops"], Equipment.Kind.CAR, 2, "Mobil komando")
    for key in ("bag_ops", "sat_samapta", "sat_lantas", "sat_intelkam", "sat_reskrim"):
        radios(units[key], 12)
    for unit in (u for u in units.values() if u.is_polsek):
        vehicles(unit, Equipment.Kind.CAR, 1, "Mobil patroli Polsek")
        vehicles(unit, Equipment.Kind.MOTORCYCLE, 3 + len(by_unit.get(unit.pk, [])) // 10, "R2 Polsek")
        radios(unit, 4 + len(by_unit.get(unit.pk, [])) // 8)
    for kind, n in [
        (Equipment.Kind.SHIELD, 120),
        (Equipment.Kind.BATON, 150),
        (Equipment.Kind.HELMET, 150),
        (Equipment.Kind.VEST, 80),
        (Equipment.Kind.HANDCUFFS, 60),
        (Equipment.Kind.LONG_GUN, 24),
    ]:
        items.append(
            Equipment(
                kind=kind,
                quantity=n,
                unit=units["sat_samapta"],
                description="Almatsus Dalmas",
                is_synthetic=True,
            )
        )
    Equipment.objects.bulk_create(items, batch_size=500)


def _bko_and_partners(
    rng: random.Random,
    polres: PoliceUnit,
    units: dict[str, Unit],
    people: list[Personnel],
    sizes: dict[int, int],
) -> set[int]:
    """Incoming Brimob and Polda BKO, ten officers BKO'd out to Polda, TNI per Koramil, Linmas per desa."""
    BkoAttachment.objects.bulk_create(
        [
            BkoAttachment(
                direction="in",
                origin="brimob",
                origin_name="Sat Brimob Polda Jatim (1 SSK)",
                polres=polres,
                unit=units["sat_samapta"],
                count=100,
                starts_on=demo_date(2024, 11, 20),
                ends_on=demo_date(2024, 12, 5),
                operation_slug=OPERATION,
            ),
            BkoAttachment(
                direction="in",
                origin="polda",
                origin_name="Dit Samapta Polda Jatim",
                polres=polres,
                unit=units["sat_samapta"],
                count=30,
                starts_on=demo_date(2024, 8, 15),
                ends_on=demo_date(2024, 12, 5),
                operation_slug=OPERATION,
            ),
        ]
    )
    samapta = [p for p in people if p.unit_id == units["sat_samapta"].pk and p.position.startswith("B")]
    out = rng.sample(samapta, 10)
    BkoAttachment.objects.bulk_create(
        [
            BkoAttachment(
                direction="out",
                origin="polda",
                origin_name="Polda Jatim (PAM HUT RI)",
                polres=polres,
                unit=p.unit,
                personnel=p,
                count=1,
                starts_on=demo_date(2024, 8, 10),
                ends_on=demo_date(2024, 8, 25),
                operation_slug=OPERATION,
            )
            for p in out
        ]
    )
    tps = dict(
        Tps.objects.filter(election__slug="pemilu-2024")
        .order_by()
        .values_list("desa_id")
        .annotate(n=Count("id"))
        .values_list("desa_id", "n")
    )
    kec_list = list(Kecamatan.objects.filter(kabupaten_id=polres.kabupaten_pk).order_by("code"))
    kec_tps = [sum(tps.get(d, 0) for d in k.desa.values_list("pk", flat=True)) or 1 for k in kec_list]
    tni = largest_remainder(kec_tps, TOTAL_TNI, minimum=5)
    partners: list[PartnerForce] = []
    for i, (kec, n) in enumerate(zip(kec_list, tni, strict=True), start=1):
        partners.append(
            PartnerForce(
                kind="tni",
                unit_name=f"Koramil 0824/{i:02d} {kec.name}",
                kecamatan=kec,
                count=n - 1,
                operation_slug=OPERATION,
            )
        )
        partners.append(
            PartnerForce(
                kind="tni",
                unit_name=f"Koramil 0824/{i:02d} {kec.name}",
                kecamatan=kec,
                person_name=f"Danramil {kec.name}",
                rank_or_title="Kapten Inf",
                count=1,
                operation_slug=OPERATION,
            )
        )
    for desa in Desa.objects.filter(kecamatan__kabupaten_id=polres.kabupaten_pk).order_by("code"):
        # Two Linmas per TPS (KPU rule for Pemilu 2024).
        if tps.get(desa.pk):
            partners.append(
                PartnerForce(
                    kind="linmas",
                    unit_name=f"Linmas {desa.name}",
                    kecamatan_id=desa.kecamatan_id,
                    desa=desa,
                    count=2 * tps[desa.pk],
                    operation_slug=OPERATION,
                )
            )
    hq = next((k for k in kec_list if k.name == "Kaliwates"), kec_list[0])
    partners.append(
        PartnerForce(
            kind="satpol_pp",
            unit_name="Satpol PP Kabupaten Jember",
            kecamatan=hq,
            count=120,
            operation_slug=OPERATION,
        )
    )
    PartnerForce.objects.bulk_create(partners, batch_size=500)
    return {p.pk for p in out}


def _apel_sessions(
    rng: random.Random, polres: PoliceUnit, people: list[Personnel], bko_out: set[int]
) -> None:
    from siaga.accounts.models import Role, User

    commander = (
        User.objects.filter(role=Role.COMMANDER).first() or User.objects.filter(is_superuser=True).first()
    )
    if commander is None:
        # Demo accounts are created after the demo data: the lock is signed by an inactive system account.
        commander, _ = User.objects.get_or_create(
            username="sistem.demo",
            defaults={
                "role": Role.COMMANDER,
                "is_active": False,
                "is_demo": True,
                "first_name": "Kapolres (demo)",
            },
        )
    locked = create_apel_session(
        actor=None,
        polres=polres,
        operation_slug=OPERATION,
        kind=ApelSession.Kind.GELAR_PASUKAN,
        held_on=demo_date(2024, 8, 19),
        place="Lapangan Mapolres Jember",
        note="Apel gelar pasukan Operasi Mantap Praja Semeru 2024 (demo)",
    )
    later = create_apel_session(
        actor=None,
        polres=polres,
        operation_slug=OPERATION,
        kind=ApelSession.Kind.PERGESERAN,
        held_on=demo_date(2024, 11, 25),
        place="Lapangan Mapolres Jember",
        note="Apel pergeseran pasukan PAM TPS Pilkada (demo, belum selesai)",
    )
    now = timezone.now()
    kit = list(KitItem.objects.filter(is_active=True))
    missing_links = []
    entries = list(ApelEntry.objects.filter(session=locked).order_by("pk"))
    for e in entries:
        x = rng.random()
        if e.personnel_id in bko_out:
            e.status = ApelEntry.Status.BKO_OUT
        elif x < 0.93:
            e.status = ApelEntry.Status.PRESENT
        elif x < 0.95:
            e.status = ApelEntry.Status.SICK
        elif x < 0.97:
            e.status = ApelEntry.Status.LEAVE
        elif x < 0.995:
            e.status = ApelEntry.Status.DUTY
        else:
            e.status, e.reason = ApelEntry.Status.ABSENT, "tidak ada kabar"
        e.version, e.marked_at = 1, now
        if e.status == ApelEntry.Status.PRESENT:
            e.health = ApelEntry.Health.FIT if rng.random() < 0.98 else ApelEntry.Health.UNFIT
            if rng.random() < 0.4:
                e.kit_checked = True
                if rng.random() < 0.15:
                    missing_links.append((e.pk, rng.choice(kit).pk))
    ApelEntry.objects.bulk_update(
        entries, ["status", "reason", "version", "marked_at", "health", "kit_checked"], batch_size=500
    )
    through = ApelEntry.kit_missing.through
    through.objects.bulk_create([through(apelentry_id=e, kititem_id=k) for e, k in missing_links])
    checks = list(ApelEquipmentCheck.objects.filter(session=locked).select_related("equipment"))
    for c in checks:
        q = c.equipment.quantity
        if q > 1:
            c.ready_quantity = q - rng.randint(0, max(1, q // 10))
            c.result = (
                ApelEquipmentCheck.Result.READY
                if c.ready_quantity == q
                else ApelEquipmentCheck.Result.UNSERVICEABLE
            )
        else:
            bad = c.equipment.condition == Equipment.Condition.HEAVY_DAMAGE
            c.result = (
                ApelEquipmentCheck.Result.UNSERVICEABLE
                if bad
                else ApelEquipmentCheck.Result.MISSING
                if rng.random() < 0.01
                else ApelEquipmentCheck.Result.READY
            )
            c.ready_quantity = 1 if c.result == ApelEquipmentCheck.Result.READY else 0
        c.version, c.checked_at = 1, now
    ApelEquipmentCheck.objects.bulk_update(
        checks, ["result", "ready_quantity", "version", "checked_at"], batch_size=500
    )
    ApelSession.objects.filter(pk=locked.pk).update(locked_at=now, locked_by=commander)

    # The second apel is under way: about 70 % marked, the rest waits for the roll-call screen.
    later_entries = list(ApelEntry.objects.filter(session=later).order_by("pk"))
    for e in later_entries:
        if rng.random() < 0.7:
            e.status = ApelEntry.Status.PRESENT if rng.random() < 0.95 else ApelEntry.Status.SICK
            e.version, e.marked_at = 1, now
    ApelEntry.objects.bulk_update(later_entries, ["status", "version", "marked_at"], batch_size=500)
