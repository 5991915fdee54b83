"""Personnel API: readiness from the latest locked apel, available officers, personnel list. Jurisdiction-filtered."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Header, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from siaga.accounts.roles import can
from siaga.api.pagination import Pagination
from siaga.core.errors import NotFound, PermissionDenied
from siaga.deployment.selectors import personnel_of
from siaga.incidents.idempotency import MAX_KEY_LENGTH, check_key, run_once
from siaga.personnel import selectors, services
from siaga.personnel.models import ApelEntry

router = Router(tags=["personel / personnel"])


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied(_("Peran Anda tidak boleh melihat data ini"))


class StrengthRowOut(Schema):
    key: str
    label: str
    roster: int
    present: int
    bko_in: int
    real_strength: int
    percent_present: float
    sick: int
    leave: int
    duty: int
    bko_out: int
    absent: int
    unmarked: int


class EquipmentOut(Schema):
    kind: str
    label: str
    category: str
    total: int
    ready: int
    unserviceable: int
    missing: int
    unchecked: int
    percent_ready: float


class ReadinessOut(Schema):
    apel_id: int
    operation: str
    held_on: dt.date
    kind: str
    locked: bool
    roster: int
    present: int
    bko_in: int
    real_strength: int
    by_unit: list[StrengthRowOut]
    by_police_unit: list[StrengthRowOut]
    by_satgas: list[StrengthRowOut]
    equipment: list[EquipmentOut]
    kit: dict[str, Any]
    health: dict[str, int]


@router.get(
    "/readiness", response=ReadinessOut, summary="Readiness from the latest locked apel of an operation"
)
def get_readiness(
    request: HttpRequest, operation: str, polres: str = "", apel: int | None = None
) -> dict[str, Any]:
    """`roster`, `present`, `by_unit` and `by_satgas` (present vs roster per satgas) from the latest locked apel (or a given `apel` id, locked or not)."""
    _require(request, "view_personnel")
    if apel is not None:
        session = selectors.access_apel(request.user, apel)
    else:
        unit = selectors.polres_by_code(polres) if polres else selectors.user_polres(request.user)
        latest = selectors.latest_locked_apel(polres=unit, operation_slug=operation) if unit else None
        if latest is None:
            raise NotFound(_("Belum ada apel terkunci untuk operasi ini"))
        session = selectors.access_apel(request.user, latest.pk)
    return selectors.readiness(request.user, session).as_dict()


class OfficerOut(Schema):
    id: int
    nrp: str
    name: str
    rank: str = Field(..., alias="rank.abbreviation")
    rank_order: int
    is_perwira: bool
    unit_id: int = Field(..., alias="apel_unit_id")
    unit: str = Field(..., alias="unit.name")
    police_unit_id: int
    position: str
    is_synthetic: bool


@router.get(
    "/readiness/available-officers",
    response=list[OfficerOut],
    summary="Officers present at the latest locked apel",
)
@paginate(Pagination)
def list_available_officers(
    request: HttpRequest, operation: str = "", polres: str = "", on_date: dt.date | None = None
):  # type: ignore[no-untyped-def]
    _require(request, "view_personnel")
    unit = selectors.polres_by_code(polres) if polres else selectors.user_polres(request.user)
    if unit is None:
        raise NotFound(_("Polres tidak ditemukan"))
    qs = selectors.available_officers(polres=unit, on_date=on_date, operation_slug=operation)
    visible = selectors.visible_police_units(request.user)
    return qs if visible is None else qs.filter(unit__police_unit_id__in=visible)


class PersonnelOut(Schema):
    id: int
    nrp: str
    name: str
    rank: str = Field(..., alias="rank.abbreviation")
    unit: str = Field(..., alias="unit.name")
    unit_id: int
    position: str
    phone: str
    status: str
    is_synthetic: bool


@router.get("/personnel", response=list[PersonnelOut], summary="Personnel in your jurisdiction")
@paginate(Pagination)
def list_personnel(request: HttpRequest, unit: int | None = None, q: str = "", status: str = ""):  # type: ignore[no-untyped-def]
    _require(request, "view_personnel")
    return selectors.personnel_for(request.user, unit_id=unit, search=q, status=status)


class ImportJobOut(Schema):
    job_id: int
    status_url: str


@router.post(
    "/imports/{kind}",
    response={202: ImportJobOut},
    summary="Import personnel, equipment, BKO or partner forces (CSV/XLSX) as a background job",
)
def post_import(request: HttpRequest, kind: str, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    """`kind`: personnel, equipment, bko or partner_forces. The job checks every row; its page (status_url)
    shows the progress and the row-level errors, and nothing is saved if any row is bad."""
    from pathlib import Path

    from django.urls import reverse

    from siaga.core.errors import ValidationFailed
    from siaga.core.jobs import start_job
    from siaga.core.pages import save_upload
    from siaga.personnel.imports import SPECS, start_resource_import
    from siaga.personnel.tasks import import_personnel_task

    _require(request, "manage_personnel")
    _require(request, "import_data")
    if kind != "personnel" and kind not in SPECS:
        raise NotFound(_("Jenis impor tidak dikenal"))
    if Path(file.name or "").suffix.lower() not in (".csv", ".xlsx"):
        raise ValidationFailed(
            _("Jenis berkas harus .csv atau .xlsx"),
            fields={"file": [file.name or ""]},
        )
    polres = selectors.user_polres(request.user)
    if polres is None:
        raise NotFound(_("Polres tidak ditemukan"))
    path = save_upload(file, stem=kind)
    title = f"{kind} ({file.name})"
    if kind == "personnel":
        job = start_job(
            kind="import_personnel",
            title=title,
            task=import_personnel_task,
            actor=request.user,
            params={"path": str(path), "polres_id": polres.pk},
        )
    else:
        job = start_resource_import(actor=request.user, kind=kind, polres=polres, path=str(path), title=title)
    return 202, {"job_id": job.pk, "status_url": reverse("job_detail", args=[job.pk])}


class SelfCheckInOut(Schema):
    apel_id: int
    entry_id: int
    status: str
    marked_at: dt.datetime | None


@router.post(
    "/personnel/apel/{apel_id}/self-check-in",
    response={201: SelfCheckInOut, 200: SelfCheckInOut},
    summary="Mark yourself present at an apel that allows it (Idempotency-Key required)",
)
def self_check_in(
    request: HttpRequest,
    response: HttpResponse,
    apel_id: int,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    # Any officer role; the object is the caller's own entry, so no one can mark another officer.
    _require(request, "deployment_duty")
    key = check_key(idempotency_key)
    person = personnel_of(request.user)
    entry = (
        ApelEntry.objects.filter(session_id=apel_id, personnel=person).first() if person is not None else None
    )
    if entry is None:
        raise NotFound(_("Anda tidak ada dalam daftar apel ini"))

    def work() -> tuple[int, Any]:
        done = services.check_in_self(actor=request.user, entry=entry)
        out = SelfCheckInOut(apel_id=apel_id, entry_id=done.pk, status=done.status, marked_at=done.marked_at)
        return 201, out.model_dump(mode="json")

    status, body, replayed = run_once(
        scope=f"u{request.user.pk}:apel.self_check_in:{apel_id}", key=str(key), payload={}, work=work
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
        status = 200
    return Status(status, body)
