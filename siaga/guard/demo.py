"""Jember demo guard: KPU Jember, Bawaslu Jember and a KPU logistics warehouse with their posts and a CCTV
seat, rostered for the 30 days ending on the demo's Pemilu voting day (14 Feb 2024 moved by siaga.core.demo, a few
days after loading) from the demo personnel, with check-ins and handovers at the latest shift change (voting-day
morning when the demo is pinned to the historical dates), so the guard board is live when the demo is opened.

Assumptions, all marked in the data: the warehouse position is approximate (Kaliwates); ballots are taken
to arrive on 20 Jan 2024; staffing rises at H-5 (KPU 2 -> 4, Bawaslu 2 -> 3, warehouse 2 -> 4).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.utils import timezone

from siaga.core.demo import demo_date
from siaga.guard import services
from siaga.guard.engine import to_aware
from siaga.guard.models import Post, Qualification, Roster, Unavailability
from siaga.optimization import roster as engine
from siaga.personnel.models import Personnel
from siaga.sites.models import LocationQuality, VitalObject
from siaga.territory.models import Kecamatan, PoliceUnit

log = logging.getLogger(__name__)

#: The roster's days before voting day (30 days in all).
DAYS_BEFORE = 29
SHIFT_HOURS = (6, 14, 22)  # the 3x8 pattern's shift changes
POOL_SIZE = 60
CCTV_OPERATORS = 12
# Seconds for the demo solve. CP-SAT rarely proves this roster optimal (symmetric officers), so it runs the
# whole limit; a feasible roster comes within a few seconds.
SOLVE_SECONDS = 15.0
WAREHOUSE_NAME = "Gudang Logistik KPU Kabupaten Jember"

KPU_ORDERS = (
    "1. Jaga pintu masuk kantor KPU 24 jam; tamu lapor dan dicatat di buku tamu.\n"
    "2. Catat setiap kejadian di buku mutasi; laporkan ke Posko setiap pergantian shift.\n"
    "3. Patroli keliling gedung tiap jam; cek pagar, lampu, APAR.\n"
    "4. Dilarang meninggalkan pos sebelum serah terima."
)
CCTV_ORDERS = (
    "1. Kursi CCTV tidak pernah ditinggalkan; bila harus ke kamar kecil, minta pengganti lebih dulu.\n"
    "2. Pantau semua kamera; laporkan kamera mati ke Posko dan teknisi KPU.\n"
    "3. Catat orang keluar-masuk gudang dan ruang arsip."
)
GUDANG_ORDERS = (
    "1. Jaga gerbang gudang logistik bersenjata (senpi laras panjang), rompi dan helm.\n"
    "2. Akses terbatas: hanya petugas KPU dengan surat tugas; catat nomor kendaraan.\n"
    "3. Cek segel pintu gudang setiap jam; APAR siap.\n"
    "4. Laporkan di setiap pergantian shift."
)


def _offices() -> tuple[VitalObject | None, VitalObject | None]:
    kpu = (
        VitalObject.objects.filter(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember")
        .order_by("pk")
        .first()
    )
    bawaslu = (
        VitalObject.objects.filter(kind=VitalObject.Kind.BAWASLU_OFFICE, name__icontains="Jember")
        .order_by("pk")
        .first()
    )
    return kpu, bawaslu


def _warehouse() -> VitalObject | None:
    existing = VitalObject.objects.filter(kind=VitalObject.Kind.LOGISTICS_WAREHOUSE).order_by("pk").first()
    if existing:
        return existing
    kecamatan = Kecamatan.objects.filter(name__iexact="Kaliwates").first()
    if kecamatan is None:
        return None
    return VitalObject.objects.create(
        kind=VitalObject.Kind.LOGISTICS_WAREHOUSE,
        name=WAREHOUSE_NAME,
        address="Kaliwates, Jember (lokasi perkiraan / approximate position)",
        kecamatan=kecamatan,
        lat=-8.1748,
        lng=113.6893,
        location_quality=LocationQuality.APPROXIMATE,
        notes="Demo: posisi perkiraan di Kaliwates; gudang nyata KPU Jember belum diverifikasi.",
        source="Siaga demo (approximate)",
    )


def demo_pool() -> list[Personnel]:
    """The officers the demo guard pool is drawn from: active demo personnel of Polres Jember."""
    qs = Personnel.objects.filter(
        status=Personnel.Status.ACTIVE, unit__polres__code="polres-jember"
    ).order_by("unit__order", "pk")
    return list(qs[:POOL_SIZE])


def _posts(kpu: VitalObject, bawaslu: VitalObject, warehouse: VitalObject, *, election: object) -> list[Post]:
    h5 = -5
    ballots_arrive = demo_date(2024, 1, 20)  # demo assumption
    specs = [
        (kpu, "kpu-jember-pos", "Pos Jaga Kantor KPU Jember", Post.Kind.POS_JAGA, 2, "", KPU_ORDERS, None, 4),
        (kpu, "kpu-jember-cctv", "Kursi CCTV KPU Jember", Post.Kind.CCTV, 1, Qualification.CCTV, CCTV_ORDERS, None, None),
        (bawaslu, "bawaslu-jember-pos", "Pos Jaga Kantor Bawaslu Jember", Post.Kind.POS_JAGA, 2, "", KPU_ORDERS, None, 3),
        (warehouse, "gudang-kpu-gerbang", "Gerbang Gudang Logistik KPU", Post.Kind.WAREHOUSE_GATE, 2, Qualification.SENPI,
         GUDANG_ORDERS, ballots_arrive, 4),
    ]  # fmt: skip
    posts = []
    for vo, code, name, kind, required, qual, orders, active_from, from_h5 in specs:
        post = Post.objects.filter(code=code).first() or services.create_post(
            actor=None, vital_object=vo, code=code, name=name, kind=kind, required=required, qualification=qual,
            orders=orders, active_from=active_from, radius_m=150,
        )  # fmt: skip
        if from_h5 and not post.requirements.exists():
            services.add_requirement(
                actor=None,
                post=post,
                required=from_h5,
                from_h_day=h5,
                note="H-5: logistik bergerak / logistics move",
            )
        posts.append(post)
    return posts


def load_demo(*, report: Callable[[float, str], None]) -> None:
    kpu, bawaslu = _offices()
    pool = demo_pool()
    if kpu is None or bawaslu is None:
        log.warning("guard demo: no KPU/Bawaslu Jember vital object; nothing created")
        report(100, "tidak ada kantor KPU/Bawaslu / no KPU/Bawaslu office")
        return
    if not pool:
        log.warning("guard demo: no demo personnel yet; nothing created")
        report(100, "belum ada personel demo / no demo personnel yet")
        return
    from siaga.operations.models import Election, Operation

    election = Election.objects.filter(slug="pemilu-2024").first()
    voting_day = demo_date(2024, 2, 14)
    first_day = voting_day - dt.timedelta(days=DAYS_BEFORE)
    warehouse = _warehouse()
    if warehouse is None:
        report(100, "kecamatan Kaliwates tidak ada / no Kaliwates")
        return
    report(5, "pos jaga / posts")
    posts = _posts(kpu, bawaslu, warehouse, election=election)

    # Qualifications (demo): the first officers are CCTV operators, every other one carries a firearm.
    for i, person in enumerate(pool):
        if i < CCTV_OPERATORS:
            services.grant_qualification(actor=None, personnel=person, qualification=Qualification.CCTV)
        if i % 2 == 1:
            services.grant_qualification(actor=None, personnel=person, qualification=Qualification.SENPI)
    # Some leave, spread before H-5 (one officer in seven takes three days).
    for i, person in enumerate(pool):
        if i % 7 == 3:
            start = first_day + dt.timedelta(days=(i * 5) % 18)
            services.add_unavailability(
                actor=None,
                personnel=person,
                starts_on=start,
                ends_on=start + dt.timedelta(days=2),
                reason=Unavailability.Reason.LEAVE,
            )
    polres = PoliceUnit.objects.get(code="polres-jember")
    operation = Operation.objects.filter(election=election).order_by("pk").first() if election else None
    roster = services.create_roster(
        actor=None, name=f"Jaga KPU, Bawaslu & gudang logistik, {first_day:%d/%m} - {voting_day:%d/%m/%Y}", polres=polres,
        starts_on=first_day, ends_on=voting_day, posts=posts, officers=pool, election=election, operation=operation,
        pattern=Roster.Pattern.THREE_EIGHT, time_limit_s=int(SOLVE_SECONDS),
    )  # fmt: skip
    report(15, "menyusun roster / solving the roster")
    result = services.compute_roster(roster=roster, time_limit=SOLVE_SECONDS)
    roster.refresh_from_db()
    report(80, f"roster: {result.status}, {len(result.assignment)} rows, {result.seconds:.1f} s")
    if not result.is_feasible():
        log.warning("guard demo roster not feasible: %s", roster.diagnosis[:3])
        return
    services.publish_roster(actor=None, roster=roster)
    _shift_change(roster, posts, _demo_boundary(voting_day))
    report(95, "absen dan serah terima / check-ins and handovers")


def _demo_boundary(voting_day: dt.date) -> dt.datetime:
    """The shift change the demo's check-ins happen at: voting-day 06:00 if that is past (historical dates),
    else the latest shift change before now, so the board shows the guards on duty at this moment."""
    morning = to_aware(dt.datetime.combine(voting_day, dt.time(6)))
    now = timezone.now()
    if morning <= now:
        return morning
    today = timezone.localdate()
    changes = [
        to_aware(dt.datetime.combine(day, dt.time(hour)))
        for day in (today - dt.timedelta(days=1), today)
        for hour in SHIFT_HOURS
    ]
    return max(c for c in changes if c <= now)


def _shift_change(roster: Roster, posts: list[Post], boundary: dt.datetime) -> None:
    """At a shift change the incoming shift checks in and takes over; the CCTV watcher leaves 4 hours later
    (unless that is still ahead)."""
    now = timezone.now()
    for post in posts:
        incoming = list(roster.assignments.filter(post=post, starts_at=boundary).select_related("personnel"))
        outgoing = list(roster.assignments.filter(post=post, ends_at=boundary).select_related("personnel"))
        lat, lng = post.position
        for k, a in enumerate(incoming):
            # The Bawaslu post is one guard short this morning, so the demo board shows an alert.
            if post.code == "bawaslu-jember-pos" and k == len(incoming) - 1:
                continue
            c = services.check_in(
                actor=None, post=post, personnel=a.personnel, lat=lat + 0.0002 * (k + 1), lng=lng, accuracy_m=12,
                now=boundary + dt.timedelta(minutes=2 + k),
            )  # fmt: skip
            if post.is_cctv and boundary + dt.timedelta(hours=4) <= now:
                services.check_out(
                    actor=None, checkin=c, lat=lat, lng=lng, now=boundary + dt.timedelta(hours=4)
                )
        # Handovers recorded at the KPU post and the CCTV seat; the warehouse's is missed (an alert).
        if post.code in ("kpu-jember-pos", "kpu-jember-cctv") and incoming and outgoing:
            services.record_handover(
                actor=None, post=post, shift_boundary_at=boundary, outgoing=outgoing[0].personnel, incoming=incoming[0].personnel,
                outgoing_nrp=outgoing[0].personnel.nrp, incoming_nrp=incoming[0].personnel.nrp, inventory_complete=True,
                inventory_notes="HT 2, senter 2, APAR 3, buku mutasi, buku tamu", logbook_entries=4,
                events="Malam aman; patroli Samapta 02:10.", cctv_working=True if post.is_cctv else None,
                now=boundary + dt.timedelta(minutes=5),
            )  # fmt: skip
    services.refresh_alerts(now=min(now, boundary + dt.timedelta(hours=4, minutes=30)))


def check_demo_roster(roster: Roster) -> list[engine.Violation]:
    """validate() over the stored demo roster (used by tests and the demo's own check)."""
    from siaga.guard.engine import assignment_rows, build_instance

    return engine.validate(build_instance(roster), assignment_rows(roster))
