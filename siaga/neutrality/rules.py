"""The neutrality case workflow as data: which step may follow which, and the deadline of each step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from siaga.neutrality.models import Step

# received -> clarification -> gelar perkara -> classification -> hearing -> decision; any open step may be
# closed with a reason (not proven, not a police officer, withdrawn...). Decided and closed are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    Step.RECEIVED: frozenset({Step.CLARIFICATION, Step.CLOSED}),
    Step.CLARIFICATION: frozenset({Step.GELAR_PERKARA, Step.CLOSED}),
    Step.GELAR_PERKARA: frozenset({Step.CLASSIFIED, Step.CLOSED}),
    Step.CLASSIFIED: frozenset({Step.HEARING, Step.CLOSED}),
    Step.HEARING: frozenset({Step.DECIDED, Step.CLOSED}),
    Step.DECIDED: frozenset(),
    Step.CLOSED: frozenset(),
}

# National defaults (key -> days, warning hours), loaded by a migration and editable as data. The first three
# count from entering the step: Propam answers election complaints within 1 x 24 hours (Kabaharkam, 2023).
# The classifications count from receipt: discipline cases within 7 days of the LP, code-of-ethics cases
# within 14 (domain.md section 7).
DEFAULT_DEADLINES: dict[str, tuple[int, int, str]] = {
    "received": (1, 6, "Tanggapi pengaduan dalam 1 x 24 jam"),
    "clarification": (3, 24, "Klarifikasi para pihak"),
    "gelar_perkara": (2, 24, "Gelar perkara dan klasifikasi"),
    "ringan": (7, 24, "Pelanggaran disiplin: selesai 7 hari sejak laporan"),
    "sedang": (14, 48, "Pelanggaran kode etik: selesai 14 hari sejak laporan"),
    "berat": (14, 48, "Pelanggaran kode etik berat: selesai 14 hari sejak laporan"),
}
STEP_KEYS = frozenset({Step.RECEIVED, Step.CLARIFICATION, Step.GELAR_PERKARA})


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime | None
    warn_at: dt.datetime | None


def deadline_for(
    *,
    step: str,
    classification: str,
    step_started_at: dt.datetime,
    received_at: dt.datetime,
    rules: dict[str, tuple[int, int]],
) -> Deadline:
    """When the step is due and when to warn, from the rules (key -> (days, warn hours)); None when final."""
    if step in STEP_KEYS:
        key, start = step, step_started_at
    elif step in (Step.CLASSIFIED, Step.HEARING) and classification:
        key, start = classification, received_at
    else:
        return Deadline(None, None)
    if key not in rules:
        return Deadline(None, None)
    days, warn_hours = rules[key]
    due = start + dt.timedelta(days=days)
    return Deadline(due, due - dt.timedelta(hours=warn_hours))


def deadline_state(*, due_at: dt.datetime | None, warn_at: dt.datetime | None, now: dt.datetime) -> str:
    """'ok', 'warning' (inside the warning window) or 'overdue'; '' for a case with no deadline."""
    if due_at is None:
        return ""
    if now >= due_at:
        return "overdue"
    if warn_at is not None and now >= warn_at:
        return "warning"
    return "ok"
