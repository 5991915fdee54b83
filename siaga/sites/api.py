"""Sites API: TPS per election and vital objects, paginated with a `count`, filtered by jurisdiction."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict, model_validator

from siaga.accounts.roles import can
from siaga.api.pagination import Pagination
from siaga.core.errors import PermissionDenied
from siaga.sites import selectors, services
from siaga.sites.models import Tps, VitalObject

router = Router(tags=["situs / sites"])


class TpsOut(Schema):
    id: int
    election: str = Field(..., alias="election.slug")
    code: str
    number: int
    desa_id: int
    desa_name: str = Field(..., alias="desa.name")
    kecamatan_id: int
    kecamatan_name: str = Field(..., alias="kecamatan.name")
    lat: float | None
    lng: float | None
    location_quality: str
    address: str
    voters: int | None
    voters_synthetic: bool
    lokasi_khusus: str


class TpsPatch(Schema):
    # Coordinates come as a pair (one alone was a server error); the schema says so with dependentRequired.
    model_config = ConfigDict(json_schema_extra={"dependentRequired": {"lat": ["lng"], "lng": ["lat"]}})

    address: str = Field(None, max_length=300)  # type: ignore[assignment]
    lat: float = Field(None, ge=-90, le=90)  # type: ignore[assignment]
    lng: float = Field(None, ge=-180, le=180)  # type: ignore[assignment]
    voters: int = Field(None, ge=0, le=5000)  # type: ignore[assignment]
    access_notes: str = Field(None, max_length=300)  # type: ignore[assignment]

    @model_validator(mode="after")
    def coordinates_as_a_pair(self) -> TpsPatch:
        if len({"lat", "lng"} & self.model_fields_set) == 1:
            raise ValueError(_("lat dan lng harus diisi bersama"))
        return self


class VitalObjectOut(Schema):
    id: int
    kind: str
    name: str
    address: str
    kecamatan_id: int
    kecamatan_name: str = Field(..., alias="kecamatan.name")
    lat: float
    lng: float
    location_quality: str


@router.get("/tps", response=list[TpsOut], summary="TPS of an election in your jurisdiction")
@paginate(Pagination)
def list_tps(
    request: HttpRequest, election: str, kecamatan: int | None = None, desa: int | None = None, q: str = ""
):  # type: ignore[no-untyped-def]
    el = services.get_election(election)
    return selectors.tps_for(request.user, election=el, kecamatan_id=kecamatan, desa_id=desa, search=q)


@router.get("/tps/{tps_id}", response=TpsOut, summary="One TPS")
def get_tps(request: HttpRequest, tps_id: int) -> Tps:
    return selectors.access_tps(request.user, tps_id)


@router.patch("/tps/{tps_id}", response=TpsOut, summary="Edit a TPS (address, coordinates, voters)")
def patch_tps(request: HttpRequest, tps_id: int, payload: TpsPatch) -> Tps:
    if not can(request.user, "edit_sites"):
        raise PermissionDenied(_("Peran Anda tidak boleh mengubah TPS"))
    tps = selectors.access_tps(request.user, tps_id)
    data = payload.dict(exclude_unset=True)
    return services.update_tps(actor=request.user, tps=tps, data=data)


@router.get("/vital-objects", response=list[VitalObjectOut], summary="Vital objects in your jurisdiction")
@paginate(Pagination)
def list_vital_objects(request: HttpRequest, kind: str = "", q: str = ""):  # type: ignore[no-untyped-def]
    return selectors.vital_objects_for(request.user, kind=kind, search=q)


@router.get("/vital-objects/{obj_id}", response=VitalObjectOut, summary="One vital object")
def get_vital_object(request: HttpRequest, obj_id: int) -> VitalObject:
    return selectors.access_vital_object(request.user, obj_id)
