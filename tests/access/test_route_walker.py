"""Route x role x method access matrix (G11, ASVS 8.1.1/8.2.1/8.2.2/8.3.1).

Walks every URL pattern and API operation for every persona, with objects inside and outside the Polsek
persona's jurisdiction, and compares each outcome with `expected_access.csv`. A route without a row, or a row
without a route, fails. On top of the table, invariants that no table edit can waive: no 500, nothing
private answers an anonymous visitor, partners never write, and a Polsek/field account never gets an
outside object (404 or 403 only) nor sees an outside canary name in any answer.

After a deliberate change of access rules: `SIAGA_WRITE_ACCESS_TABLE=1 pytest tests/access` rewrites the
table; review its diff like code.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from siaga.deployment.tests.conftest import pemilu, staff, subset_plan  # noqa: F401 - fixtures
from siaga.personnel.tests.conftest import apel, equipment, make_officer, polres, roster, units  # noqa: F401
from tests.access import walker

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Names that exist only outside Polsek Tempurejo's jurisdiction; a Polsek Tempurejo or field account must never
# read them anywhere (the plan comparison leak of issue 15 showed every Polsek's officers).
CANARY_OUT = "Kanari Kaliwates"
# A reporter's name: every answer that shows it must write an audit record (G19, G21), and only the Posko
# (ops_staff) and the administrator may see it.
REPORTER = "Pelapor Rahasia Kanari"
EXPORT_TYPES = ("application/pdf", "text/csv", "application/vnd.openxmlformats", "application/vnd.ms-excel")


@pytest.fixture
def personas(
    admin_user: Any,
    commander: Any,
    kabagops: Any,
    polsek_tempurejo: Any,
    field_officer: Any,
    partner_kpu: Any,
    polda_staff: Any,
    mabes_staff: Any,
) -> dict[str, Any]:
    from siaga.accounts.models import User
    from siaga.territory.models import PoliceUnit

    jember = PoliceUnit.objects.get(code="polres-jember")
    extra = {
        kind: User.objects.create_user(
            username=f"t.mitra.{kind}", password="x", role="partner_viewer", police_unit=jember, partner=kind
        )
        for kind in ("bawaslu", "tni")
    }
    propam = User.objects.create_user(username="t.propam", password="x", role="propam", police_unit=jember)
    from siaga.polda.tests.factories import make_polda

    other_polda = make_polda("polda-lain-uji", "Polda Lain (uji)")
    polda_other = User.objects.create_user(
        username="t.polda.lain", password="x", role="polda_staff", police_unit=other_polda
    )
    return {
        "anonymous": None,
        "admin": admin_user,
        "commander": commander,
        "ops_staff": kabagops,
        "polsek_officer": polsek_tempurejo,
        "field_officer": field_officer,
        "partner_kpu": partner_kpu,
        "partner_bawaslu": extra["bawaslu"],
        "partner_tni": extra["tni"],
        "propam": propam,
        "polda_staff": polda_staff,
        "mabes_staff": mabes_staff,
        "polda_other": polda_other,
    }


@pytest.fixture
def world(
    personas: dict[str, Any],
    apel: Any,  # noqa: F811
    roster: list[Any],  # noqa: F811
    subset_plan: Any,  # noqa: F811
    make_officer: Callable[..., Any],  # noqa: F811
    units: dict[str, Any],  # noqa: F811
    settings: Any,
    tmp_path: Any,
) -> dict[str, tuple[Any, Any]]:
    """kind -> (object inside Polsek Tempurejo's jurisdiction, object outside it or None)."""
    settings.MEDIA_ROOT = tmp_path / "media"  # the Lapsit's files
    from siaga.core.models import Job
    from siaga.deployment.models import PlanningRun
    from siaga.guard import services as guard
    from siaga.guard.models import Assignment, Post
    from siaga.incidents.tests.factories import make_incident, make_unit
    from siaga.operations.models import Election, ElectionStage, Operation, SecurityPattern
    from siaga.patrols import services as patrols
    from siaga.patrols.models import PatrolPoint
    from siaga.personnel.models import ApelEntry, ApelEquipmentCheck, Equipment
    from siaga.sites.models import Tps, VitalObject
    from siaga.territory.models import Desa, Kecamatan, PoliceUnit

    tempurejo = Kecamatan.objects.get(name__iexact="Tempurejo")
    kaliwates = Kecamatan.objects.get(name__iexact="Kaliwates")
    polres_unit = PoliceUnit.objects.get(code="polres-jember")
    inside_officer = make_officer("polsek-tempurejo", name="Bripda Dalam Tempurejo")
    outside_officer = make_officer("polsek-kaliwates", name=f"Bripda {CANARY_OUT}")
    # The outside officer also stands in the Polres plan's apel, so a leak of plan or apel rows shows the name.
    kaliwates_kit = Equipment.objects.create(
        kind=Equipment.Kind.HT, identifier=f"HT {CANARY_OUT}", unit=units["polsek-kaliwates"]
    )
    ApelEntry.objects.create(session=apel, personnel=outside_officer, unit=outside_officer.unit)
    ApelEquipmentCheck.objects.create(session=apel, equipment=kaliwates_kit)

    def entry(kecamatan_code: str) -> int:
        return ApelEntry.objects.filter(session=apel, unit__police_unit__code=kecamatan_code).first().pk  # type: ignore[union-attr]

    def check(unit_key: str) -> int:
        return ApelEquipmentCheck.objects.filter(session=apel, equipment__unit=units[unit_key]).first().pk  # type: ignore[union-attr]

    post = guard.create_post(
        actor=None,
        vital_object=VitalObject.objects.get(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember"),
        code="t-walk-pos",
        name="Pos KPU",
        kind=Post.Kind.POS_JAGA,
        required=1,
    )
    guard_roster = guard.create_roster(
        actor=None,
        name="Uji jalan",
        polres=polres_unit,
        starts_on=dt.date(2024, 2, 12),
        ends_on=dt.date(2024, 2, 12),
        posts=[post],
        officers=[make_officer() for _ in range(4)],
        time_limit_s=3,
    )
    guard.compute_roster(roster=guard_roster, time_limit=2)
    assignment = Assignment.objects.filter(roster=guard_roster).first()
    checkin = guard.check_in(
        actor=None,
        post=post,
        personnel=inside_officer,
        lat=post.position[0],
        lng=post.position[1],
        now=timezone.now(),
    )

    def point(code: str, kec: Any, name: str) -> Any:
        return patrols.create_point(
            actor=None,
            code=code,
            name=name,
            kind=PatrolPoint.Kind.QUIET_PLACE,
            kecamatan=kec,
            lat=kec.lat,
            lng=kec.lng,
            is_synthetic=True,
        )

    p_in = point("t-walk-in", tempurejo, "Kebun sepi Tempurejo")
    p_out = point("t-walk-out", kaliwates, f"Jalan {CANARY_OUT}")
    unit_in = patrols.create_unit(
        actor=None,
        code="t-walk-unit",
        name="Patroli Tempurejo",
        depot=PoliceUnit.objects.get(code="polsek-tempurejo"),
        vehicles=1,
        shift_slots=[0, 1],
    )
    # Another Polsek's patrol unit in the same Polres plan: its schedule is not Tempurejo's to see.
    unit_out = patrols.create_unit(
        actor=None,
        code="t-walk-unit-kw",
        name=f"Patroli {CANARY_OUT}",
        depot=PoliceUnit.objects.get(code="polsek-kaliwates"),
        vehicles=1,
        shift_slots=[0, 1],
    )
    first_day = dt.date(2024, 2, 8)
    patrol_plan = patrols.create_plan(
        actor=None,
        name="Patroli jalan",
        polres=polres_unit,
        starts_on=first_day,
        ends_on=first_day + dt.timedelta(days=2),
        points=[p_in, point("t-walk-in2", tempurejo, "Pasar Tempurejo")],
        units=[unit_in, unit_out],
        visits_per_vehicle_shift=2,
    )
    day = patrols.generate_day(actor=None, plan=patrol_plan, day_on=first_day, time_limit=1)

    # The Polres plan: Ambulu's officers are outside Tempurejo. A second version without one of them makes the
    # comparison page ("beda") list him; a Polsek Tempurejo account must not see him anywhere.
    from siaga.deployment import services as deployment
    from siaga.deployment.models import TeamMember
    from siaga.personnel.models import Personnel

    Personnel.objects.filter(unit__police_unit__code="polsek-ambulu").update(name=f"Bripda {CANARY_OUT}")
    plan_v2 = deployment.amend_plan(actor=personas["ops_staff"], plan=subset_plan)
    TeamMember.objects.filter(plan=plan_v2, team__polsek__code="polsek-ambulu").first().delete()  # type: ignore[union-attr]

    from siaga.incidents.services import ReporterData

    incident_in = make_incident(
        kecamatan="Tempurejo", reporter=ReporterData(name=REPORTER, phone="081299990000", consented=True)
    )
    incident_out = make_incident(kecamatan="Kaliwates", description=f"Laporan {CANARY_OUT} tentang kejadian")
    response_unit_out = make_unit(call_sign="KW-1", kecamatan="Kaliwates")
    job_in = Job.objects.create(kind="walk", title="Uji", created_by=personas["polsek_officer"])
    job_out = Job.objects.create(kind="walk", title="Uji", created_by=personas["ops_staff"])
    # A Polda plan fan-out whose one Polres run is the subset plan's (Polres Jember).
    fan_out = Job.objects.create(
        kind="deployment.polda_plan", title="Plotting se-Polda uji", created_by=personas["polda_staff"]
    )
    fan_child = Job.objects.create(kind="deployment.plan", title="Uji", parent=fan_out, status="succeeded")
    PlanningRun.objects.filter(plan=subset_plan).update(job=fan_child)
    election = Election.objects.get(slug="pemilu-2024")

    def tps(kec: Any) -> int:
        return Tps.objects.filter(kecamatan=kec, election=election).first().pk  # type: ignore[union-attr]

    def vital(kec: Any) -> int | None:
        found = VitalObject.objects.filter(kecamatan=kec).first()
        return found.pk if found else None

    from siaga.accounts.models import User
    from siaga.neutrality.tests.conftest import file_public
    from siaga.sites.models import LokasiKhususType

    case_in = file_public(key="walk-in")
    case_out = file_public(
        key="walk-out",
        desa_id=Desa.objects.filter(kecamatan=kaliwates).order_by("code").first().pk,  # type: ignore[union-attr]
    )
    account_out = User.objects.create_user(
        username="t.walk.kaliwates",
        password="x",
        role="field_officer",
        police_unit=PoliceUnit.objects.get(code="polsek-kaliwates"),
    )
    from siaga.events import services as events
    from siaga.events.models import Event
    from siaga.logistics import services as logistics
    from siaga.logistics.models import Leg
    from siaga.operations.models import Satgas

    def event(kec: Any, title: str) -> Any:
        start = dt.datetime(2024, 1, 20, 9, 0, tzinfo=dt.UTC)
        fields = {
            "kind": Event.Kind.CAMPAIGN, "title": title, "candidate": "Paslon 01", "kecamatan": kec,
            "place": "Lapangan", "lat": kec.lat, "lng": kec.lng, "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2), "crowd": 600, "vehicles": 40,
        }  # fmt: skip
        return events.create_event(actor=None, election=election, fields=fields)

    logistics.generate_chain(actor=None, election=election)

    # The Posko: an alert, a visitor at a post and a camera inside Tempurejo and outside it (Kaliwates).
    from siaga.posko.models import Alert, Camera, Visitor

    def posko_post(kec: Any, code: str) -> Any:
        vital_object = VitalObject.objects.create(
            kind=VitalObject.Kind.KPU_OFFICE if kec == tempurejo else VitalObject.Kind.BAWASLU_OFFICE,
            name=f"PPK {kec.name}", kecamatan=kec, lat=kec.lat, lng=kec.lng,
        )  # fmt: skip
        return Post.objects.create(
            vital_object=vital_object, code=code, name=f"CCTV {kec.name}", kind=Post.Kind.CCTV, required=1
        )

    def posko_alert(kec: Any, title: str) -> int:
        now = timezone.now()
        return Alert.objects.create(
            key=f"guard.unstaffed:walk:{kec.pk}", source="guard", kind="guard.unstaffed", title=title, kecamatan=kec,
            since=now, raised_at=now, last_seen_at=now,
        ).pk  # fmt: skip

    seats = {k: posko_post(k, f"t-walk-cctv-{k.pk}") for k in (tempurejo, kaliwates)}

    def visitor(kec: Any, name: str) -> int:
        return Visitor.objects.create(
            post=seats[kec],
            name=name,
            purpose="Koordinasi",
            arrived_at=timezone.now(),
            recorded_by=personas["ops_staff"],
        ).pk

    def camera(kec: Any, name: str) -> int:
        return Camera.objects.create(
            code=f"t-walk-cam-{kec.pk}", name=name, owner=Camera.Owner.KPU, place="Gudang", kecamatan=kec,
            watched_by=seats[kec],
        ).pk  # fmt: skip

    posko = {
        "posko_alert": (posko_alert(tempurejo, "Pos Tempurejo"), posko_alert(kaliwates, f"Pos {CANARY_OUT}")),
        "posko_visitor": (visitor(tempurejo, "Tamu Tempurejo"), visitor(kaliwates, f"Tamu {CANARY_OUT}")),
        "posko_camera": (camera(tempurejo, "Kamera Tempurejo"), camera(kaliwates, f"Kamera {CANARY_OUT}")),
    }
    from siaga.lapsit import services as lapsit
    from siaga.lapsit.models import Reserve

    lapsit_day = lapsit.generate_lapsit(polres=polres_unit, day=dt.date(2024, 2, 13), trigger="on_demand")
    reserve = Reserve.objects.create(
        polres=polres_unit, name="1 SSK", count=100, starts_on=dt.date(2024, 2, 1)
    )
    return {
        **posko,
        "lapsit": (lapsit_day.pk, None),
        "file_format": ("pdf", None),
        "reserve": (reserve.pk, None),
        "referral": (
            lapsit.open_referral(actor=None, incident=incident_in).pk,
            lapsit.open_referral(actor=None, incident=incident_out).pk,
        ),
        "unknown_key": ("tidak-ada", None),
        "missing": (999999, None),
        "satgas": (Satgas.objects.order_by("pk").first().pk, None),  # type: ignore[union-attr]
        "event": (event(tempurejo, "Kampanye Tempurejo").pk, event(kaliwates, f"Kampanye {CANARY_OUT}").pk),
        "leg": (
            Leg.objects.filter(election=election, kecamatan=tempurejo).first().pk,  # type: ignore[union-attr]
            Leg.objects.filter(election=election, kecamatan=kaliwates).first().pk,  # type: ignore[union-attr]
        ),
        "lokasi_type": (LokasiKhususType.objects.order_by("pk").first().pk, None),  # type: ignore[union-attr]
        "personnel_unit": (units["polsek-tempurejo"].pk, units["polsek-kaliwates"].pk),
        "neutrality_case": (case_in.pk, case_out.pk),
        "neutrality_receipt": (case_in.receipt, case_out.receipt),
        "account": (personas["field_officer"].pk, account_out.pk),
        "job": (job_in.pk, job_out.pk),
        "kecamatan": (tempurejo.pk, kaliwates.pk),
        "desa": (
            Desa.objects.filter(kecamatan=tempurejo).first().pk,  # type: ignore[union-attr]
            Desa.objects.filter(kecamatan=kaliwates).first().pk,  # type: ignore[union-attr]
        ),
        "police_unit": (
            PoliceUnit.objects.get(code="polsek-tempurejo").pk,
            PoliceUnit.objects.get(code="polsek-kaliwates").pk,
        ),
        "tps": (tps(tempurejo), tps(kaliwates)),
        "vital_object": (vital(tempurejo), vital(kaliwates)),
        "operation": (Operation.objects.order_by("pk").first().slug, None),  # type: ignore[union-attr]
        "election": (election.slug, None),
        "stage": (ElectionStage.objects.filter(election=election).first().pk, None),  # type: ignore[union-attr]
        "pattern": (SecurityPattern.objects.order_by("pk").first().pk, None),  # type: ignore[union-attr]
        "apel": (apel.pk, None),
        "apel_entry": (entry("polsek-tempurejo"), entry("polsek-kaliwates")),
        "apel_check": (check("polsek-tempurejo"), check("polsek-kaliwates")),
        "planning_run": (PlanningRun.objects.get(plan=subset_plan).pk, None),
        "fan_out": (fan_out.pk, None),
        "plan": (subset_plan.pk, None),
        "plan_v2": (plan_v2.pk, None),
        "post": (post.pk, None),
        "guard_checkin": (checkin.pk, None),
        "roster": (guard_roster.pk, None),
        "assignment": (assignment.pk, None),  # type: ignore[union-attr]
        "swap": (999999, None),
        "swap_decision": ("setuju", None),
        "personnel": (inside_officer.pk, outside_officer.pk),
        "patrol_point": (p_in.pk, p_out.pk),
        "patrol_plan": (patrol_plan.pk, None),
        "patrol_day": (day.pk, None),
        "patrol_checkin": (999999, None),
        "incident": (incident_in.pk, incident_out.pk),
        "incident_photo": ("tidak-ada.jpg", None),
        "response_unit": (make_unit(call_sign="TP-1", kecamatan="Tempurejo").pk, response_unit_out.pk),
        "receipt": (incident_in.receipt, incident_out.receipt),
        "ical_token": (guard.issue_calendar_feed(actor=None, personnel=inside_officer), None),
        "polda": (
            PoliceUnit.objects.get(code="polda-jatim").pk,
            PoliceUnit.objects.get(code="polda-lain-uji").pk,
        ),
    }


def _refused(method: str, outcome: str) -> bool:
    """Not found, forbidden or not allowed; for a write, also a refused body (checked before the object)."""
    return outcome in ("403", "404", "405", "login") or (method != "GET" and outcome in ("400", "422"))


def _clients(personas: dict[str, Any]) -> dict[str, Client]:
    out = {}
    for role, user in personas.items():
        c = Client()
        if user is not None:
            c.force_login(user)
        out[role] = c
    return out


def test_every_route_has_its_parameters_mapped() -> None:
    missing = [
        route
        for route, _p in walker.routes()
        if not walker.is_admin_route(route) and walker._PARAM.search(route) and route not in walker.PARAMS
    ]
    assert missing == [], "map these routes' URL parameters in tests/access/walker.py PARAMS"


def test_route_role_matrix(
    personas: dict[str, Any], world: dict[str, tuple[Any, Any]], settings: Any
) -> None:
    # The walk's requests roll back, session touches included: on a slow machine a walk longer than the idle
    # limit (15 min for administrators) would log personas out half-way. Idle expiry has its own tests.
    settings.SIAGA_SESSION_IDLE_SECONDS = settings.SIAGA_SESSION_IDLE_SECONDS_ADMIN = 24 * 3600
    clients = _clients(personas)
    observed: dict[tuple[str, str, str], dict[str, str]] = {}
    bodies_with_canary: list[str] = []
    # Requests that changed data although the role may not change anything there.
    forbidden_writes: list[str] = []
    # Exports and reporter-identity views that left no audit record, and identity shown to other roles.
    unaudited: list[str] = []
    identity_shown: list[str] = []
    # Answers to a logged-in user that a cache may keep (G16: no-store on every one).
    cacheable: list[str] = []
    for case in walker.cases():
        url = walker.build_url(case.route, case.place, world)
        if url is None:
            continue
        row = {}
        for role in walker.ROLES:
            response = walker.request(clients[role], case.method, url)
            row[role] = walker.outcome(response)
            body = b"" if response.streaming else response.content
            is_export = response.status_code == 200 and (
                response.get("Content-Type", "").startswith(EXPORT_TYPES)
                or "attachment" in response.get("Content-Disposition", "")
            )
            shows_reporter = response.status_code == 200 and REPORTER.encode() in body
            if (is_export or shows_reporter) and "core_auditevent" not in response.written:
                unaudited.append(f"{role} {case.method} {url}")
            if shows_reporter and role not in ("ops_staff", "admin"):
                identity_shown.append(f"{role} {case.method} {url}")
            if role != "anonymous" and response.get("Cache-Control") != "no-store":
                cacheable.append(f"{role} {case.method} {url}")
            # An audit record of a refused look (say at a reporter's identity) is the trail doing its job, not a
            # change made by the visitor: only other tables count as writes here.
            changed = response.written - {"core_auditevent"}
            # Above the Polres a background job may be started to read (printing a Sprin PDF): not a change.
            if role in walker.ABOVE_POLRES:
                changed -= {"core_job"}
            if changed and (
                (role == "anonymous" and case.route not in walker.PUBLIC_ROUTES)
                or (role.startswith("partner_") and case.route not in walker.PUBLIC_ROUTES)
                or (role in walker.ABOVE_POLRES and case.route not in walker.PUBLIC_ROUTES)
            ):
                forbidden_writes.append(f"{role} {case.method} {url}: {sorted(changed)}")
            if (
                role in ("polsek_officer", "field_officer")
                and response.status_code == 200
                and not response.streaming
                and CANARY_OUT.encode() in response.content
            ):
                bodies_with_canary.append(f"{role} {case.method} {url}")
        observed[case.key] = row

    if os.environ.get("SIAGA_WRITE_ACCESS_TABLE") == "1":
        walker.write_table(observed)

    # Invariants that hold whatever the table says.
    errors = [f"{k} {role}" for k, row in observed.items() for role, o in row.items() if o.startswith("5")]
    anonymous_ok = [
        k
        for k, row in observed.items()
        if row["anonymous"].startswith("2") and k[0] not in walker.PUBLIC_ROUTES
    ]
    outside_reads = [
        (k, role)
        for k, row in observed.items()
        if k[2] == "out"
        for role in ("polsek_officer", "field_officer")
        if k[0] not in walker.PUBLIC_ROUTES and not _refused(k[1], row[role])
    ]
    # Another Polda's staff reach no object of Polres Jember, inside or outside Tempurejo (issue 20).
    other_polda_reads = [
        k
        for k, row in observed.items()
        if k[2] in ("in", "out")
        and k[0] not in walker.PUBLIC_ROUTES
        and set(walker.PARAMS.get(k[0], {}).values()) & walker.JEMBER_KINDS
        and not _refused(k[1], row["polda_other"])
    ]
    problems = {
        "server errors": errors,
        "private routes answering an anonymous visitor": anonymous_ok,
        "writes by anonymous visitors, partners, Polda or Mabes": forbidden_writes,
        "another Polda reaching an object of Polres Jember": other_polda_reads,
        "authenticated answers without Cache-Control: no-store": cacheable,
        "exports or reporter-identity views without an audit record": unaudited,
        "reporter identity shown to a role other than the Posko": identity_shown,
        "Polsek/field account reaching an outside object": outside_reads,
        "outside name shown to a Polsek/field account": bodies_with_canary,
    }
    assert {k: v for k, v in problems.items() if v} == {}, "\n".join(
        f"{title}:\n  " + "\n  ".join(map(str, found)) for title, found in problems.items() if found
    )

    # The committed table: every case has a row and every row a case, with the same outcomes.
    table = walker.read_table()
    assert sorted(set(observed) - set(table)) == [], "routes without an entry in expected_access.csv"
    assert sorted(set(table) - set(observed)) == [], "rows in expected_access.csv for routes that are gone"
    differences = [
        f"{' '.join(k)}: {role} expected {table[k][role]}, got {row[role]}"
        for k, row in observed.items()
        for role in walker.ROLES
        if table[k][role] != row[role]
    ]
    assert differences == []
