"""The route walker: every URL pattern (pages, the Django admin, every API operation) x every persona x methods.

It resolves each route's URL parameters to objects inside and outside the Polsek persona's jurisdiction
(`PARAMS`), sends the request with the test client inside a savepoint that is rolled back (so a POST that
succeeds changes nothing for the next request), and reduces each answer to an outcome string compared with the
committed table `expected_access.csv`.

Outcomes: the HTTP status (`200`, `403`, `404`, `405`, `401`, `400`, `422`...), `login` for a redirect to the
login page, `302` for any other redirect. `2xx` statuses other than 200 are kept as they are (201, 204).
"""

from __future__ import annotations

import copy
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

TABLE = Path(__file__).with_name("expected_access.csv")

# Persona column names in the table, in order. Partners: one per partner kind (KPU, Bawaslu, TNI).
ROLES = [
    "anonymous",
    "admin",
    "commander",
    "ops_staff",
    "polsek_officer",
    "field_officer",
    "partner_kpu",
    "partner_bawaslu",
    "partner_tni",
    "propam",
    # Above the Polres (issue 20): Polda Jatim's staff, Mabes staff, and the staff of another Polda, who must
    # get nothing of Polres Jember.
    "polda_staff",
    "mabes_staff",
    "polda_other",
]

# Where each URL parameter comes from: route -> {parameter: object kind}. An object kind names an entry of
# the world (tests/access/test_route_walker.py) with an object inside Polsek Tempurejo's jurisdiction and,
# where one exists, one outside it (Polsek Kaliwates or another Polsek). A route with a parameter missing
# here fails the build, as does a route missing from the table.
PARAMS: dict[str, dict[str, str]] = {
    "pekerjaan/<int:pk>/": {"pk": "job"},
    "wilayah/kecamatan/<int:pk>/": {"pk": "kecamatan"},
    "wilayah/desa/<int:pk>/": {"pk": "desa"},
    "wilayah/satuan/<int:pk>/": {"pk": "police_unit"},
    "situs/tps/<int:pk>/": {"pk": "tps"},
    "situs/tps/<int:pk>/ubah/": {"pk": "tps"},
    "situs/objek-vital/<int:pk>/": {"pk": "vital_object"},
    "situs/objek-vital/<int:pk>/ubah/": {"pk": "vital_object"},
    "operasi/o/<slug:slug>/": {"slug": "operation"},
    "operasi/o/<slug:slug>/ubah/": {"slug": "operation"},
    "operasi/o/<slug:slug>/siaga/": {"slug": "operation"},
    "operasi/o/<slug:slug>/linimasa/": {"slug": "operation"},
    "operasi/tahapan/<int:pk>/ubah/": {"pk": "stage"},
    "polda/<int:pk>/": {"pk": "polda"},
    "api/v1/polda/<polda_id>/board": {"polda_id": "polda"},
    "operasi/pola/<int:pk>/": {"pk": "pattern"},
    "operasi/kerawanan/tps/<int:pk>/": {"pk": "tps"},
    "personel/apel/<int:pk>/": {"pk": "apel"},
    "personel/apel/<int:pk>/ringkasan/": {"pk": "apel"},
    "personel/apel/<int:pk>/entri/<int:entry_pk>/kehadiran/": {"pk": "apel", "entry_pk": "apel_entry"},
    "personel/apel/<int:pk>/entri/<int:entry_pk>/perlengkapan/": {"pk": "apel", "entry_pk": "apel_entry"},
    "personel/apel/<int:pk>/entri/<int:entry_pk>/kesehatan/": {"pk": "apel", "entry_pk": "apel_entry"},
    "personel/apel/<int:pk>/peralatan/": {"pk": "apel"},
    "personel/apel/<int:pk>/peralatan/<int:check_pk>/": {"pk": "apel", "check_pk": "apel_check"},
    "personel/apel/<int:pk>/kunci/": {"pk": "apel"},
    "personel/apel/<int:pk>/absen-mandiri/": {"pk": "apel"},
    "personel/apel/<int:pk>/kesiapan/": {"pk": "apel"},
    "personel/apel/<int:pk>/laporan.pdf": {"pk": "apel"},
    "personel/apel/<int:pk>/laporan.xlsx": {"pk": "apel"},
    "plotting/proses/<int:pk>/": {"pk": "planning_run"},
    "plotting/polda/<int:pk>/": {"pk": "fan_out"},
    "plotting/rencana/<int:pk>/": {"pk": "plan"},
    "plotting/rencana/<int:pk>/status/": {"pk": "plan"},
    "plotting/rencana/<int:pk>/versi-baru/": {"pk": "plan"},
    "plotting/rencana/<int:pk>/rencana-ulang/": {"pk": "plan"},
    "plotting/rencana/<int:pk>/pindah-tps/": {"pk": "plan"},
    "plotting/rencana/<int:pk>/personel/": {"pk": "plan"},
    "plotting/rencana/<int:pk>/kekurangan/": {"pk": "plan"},
    "plotting/rencana/<int:pk>/beda/<int:other>/": {"pk": "plan_v2", "other": "plan"},
    "plotting/rencana/<int:pk>/sprin.pdf": {"pk": "plan"},
    "plotting/rencana/<int:pk>/sprin/cetak/": {"pk": "plan"},
    "plotting/rencana/<int:pk>/sprin/<int:job>.pdf": {"pk": "plan", "job": "job"},
    "plotting/rencana/<int:pk>/plotting.xlsx": {"pk": "plan"},
    "plotting/rencana/<int:pk>/peta.geojson": {"pk": "plan"},
    "jaga/pos/<int:pk>/": {"pk": "post"},
    "jaga/pos/<int:pk>/ubah/": {"pk": "post"},
    "jaga/pos/<int:pk>/absen/": {"pk": "post"},
    "jaga/pos/<int:pk>/absen/<int:checkin_id>/keluar/": {"pk": "post", "checkin_id": "guard_checkin"},
    "jaga/pos/<int:pk>/serah-terima/": {"pk": "post"},
    "jaga/roster/<int:pk>/": {"pk": "roster"},
    "jaga/roster/<int:pk>/kalender/": {"pk": "roster"},
    "jaga/roster/<int:pk>/susun/": {"pk": "roster"},
    "jaga/roster/<int:pk>/terbitkan/": {"pk": "roster"},
    "jaga/roster/<int:pk>/berhalangan/": {"pk": "roster"},
    "jaga/roster/<int:pk>/tukar/": {"pk": "roster"},
    "jaga/penugasan/<int:pk>/kunci/": {"pk": "assignment"},
    "jaga/tukar/<int:pk>/<str:decision>/": {"pk": "swap", "decision": "swap_decision"},
    "jaga/personel/<int:pk>/": {"pk": "personnel"},
    "patroli/titik/<int:pk>/": {"pk": "patrol_point"},
    "patroli/titik/<int:pk>/ubah/": {"pk": "patrol_point"},
    "patroli/rencana/<int:pk>/": {"pk": "patrol_plan"},
    "patroli/hari/<int:pk>/": {"pk": "patrol_day"},
    "patroli/hari/<int:pk>/laporan.pdf": {"pk": "patrol_day"},
    "patroli/absen/<int:pk>/foto.jpg": {"pk": "patrol_checkin"},
    "kejadian/<int:pk>/": {"pk": "incident"},
    "kejadian/<int:pk>/aksi/": {"pk": "incident"},
    "kejadian/foto/<str:name>": {"name": "incident_photo"},
    "kejadian/unit/<int:pk>/status/": {"pk": "response_unit"},
    "lapor/status/<str:receipt>/": {"receipt": "receipt"},
    "api/v1/public/reports/<receipt>": {"receipt": "receipt"},
    "situs/lokasi-khusus/<int:pk>/": {"pk": "lokasi_type"},
    "personel/apel/<int:pk>/baris/": {"pk": "apel"},
    "personel/apel/<int:pk>/satuan/<int:unit_pk>/semua-hadir/": {"pk": "apel", "unit_pk": "personnel_unit"},
    "netralitas/<int:pk>/": {"pk": "neutrality_case"},
    "netralitas/<int:pk>/langkah/": {"pk": "neutrality_case"},
    "netralitas/<int:pk>/terlapor/": {"pk": "neutrality_case"},
    "lapor/netralitas/status/<str:receipt>/": {"receipt": "neutrality_receipt"},
    "api/v1/pattern-templates/<key>/apply": {"key": "unknown_key"},
    "api/v1/imports/<kind>": {"kind": "unknown_key"},
    "personel/impor/<slug:kind>/": {"kind": "unknown_key"},
    "operasi/satgas/<int:pk>/ubah/": {"pk": "satgas"},
    "api/v1/events/<event_id>/clashes": {"event_id": "event"},
    "acara/<int:pk>/": {"pk": "event"},
    "acara/<int:pk>/ubah/": {"pk": "event"},
    "acara/<int:pk>/rencana/": {"pk": "event"},
    "acara/<int:pk>/isi/": {"pk": "event"},
    "acara/<int:pk>/sektor/": {"pk": "event"},
    "acara/<int:pk>/personel/": {"pk": "event"},
    "acara/<int:pk>/personel/<int:assignment_id>/hapus/": {"pk": "event", "assignment_id": "missing"},
    "acara/<int:pk>/hadir/<int:assignment_id>/": {"pk": "event", "assignment_id": "missing"},
    "acara/<int:pk>/status/": {"pk": "event"},
    "acara/<int:pk>/laporan/": {"pk": "event"},
    "posko/peringatan/<int:pk>/": {"pk": "posko_alert"},
    "posko/peringatan/<int:pk>/terima/": {"pk": "posko_alert"},
    "posko/peringatan/<int:pk>/tutup/": {"pk": "posko_alert"},
    "posko/tamu/<int:pk>/keluar/": {"pk": "posko_visitor"},
    "posko/cctv/<int:pk>/ubah/": {"pk": "posko_camera"},
    "acara/<int:pk>/sttp.pdf": {"pk": "event"},
    "acara/<int:pk>/sprin.pdf": {"pk": "event"},
    "api/v1/logistics/legs/<leg_id>/status": {"leg_id": "leg"},
    "logistik/ruas/<int:pk>/": {"pk": "leg"},
    "logistik/ruas/<int:pk>/status/": {"pk": "leg"},
    "logistik/ruas/<int:pk>/serah-terima/": {"pk": "leg"},
    "logistik/ruas/<int:pk>/pengawal/": {"pk": "leg"},
    "akun/<int:pk>/": {"pk": "account"},
    "akun/<int:pk>/aktif/": {"pk": "account"},
    "akun/<int:pk>/kata-sandi/": {"pk": "account"},
    "akun/<int:pk>/personel/": {"pk": "account"},
    "api/v1/tps/<tps_id>": {"tps_id": "tps"},
    "api/v1/vital-objects/<obj_id>": {"obj_id": "vital_object"},
    "api/v1/elections/<slug>/stages": {"slug": "election"},
    "api/v1/stages/<stage_id>": {"stage_id": "stage"},
    "api/v1/elections/<slug>/today": {"slug": "election"},
    "api/v1/operations/<slug>": {"slug": "operation"},
    "api/v1/operations/<slug>/siaga-level": {"slug": "operation"},
    "api/v1/security-patterns/<pattern_id>": {"pattern_id": "pattern"},
    "api/v1/tps-categories/<int:tps_id>": {"tps_id": "tps"},
    "api/v1/tps/<tps_id>/assessments": {"tps_id": "tps"},
    "api/v1/deployment/plans/<plan_id>": {"plan_id": "plan"},
    "api/v1/deployment/plans/<plan_id>/teams": {"plan_id": "plan"},
    "api/v1/guard/posts/<post_id>/check-in": {"post_id": "post"},
    "api/v1/guard/posts/<post_id>/handover": {"post_id": "post"},
    "api/v1/personnel/apel/<apel_id>/self-check-in": {"apel_id": "apel"},
    "api/v1/guard/ical/<token>.ics": {"token": "ical_token"},
    "api/v1/patrols/days/<day_id>": {"day_id": "patrol_day"},
    "api/v1/patrols/checkins/<checkin_id>/leave": {"checkin_id": "patrol_checkin"},
    "api/v1/incidents/<incident_id>": {"incident_id": "incident"},
    "api/v1/incidents/<incident_id>/reporter": {"incident_id": "incident"},
    "api/v1/incidents/<incident_id>/transitions": {"incident_id": "incident"},
    "api/v1/incidents/<incident_id>/recommendations": {"incident_id": "incident"},
    "api/v1/incidents/<incident_id>/dispatches": {"incident_id": "incident"},
    "api/v1/units/<unit_id>/status": {"unit_id": "response_unit"},
    "api/v1/units/<unit_id>/position": {"unit_id": "response_unit"},
    "lapsit/<int:pk>/": {"pk": "lapsit"},
    "lapsit/<int:pk>/berkas/<str:fmt>/": {"pk": "lapsit", "fmt": "file_format"},
    "lapsit/<int:pk>/mitra/": {"pk": "lapsit"},
    "lapsit/kekuatan/cadangan/<int:pk>/hapus/": {"pk": "reserve"},
    "lapsit/rujukan/<int:pk>/": {"pk": "referral"},
    "lapsit/rujukan/<int:pk>/berkas/<str:fmt>/": {"pk": "referral", "fmt": "file_format"},
    "api/v1/lapsit/<lapsit_id>": {"lapsit_id": "lapsit"},
    "api/v1/lapsit/<lapsit_id>/partner": {"lapsit_id": "lapsit"},
    "api/v1/referrals/<referral_id>": {"referral_id": "referral"},
    "api/v1/referrals/<referral_id>/status": {"referral_id": "referral"},
}

