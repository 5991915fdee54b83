"""Jember demo sites: Pemilu 2024 (real per-desa TPS counts) and Pilkada 2024 (4,046 TPS in proportion).

TPS positions and voter counts are synthetic and flagged so; the counts per desa are real (KawalPemilu kp24).
Voting days move with the demo calendar (siaga.core.demo: Pemilu voting day a few days after loading).
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from siaga.core.demo import demo_date
from siaga.operations.models import Election
from siaga.sites.services import generate_demo_tps, largest_remainder
from siaga.territory.demo import JEMBER_DIR

PILKADA_2024_TPS = 4046  # KPU Jember, DPT plenary of 20 Sep 2024
PILKADA_2024_LOKASI_KHUSUS = 2  # both at the lapas (Kel. Jemberlor, Patrang)


def pemilu_2024_counts() -> dict[str, tuple[int, int]]:
    with (JEMBER_DIR / "jember_desa.csv").open(encoding="utf-8") as fh:
        return {
            r["kode_desa"]: (int(r["tps_pemilu2024_reguler"]), int(r["tps_pemilu2024_lokasi_khusus"]))
            for r in csv.DictReader(fh)
        }


def pilkada_2024_counts(pemilu: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Pilkada 2024 merged TPS up to 600 voters; only the total is public, so spread it in proportion."""
    codes = sorted(pemilu)
    regular = largest_remainder(
        [pemilu[c][0] for c in codes], PILKADA_2024_TPS - PILKADA_2024_LOKASI_KHUSUS, minimum=1
    )
    khusus_desa = next(c for c in codes if pemilu[c][1] > 0)
    return {
        c: (r, PILKADA_2024_LOKASI_KHUSUS if c == khusus_desa else 0)
        for c, r in zip(codes, regular, strict=True)
    }


def load_demo(*, report: Callable[[float, str], None]) -> None:
    pemilu, _ = Election.objects.get_or_create(
        slug="pemilu-2024",
        defaults={
            "name": "Pemilu 2024",
            "kind": Election.Kind.PEMILU,
            "voting_on": demo_date(2024, 2, 14),
            "max_voters_per_tps": 300,
        },
    )
    pilkada, _ = Election.objects.get_or_create(
        slug="pilkada-2024",
        defaults={
            "name": "Pilkada Jember 2024",
            "kind": Election.Kind.PILKADA,
            "voting_on": demo_date(2024, 11, 27),
            "max_voters_per_tps": 600,
        },
    )
    counts = pemilu_2024_counts()
    report(5, "Pemilu 2024 TPS")
    # Pemilu 2024 DPT 1,972,216 in 7,706 TPS: about 256 voters per TPS.
    generate_demo_tps(
        election=pemilu,
        counts=counts,
        lokasi_khusus_type="lainnya",
        mean_voters=256,
        report=lambda p, m: report(5 + 0.6 * p, m),
    )
    report(65, "Pilkada 2024 TPS")
    # Pilkada 2024 DPT 1,955,219 in 4,046 TPS: about 483 voters per TPS.
    generate_demo_tps(
        election=pilkada,
        counts=pilkada_2024_counts(counts),
        lokasi_khusus_type="lapas",
        mean_voters=483,
        report=lambda p, m: report(65 + 0.35 * p, m),
    )
