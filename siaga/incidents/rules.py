"""Triage rules kept as small pure functions: priority, receipt codes, duplicate closeness, referrals."""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets

from siaga.incidents.models import Category, Priority, Referral

# Words that turn a report into an emergency whatever its category (Indonesian and Javanese/Madurese usage).
DANGER_WORDS = frozenset(
    [
        "senjata",
        "sajam",
        "celurit",
        "clurit",
        "parang",
        "golok",
        "pistol",
        "tembak",
        "bacok",
        "tusuk",
        "luka",
        "berdarah",
        "meninggal",
        "tewas",
        "bakar",
        "dibakar",
        "kebakaran",
        "massa",
        "bentrok",
        "ricuh",
        "rusuh",
        "amuk",
        "sandera",
        "bom",
        "ledakan",
    ]
)
BASE_PRIORITY: dict[str, int] = {
    Category.VIOLENCE: Priority.P1,
    Category.INTIMIDATION: Priority.P2,
    Category.CRIME: Priority.P2,
    Category.LOGISTICS: Priority.P2,
    Category.MONEY_POLITICS: Priority.P3,
    Category.HOAX_SARA: Priority.P3,
    Category.POLICE_NEUTRALITY: Priority.P3,
    Category.OTHER: Priority.P4,
}
# Which body a category may be referred to: election offences go to Bawaslu through Sentra Gakkumdu
# (UU 7/2017 Pasal 486); complaints about police neutrality go to Propam.
REFERRALS: dict[str, frozenset[str]] = {
    Referral.BAWASLU: frozenset(
        {
            Category.MONEY_POLITICS,
            Category.INTIMIDATION,
            Category.HOAX_SARA,
            Category.LOGISTICS,
            Category.OTHER,
        }
    ),
    Referral.PROPAM: frozenset({Category.POLICE_NEUTRALITY}),
}

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2}


def suggest_priority(*, category: str, description: str, near_tps: bool = False) -> int:
    """P1 for violence or any danger word; one step more urgent when it happens at a TPS."""
    if words(description) & DANGER_WORDS:
        return Priority.P1
    base = BASE_PRIORITY.get(category, Priority.P4)
    if near_tps and base > Priority.P1:
        base -= 1
    return base


RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read over the phone without mistakes
RECEIPT_FORMAT = re.compile(f"[{RECEIPT_ALPHABET}]{{4}}-[{RECEIPT_ALPHABET}]{{4}}")


def new_receipt() -> str:
    """A receipt code like K7M3-Q9TX: 8 characters of a 31-letter alphabet (39.6 bits), unguessable, easy to
    read aloud. One read of the system's random source per code (it is on the public intake's hot path); the
    64 random bits make the modulo bias negligible (below 1e-7)."""
    n = int.from_bytes(secrets.token_bytes(8), "big") % len(RECEIPT_ALPHABET) ** 8
    chars = []
    for _ in range(8):
        n, i = divmod(n, len(RECEIPT_ALPHABET))
        chars.append(RECEIPT_ALPHABET[i])
    return f"{''.join(chars[:4])}-{''.join(chars[4:])}"


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


DUPLICATE_RADIUS_KM = 1.5
DUPLICATE_WINDOW = dt.timedelta(hours=6)


def duplicate_score(
    *,
    same_category: bool,
    km: float | None,
    hours_apart: float,
    text_a: set[str],
    text_b: set[str],
    same_desa: bool = False,
) -> float:
    """0..1: how likely two reports describe the same event (space, time and text closeness, equal weights)."""
    space = max(0.0, 1 - km / DUPLICATE_RADIUS_KM) if km is not None else 0.6 if same_desa else 0.0
    time = max(0.0, 1 - hours_apart / (DUPLICATE_WINDOW.total_seconds() / 3600))
    union = text_a | text_b
    text = len(text_a & text_b) / len(union) if union else 0.0
    score = (space + time + min(1.0, text * 2)) / 3
    return round(score * (1.0 if same_category else 0.7), 3)


COARSE_CELL_DEG = 0.01  # about 1.1 km


def coarsen(value: float | None) -> float | None:
    """A coordinate snapped to the centre of its 0.01-degree cell, for partner viewers (never the raw value)."""
    if value is None:
        return None
    return round(math.floor(value / COARSE_CELL_DEG) * COARSE_CELL_DEG + COARSE_CELL_DEG / 2, 4)