# Routes that answer without a login by design: the landing page, health, login, language switch, the public
# reporting portal and its API, and the calendar feed (a secret token in the URL stands for the login).
PUBLIC_ROUTES = {
    "",
    "healthz",
    "masuk/",
    "keluar/",
    "i18n/setlang/",
    "lapor/",
    "lapor/status/",
    "lapor/status/<str:receipt>/",
    "lapor/batas.geojson",
    "lapor/netralitas/",
    "lapor/netralitas/status/<str:receipt>/",
    "api/v1/public/reports",
    "api/v1/public/reports/<receipt>",
    "api/v1/guard/ical/<token>.ics",
    # The field app's service worker and manifest: no data, and the browser fetches them to look for updates.
    "lapangan/sw.js",
    "lapangan/manifest.webmanifest",
    # The Django admin's own login page.
    "admin/login/",
    # Open to anyone today; issue 21 item 10 restricts them to the public endpoints' part.
    "api/v1/openapi.json",
    "api/v1/docs",
}

# Accounts above the Polres: they read, never write a Polres' records (roles.READ_ABOVE_POLRES).
ABOVE_POLRES = {"polda_staff", "mabes_staff", "polda_other"}
# Object kinds of the world that belong to Polres Jember (not global like elections, nor unknown keys): the
# other Polda's staff must be refused every one of them.
JEMBER_KINDS = {
    "kecamatan", "desa", "police_unit", "tps", "vital_object", "operation", "incident", "response_unit",
    "personnel", "personnel_unit", "plan", "plan_v2", "planning_run", "post", "roster", "assignment",
    "patrol_point", "patrol_plan", "patrol_day", "event", "leg", "apel", "apel_entry", "apel_check",
    "guard_checkin", "pattern", "neutrality_case", "account",
}  # fmt: skip

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Case:
    route: str
    method: str
    place: str  # "in", "out" or "-" (no object parameter)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.route, self.method, self.place)


