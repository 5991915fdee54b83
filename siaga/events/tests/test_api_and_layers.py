"""Events and logistics through the API and the map layers: scoped to the user's jurisdiction; the duty
providers of all four duties are declared."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from siaga.core import duties
from siaga.deployment.commitments import TpsDutyProvider
from siaga.events import services
from siaga.events.commitments import EventDutyProvider
from siaga.events.models import Event
from siaga.guard.commitments import GuardDutyProvider
from siaga.logistics.commitments import EscortDutyProvider
from siaga.operations.models import Election
from siaga.territory.models import Kecamatan

TZ = ZoneInfo("Asia/Jakarta")


def test_every_duty_provider_is_declared(db: Any) -> None:
    kinds = {type(p) for p in duties.providers()}
    assert {GuardDutyProvider, TpsDutyProvider, EventDutyProvider, EscortDutyProvider} <= kinds


def _event(kec_name: str, start: dt.datetime) -> Event:
    kec = Kecamatan.objects.get(name__iexact=kec_name)
    return services.create_event(
        actor=None, election=Election.objects.get(slug="pemilu-2024"),
        fields={"kind": "kpu", "title": f"Rapat {kec_name}", "kecamatan": kec, "place": "Kantor", "lat": kec.lat,
                "lng": kec.lng, "starts_at": start, "ends_at": start + dt.timedelta(hours=2), "crowd": 100},
    )  # fmt: skip


def test_api_and_map_layer_are_scoped(client_for: Any, kabagops: Any, outsider: Any) -> None:
    soon = timezone.now() + dt.timedelta(days=1)
    mine = _event("Tempurejo", soon)
    _event("Kaliwates", soon)
    ops, other = client_for(kabagops), client_for(outsider)
    assert ops.get("/api/v1/events").json()["count"] == 2
    # The outsider (Polsek Kaliwates) sees only Kaliwates; Tempurejo's event is 404 there.
    body = other.get("/api/v1/events").json()
    assert body["count"] == 1 and body["items"][0]["title"] == "Rapat Kaliwates"
    assert other.get(f"/api/v1/events/{mine.pk}/clashes").status_code == 404
    assert ops.get(f"/api/v1/events/{mine.pk}/clashes").json() == []
    layer = ops.get("/acara/peta/kegiatan.geojson").json()
    assert {f["properties"]["label"].split(" (")[0] for f in layer["features"]} == {
        "Rapat Tempurejo",
        "Rapat Kaliwates",
    }
    assert len(other.get("/acara/peta/kegiatan.geojson").json()["features"]) == 1
    assert ops.get("/logistik/peta/ruas.geojson").status_code == 200
