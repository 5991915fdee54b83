"""The whole Jember logistics chain: generate every leg of Pemilu 2024 (7,706 TPS, KPU warehouse -> PPK -> PPS ->
TPS and back) and plan the escorts, on a fresh SQLite database, through the same services the app runs.

    .venv/bin/python bench/logistics.py [--keep DIR]

Set-up (untimed, printed): migrate, the Jember territory, TPS and operations, and the demo personnel of Polres
Jember (1,067 officers, synthetic). No PAM TPS plan or guard roster is loaded here: the providers are still asked
(their queries are timed) but answer nothing; the demo test covers the plan with all four duties in place.
Timed: `generate_chain` (places, legs, travel times on the routing core's road approximation, bulk insert) and
`plan_escorts` (every officer's other duties from the commitment providers, the greedy team choice, bulk insert),
then a check that no officer is on two overlapping duties. Prints one JSON object; the acceptance is
`total_s < 60` on the 2-core build machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", help="use this folder for the database (kept afterwards)")
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="siaga-logistics-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["SIAGA_DATA_DIR"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "siaga.settings"
    import django

    django.setup()
    from django.core.management import call_command

    figures: dict[str, object] = {}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    from siaga.operations.demo import load_demo as load_operations
    from siaga.personnel.demo import load_demo as load_personnel
    from siaga.sites.demo import load_demo as load_sites
    from siaga.territory.demo import load_demo as load_territory

    def quiet(percent: float, message: str = "") -> None:
        return None

    for loader in (load_territory, load_sites, load_operations, load_personnel):
        loader(report=quiet)
    figures["setup_s"] = round(time.perf_counter() - t0, 1)

    from siaga.core import duties
    from siaga.logistics import services
    from siaga.logistics.models import Escort, Leg
    from siaga.operations.models import Election
    from siaga.personnel.models import Personnel
    from siaga.sites.models import Tps
    from siaga.territory.models import PoliceUnit

    election = Election.objects.get(slug="pemilu-2024")
    polres = PoliceUnit.objects.get(code="polres-jember")
    figures["tps"] = Tps.objects.filter(election=election).count()
    figures["officers"] = Personnel.objects.filter(
        unit__polres=polres, status=Personnel.Status.ACTIVE
    ).count()

    t0 = time.perf_counter()
    chain = services.generate_chain(actor=None, election=election)
    figures["generate_s"] = round(time.perf_counter() - t0, 2)
    t1 = time.perf_counter()
    plan = services.plan_escorts(actor=None, election=election, polres=polres)
    figures["plan_s"] = round(time.perf_counter() - t1, 2)
    figures["total_s"] = round(time.perf_counter() - t0, 2)
    figures["legs"] = chain["legs"]
    figures.update({k: plan[k] for k in ("trips", "escorted", "unescorted")})
    figures["escort_rows"] = Escort.objects.count()
    figures["escort_officers"] = Escort.objects.values("personnel_id").distinct().count()
    first = Leg.objects.order_by("planned_depart").first()
    last = Leg.objects.order_by("-planned_arrive").first()
    assert first is not None and last is not None
    figures["first_departure"] = first.planned_depart.isoformat()
    figures["last_arrival"] = last.planned_arrive.isoformat()
    figures["double_bookings"] = len(
        duties.double_bookings(start=first.planned_depart, end=last.planned_arrive)
    )
    figures["under_60s"] = figures["total_s"] < 60  # type: ignore[operator]
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
