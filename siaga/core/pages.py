"""Helpers every app's pages share: the capability check, list pagination and query parameters, CSV/XLSX
export with its audit record, and storing an upload for a background import."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from siaga.accounts.roles import can
from siaga.core.audit import record_change
from siaga.core.errors import NotFound
from siaga.core.models import AuditEvent
from siaga.core.tabular import export_response

T = TypeVar("T")
K = TypeVar("K")

EXPORT_FORMATS = frozenset({"csv", "xlsx"})

# The buttons the registry pages (territory, sites) show or hide.
REGISTRY_CAPABILITIES = ("export_data", "edit_sites", "import_data", "manage_reference_data")


def require(request: HttpRequest, capability: str) -> None:
    """Refuse the page (403) unless the user's role has `capability`."""
    if not can(request.user, capability):
        raise PermissionDenied


def access_or_404(access: Callable[[Any, K], T], request: HttpRequest, key: K) -> T:
    """Call a selector's `access_*(user, key)` for the page, turning its NotFound into a 404 page."""
    try:
        return access(request.user, key)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def capability_flags(request: HttpRequest, capabilities: Iterable[str]) -> dict[str, bool]:
    """`{"can_<capability>": bool}` for templates that show or hide buttons."""
    return {f"can_{cap}": can(request.user, cap) for cap in capabilities}


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    capabilities: Iterable[str] = REGISTRY_CAPABILITIES,
) -> HttpResponse:
    """render() plus the `can_*` flags of `capabilities` (by default those of the registry pages)."""
    return render(request, template, {**capability_flags(request, capabilities), **context})


def paginate(request: HttpRequest, qs: QuerySet[Any] | Sequence[Any]) -> Page:
    """The `?page=` page of a list, SIAGA_PAGE_SIZE rows long (out-of-range pages give the last one)."""
    return Paginator(qs, settings.SIAGA_PAGE_SIZE).get_page(request.GET.get("page"))


def remembered(request: HttpRequest, name: str, *, default: str = "") -> str:
    """A choice the user makes once (`?election=`, `?operasi=`, `?hari=`) and every page that depends on it
    keeps: a value in the query is stored in the session; without one, the stored value is used."""
    key = f"pick:{name}"
    raw = request.GET.get(name) or (request.POST.get(name) if request.method == "POST" else None)
    if raw:
        if hasattr(request, "session") and request.session.get(key) != raw:
            request.session[key] = raw[:100]
        return raw
    if hasattr(request, "session"):
        return str(request.session.get(key, default) or default)
    return default


def remember(request: HttpRequest, name: str, value: str) -> None:
    """Keep a choice made another way (a link with an id, say) for the pages that read `remembered(name)`."""
    if hasattr(request, "session") and request.session.get(f"pick:{name}") != value:
        request.session[f"pick:{name}"] = value[:100]


def forget(request: HttpRequest, name: str) -> None:
    """Drop a remembered choice that no longer exists (a deleted election, say)."""
    if hasattr(request, "session"):
        request.session.pop(f"pick:{name}", None)


def int_param(request: HttpRequest, name: str) -> int | None:
    """A non-negative integer query parameter, or None when it is absent or not a number."""
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else None


def export_format(request: HttpRequest) -> str | None:
    """`csv` or `xlsx` when the request asks for a download (`?export=`), else None."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None


def record_export(request: HttpRequest, *, object_type: str, object_repr: str, fmt: str, rows: int) -> None:
    """Write the EXPORT audit record of a download: what, in which format, how many rows, which filters."""
    filters = {k: v for k, v in request.GET.items() if k not in {"export", "page"} and v}
    record_change(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type=object_type,
        object_repr=object_repr,
        after={"format": fmt, "rows": rows, "filters": filters},
    )


def export_list(
    request: HttpRequest,
    *,
    fmt: str,
    filename: str,
    object_type: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> HttpResponse:
    """Download a filtered list (already scoped by the selector) and record the export in the audit trail.

    Needs the `export_data` capability (403 otherwise). `filename` has no extension; `fmt` adds it.
    """
    require(request, "export_data")
    materialised = [list(r) for r in rows]
    record_export(
        request, object_type=object_type, object_repr=f"{filename}.{fmt}", fmt=fmt, rows=len(materialised)
    )
    return export_response(filename=filename, headers=headers, rows=materialised, fmt=fmt)


def new_upload_folder() -> Path:
    """A fresh folder name under DATA_DIR/uploads (created by `save_upload`), one per import."""
    return Path(settings.DATA_DIR) / "uploads" / uuid.uuid4().hex


def save_upload(upload: UploadedFile, *, stem: str, folder: Path | None = None) -> Path:
    """Store an upload as `<folder>/<stem><suffix>` and return its path.

    The name is ours, never the client's (only the lower-cased suffix is kept, so the reader can tell CSV
    from XLSX). Without `folder`, a new one from `new_upload_folder()`; pass one to keep several files of one
    import together.
    """
    folder = folder or new_upload_folder()
    suffix = Path(upload.name or "").suffix.lower()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}{suffix}"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path
