"""Jember demo neutrality cases: a handful of synthetic complaints in every step, a declared relative and
pledges. Dates follow the Pemilu 2024 voting day stored in the database, so they move with the demo's
calendar. Every text is invented; the cases carry the word "(contoh)" so nobody mistakes them for real ones."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from siaga.neutrality import rules
from siaga.neutrality.models import Case, CaseEvent, Complainant, DeadlineRule, Relative, Step
from siaga.operations.models import Election
from siaga.territory.models import Desa

WIB = ZoneInfo("Asia/Jakarta")

STORIES = [
    (
        "Anggota berseragam berfoto dengan calon sambil berpose dua jari di posko pemenangan (contoh).",
        "Bripka, Polsek",
    ),
    (
        "Oknum anggota ikut membagikan stiker dan kalender calon kepada warga saat patroli (contoh).",
        "Brigpol, Sat Samapta",
    ),
    (
        "Anggota hadir dan berbicara di deklarasi relawan tanpa surat perintah tugas (contoh).",
        "Aipda, Polsek",
    ),
    ("Akun media sosial anggota membagikan ulang gambar kampanye calon (contoh).", "Briptu, Polres"),
    (
        "Anggota diduga meminta warga memilih calon tertentu saat kunjungan Bhabinkamtibmas (contoh).",
        "Bhabinkamtibmas",
    ),
    ("Kendaraan dinas terlihat mengangkut atribut kampanye (contoh).", "Anggota Polsek"),
]
# The step each demo case has reached, with the day (before voting) it was received.
PLAN = [
    (Step.RECEIVED, 2),
    (Step.RECEIVED, 6),
    (Step.CLARIFICATION, 8),
    (Step.GELAR_PERKARA, 12),
    (Step.HEARING, 20),
    (Step.DECIDED, 30),
    (Step.CLOSED, 25),
]
PATH = [Step.RECEIVED, Step.CLARIFICATION, Step.GELAR_PERKARA, Step.CLASSIFIED, Step.HEARING, Step.DECIDED]


def load_demo(*, report: Callable[..., None]) -> None:
    election = Election.objects.filter(slug="pemilu-2024").first()
    if election is None or Case.objects.exists():
        return
    rng = random.Random(17)
    desa = list(Desa.objects.select_related("kecamatan").order_by("code"))
    table = {r.key: (r.days, r.warn_hours) for r in DeadlineRule.objects.all()}
    voting = dt.datetime.combine(election.voting_on, dt.time(9), tzinfo=WIB)
    with transaction.atomic():
        for i, (final, days_before) in enumerate(PLAN):
            # A live demo's voting day is a few days ahead (siaga.core.demo): no complaint arrives in the future.
            received = min(voting - dt.timedelta(days=days_before), timezone.now() - dt.timedelta(hours=2))
            place = rng.choice(desa)
            summary, who = STORIES[i % len(STORIES)]
            case = Case(
                receipt=f"DEMO-N{i + 1:03d}",
                source=[Case.Source.PUBLIC, Case.Source.INTERNAL, Case.Source.PARTNER][i % 3],
                summary=summary,
                officer_description=who,
                occurred_at=received - dt.timedelta(hours=20),
                kecamatan=place.kecamatan,
                desa=place,
                received_at=received,
                step_started_at=received,
                is_synthetic=True,
            )
            steps = [Step.RECEIVED, Step.CLOSED] if final == Step.CLOSED else PATH[: PATH.index(final) + 1]
            events = []
            at = received
            for n, step in enumerate(steps):
                if n:
                    at = at + dt.timedelta(days=1, hours=rng.randint(1, 20))
                events.append((step, at))
            case.step, case.step_started_at = final, events[-1][1]
            if final in (Step.HEARING, Step.DECIDED):
                case.classification = "ringan" if i % 2 else "sedang"
            if final == Step.DECIDED:
                case.decision = "Terbukti; teguran tertulis (contoh)"
                case.sanction = "Teguran tertulis"
            if final == Step.CLOSED:
                case.close_reason = Case.CloseReason.INSUFFICIENT
            deadline = rules.deadline_for(
                step=case.step,
                classification=case.classification,
                step_started_at=case.step_started_at,
                received_at=case.received_at,
                rules=table,
            )
            case.step_due_at, case.step_warn_at = deadline.due_at, deadline.warn_at
            case.save()
            CaseEvent.objects.bulk_create(
                [
                    CaseEvent(
                        case=case,
                        from_step=events[k - 1][0] if k else "",
                        to_step=step,
                        at=when,
                        note="(contoh)" if k else "",
                    )
                    for k, (step, when) in enumerate(events)
                ]
            )
            if case.source == Case.Source.PUBLIC:
                Complainant.objects.create(case=case, name="Warga (contoh)", phone="0800000000" + str(i))
        _relative(voting.date())
    report(100, "netralitas")


def _relative(today: dt.date) -> None:
    from siaga.personnel.models import Personnel

    officer = (
        Personnel.objects.filter(is_synthetic=True, unit__police_unit__code="polsek-tempurejo")
        .order_by("nrp")
        .first()
    )
    if officer is None:
        return
    relative = Relative.objects.create(
        personnel=officer,
        name="H. Contoh Kerabat (sintetis)",
        relation=Relative.Relation.SIBLING,
        standing=Relative.Standing.CANDIDATE,
        party="Partai Contoh",
        contest="DPRD Kab. Jember",
        declared_on=today - dt.timedelta(days=60),
    )
    relative.kecamatan.set(officer.unit.police_unit.jurisdiction.all())
