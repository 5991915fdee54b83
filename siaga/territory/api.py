"""Territory API: kecamatan and desa, paginated with a `count`, filtered by jurisdiction."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from siaga.api.pagination import Pagination
from siaga.territory import selectors

router = Router(tags=["wilayah / territory"])


class KecamatanOut(Schema):
    id: int
    code: str
    kpu_code: str
    name: str
    lat: float
    lng: float


class DesaOut(Schema):
    id: int
    code: str
    kpu_code: str
    name: str
    kind: str
    kecamatan_id: int
    kecamatan_name: str
    lat: float
    lng: float

    @staticmethod
    def resolve_kecamatan_name(obj: object) -> str:
        return obj.kecamatan.name  # type: ignore[attr-defined]


@router.get("/kecamatan", response=list[KecamatanOut], summary="Kecamatan in your jurisdiction")
@paginate(Pagination)
def list_kecamatan(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.kecamatan_for(request.user)


@router.get("/desa", response=list[DesaOut], summary="Desa/kelurahan in your jurisdiction")
@paginate(Pagination)
def list_desa(request: HttpRequest, kecamatan: int | None = None, q: str = ""):  # type: ignore[no-untyped-def]
    return selectors.desa_for(request.user, kecamatan_id=kecamatan, search=q)
