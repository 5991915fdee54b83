"""Transactional tests flush the database when they end, and the serialized snapshot they restore was taken
before the session loaded the Jember data; so such a test reloads that data when it finds it gone."""

from __future__ import annotations


def ensure_jember() -> None:
    from siaga.incidents import locate
    from siaga.sites.demo import load_demo as load_sites
    from siaga.sites.models import Tps
    from siaga.territory.demo import load_demo as load_territory
    from siaga.territory.models import Kecamatan

    if not Kecamatan.objects.exists():
        load_territory(report=lambda p, m="": None)
    if not Tps.objects.exists():
        load_sites(report=lambda p, m="": None)
    locate.refresh()