def routes() -> Iterator[tuple[str, URLPattern]]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p

    seen = set()
    for route, pattern in walk(get_resolver().url_patterns, ""):
        if route not in seen:
            seen.add(route)
            yield route, pattern


def api_methods() -> dict[str, list[str]]:
    """Methods per API route, from the OpenAPI schema (route spelled as in the URL patterns)."""
    from siaga.api.api import api

    out: dict[str, list[str]] = {}
    for path, ops in api.get_openapi_schema()["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))
        out[route] = sorted(m.upper() for m in ops)
    return out


def is_admin_route(route: str) -> bool:
    return route.startswith("admin/")


def cases() -> Iterator[Case]:
    methods_by_api_route = api_methods()
    for route, _pattern in routes():
        if is_admin_route(route):
            # The admin is the Django admin: staff only, redirect to its login otherwise. GET is enough to
            # prove who gets in; its forms are Django's own.
            yield Case(route, "GET", "-")
            continue
        if route in methods_by_api_route:
            methods = sorted({"GET", *methods_by_api_route[route]})
        else:
            methods = ["GET", "POST"]
        kinds = PARAMS.get(route, {})
        places = ["in", "out"] if kinds else ["-"]
        for method in methods:
            for place in places:
                yield Case(route, method, place)


def _admin_object_id(route: str) -> str:
    """The first existing row of the admin page's model: ids differ between databases (PostgreSQL sequences
    move on after rolled-back tests), and a missing object makes the admin redirect instead of answering."""
    from django.apps import apps

    match = re.match(r"\^?admin/(\w+)/(\w+)/", route)
    if match:
        try:
            model = apps.get_model(match.group(1), match.group(2))
        except LookupError:
            return "1"
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            return str(pk)
    return "1"


def build_url(route: str, place: str, world: dict[str, tuple[Any, Any]]) -> str | None:
    """The URL for the route with its parameters taken from the world ("in" or "out" objects).

    None when the world has no outside object of that kind (the Polres-level objects: one Polres).
    """
    if is_admin_route(route):
        url = route.replace("^", "").replace("$", "")
        url = re.sub(r"\(\?P<app_label>[^)]*\)", "accounts", url)
        url = re.sub(r"\(\?P<url>[^)]*\)", "tidak-ada/", url)
        url = re.sub(r"<path:object_id>", _admin_object_id(route), url)
        url = _PARAM.sub(_admin_object_id(route), url)
        return "/" + url
    kinds = PARAMS.get(route, {})

    def value(match: re.Match[str]) -> str:
        kind = kinds[match.group(2)]
        inside, outside = world[kind]
        chosen = inside if place in ("in", "-") else outside
        if chosen is None:
            raise LookupError(kind)
        return str(chosen)

    try:
        return "/" + _PARAM.sub(value, route)
    except LookupError:
        return None


def outcome(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        path = location.split("?", 1)[0]
        if path in ("/masuk/", "/admin/login/"):
            return "login"
        return "302"
    return str(status)


# Tables a request may write without changing anything but the user's own login: the session, the login
# timestamp and the user's own second-factor devices (enrolment).
_BOOKKEEPING = (
    "django_session",
    "accounts_user",
    "otp_totp_totpdevice",
    "otp_static_staticdevice",
    "otp_static_statictoken",
)
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def written_tables(queries: list[dict[str, Any]]) -> set[str]:
    """Tables the captured queries wrote to, bookkeeping left out."""
    out = set()
    for q in queries:
        m = _WRITE.match(q["sql"])
        if m and m.group(2) not in _BOOKKEEPING:
            out.add(m.group(2))
    return out


def request(client: Client, method: str, url: str) -> Any:
    """One request inside a savepoint that is rolled back: the walk leaves the data (and the client's session
    cookie, which logging out or in would change) as it found it."""
    cookies = copy.deepcopy(client.cookies)
    sid = transaction.savepoint()
    try:
        kwargs: dict[str, Any] = {}
        if url.startswith("/api/") and method in {"POST", "PUT", "PATCH"}:
            kwargs = {"data": "{}", "content_type": "application/json"}
        # The query log is a bounded deque: once full, CaptureQueriesContext would see nothing. Start empty.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method.lower())(url, **kwargs)
        response.written = written_tables(ctx.captured_queries)
        return response
    finally:
        transaction.savepoint_rollback(sid)
        client.cookies = cookies


def read_table() -> dict[tuple[str, str, str], dict[str, str]]:
    with TABLE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    table = {}
    for row in rows:
        key = (row["route"], row["method"], row["object"])
        assert key not in table, f"duplicate row in {TABLE.name}: {key}"
        table[key] = {role: row[role] for role in ROLES}
    return table


def write_table(observed: dict[tuple[str, str, str], dict[str, str]]) -> None:
    """Rewrite the table from a walk (`SIAGA_WRITE_ACCESS_TABLE=1`); review the diff before committing."""
    with TABLE.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["route", "method", "object", *ROLES])
        for key in sorted(observed):
            writer.writerow([*key, *(observed[key][role] for role in ROLES)])
