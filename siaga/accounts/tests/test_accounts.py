"""Account management by the Polres admin: create, import, deactivate, role and unit, personnel link, NRP login,
jurisdiction (a Polres admin manages only its Polres) and the audit trail for the Kabag Ops."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from siaga.accounts import selectors, services
from siaga.accounts.models import Role, User
from siaga.core.errors import ImportRejected, NotFound, PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.deployment.models import OfficerAccount
from siaga.personnel import services as personnel_services
from siaga.personnel.models import Personnel, Rank
from siaga.territory.models import Kabupaten, PoliceUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def polres_admin(db: Any) -> User:
    """The Polres Jember administrator: role admin with the Polres as unit (not a superuser)."""
    return User.objects.create_user(
        username="t.admin.jember",
        password="test-password-123",
        role=Role.ADMIN,
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )


@pytest.fixture
def other_polres(db: Any) -> PoliceUnit:
    """A second Polres in another kabupaten, to prove that the Jember admin cannot reach it."""
    kab = Kabupaten.objects.create(code="35.10", name="Banyuwangi (uji)")
    return PoliceUnit.objects.create(
        code="polres-uji",
        name="Polres Uji",
        level=PoliceUnit.Level.POLRES,
        kabupaten=kab,
        lat=-8.2,
        lng=114.3,
    )


@pytest.fixture
def officer(db: Any) -> Personnel:
    polres = PoliceUnit.objects.get(code="polres-jember")
    units = {
        u.police_unit.code if u.is_polsek else u.function: u
        for u in personnel_services.ensure_units(polres=polres)
    }
    return Personnel.objects.create(
        nrp="87010001",
        name="Bripda Uji Coba",
        rank=Rank.objects.get(code="bripda"),
        unit=units["polsek-tempurejo"],
    )


def _unit(code: str) -> PoliceUnit:
    return PoliceUnit.objects.get(code=code)


# --- services -------------------------------------------------------------------------------------------------


def test_admin_creates_a_field_officer_account_linked_by_nrp_who_logs_in_with_it(
    polres_admin: User, officer: Personnel
) -> None:
    account = services.create_account(
        actor=polres_admin,
        username="",
        role=Role.FIELD_OFFICER,
        police_unit=_unit("polsek-tempurejo"),
        personnel=officer,
        password="Bukan-sandi-mudah-2024",
    )
    assert account.username == "87010001" and account.first_name == "Bripda Uji Coba"
    assert OfficerAccount.objects.get(user=account).personnel == officer
    # The officer logs in with his NRP through the real login page.
    response = Client().post("/masuk/", {"username": "87010001", "password": "Bukan-sandi-mudah-2024"})
    assert response.status_code == 302
    # "TPS saya" finds him through the link.
    from siaga.deployment.selectors import personnel_of

    assert personnel_of(account) == officer
    created = AuditEvent.objects.filter(
        object_type="accounts.user", object_id=str(account.pk), action="create"
    )
    assert created.get().actor == polres_admin
    assert "password" not in created.get().after
    assert AuditEvent.objects.filter(object_type="deployment.officeraccount", action="create").count() == 1


def test_a_polres_admin_cannot_create_or_reach_accounts_of_another_polres(
    polres_admin: User, other_polres: PoliceUnit
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.create_account(
            actor=polres_admin,
            username="x.uji",
            role=Role.OPS_STAFF,
            police_unit=other_polres,
            first_name="X",
        )
    assert "police_unit" in exc.value.fields
    # Nor an account without a unit (it would see everything).
    with pytest.raises(ValidationFailed):
        services.create_account(actor=polres_admin, username="x.pusat", role=Role.ADMIN, police_unit=None)
    outside = User.objects.create_user(username="ops.uji", role=Role.OPS_STAFF, police_unit=other_polres)
    with pytest.raises(NotFound):
        selectors.access_account(polres_admin, outside.pk)
    with pytest.raises(NotFound):
        services.set_account_active(actor=polres_admin, account=outside, active=False)
    assert User.objects.get(pk=outside.pk).is_active
    assert other_polres not in selectors.manageable_units(polres_admin)
    assert _unit("polsek-tempurejo") in selectors.manageable_units(polres_admin)


def test_superusers_are_out_of_reach_of_a_polres_admin(polres_admin: User, admin_user: User) -> None:
    admin_user.police_unit = _unit("polres-jember")
    admin_user.save()
    assert admin_user not in selectors.accounts_for(polres_admin)
    with pytest.raises(NotFound):
        services.set_account_active(actor=polres_admin, account=admin_user, active=False)


def test_only_the_admin_role_manages_accounts(kabagops: User, commander: User) -> None:
    for actor in (kabagops, commander):
        with pytest.raises(PermissionDenied):
            services.create_account(
                actor=actor, username="x", role=Role.FIELD_OFFICER, police_unit=_unit("polsek-tempurejo")
            )
        assert not selectors.accounts_for(actor).exists() or selectors.manageable_units(actor).count() == 0


def test_deactivating_ends_login_and_api_tokens_and_is_audited(polres_admin: User, kabagops: User) -> None:
    raw = services.create_api_token(user=kabagops)
    assert services.user_for_token(raw) == kabagops
    services.set_account_active(actor=polres_admin, account=kabagops, active=False)
    kabagops.refresh_from_db()
    assert not kabagops.is_active
    assert services.user_for_token(raw) is None
    c = Client()
    assert c.post("/masuk/", {"username": "t.kabagops", "password": "test-password-123"}).status_code == 200
    event = AuditEvent.objects.filter(
        object_type="accounts.user", object_id=str(kabagops.pk), action="update"
    ).latest("at")
    assert event.before == {"is_active": True} and event.after == {"is_active": False}
    assert event.message == "deactivated"
    with pytest.raises(ValidationFailed):
        services.set_account_active(actor=polres_admin, account=polres_admin, active=False)


def test_role_and_unit_change_is_audited_with_only_what_changed(
    polres_admin: User, field_officer: User
) -> None:
    services.update_account(
        actor=polres_admin,
        account=field_officer,
        role=Role.POLSEK_OFFICER,
        police_unit=_unit("polsek-ambulu"),
        first_name="Nama Baru",
    )
    field_officer.refresh_from_db()
    assert (field_officer.role, field_officer.police_unit.code) == ("polsek_officer", "polsek-ambulu")
    event = AuditEvent.objects.filter(
        object_type="accounts.user", object_id=str(field_officer.pk), action="update"
    ).get()
    assert set(event.after) == {"role", "police_unit_id", "first_name"}
    with pytest.raises(ValidationFailed):
        services.update_account(
            actor=polres_admin, account=polres_admin, role=Role.OPS_STAFF, police_unit=_unit("polres-jember")
        )


def test_temporary_password_works_once_shown_and_is_never_in_the_audit(
    polres_admin: User, kabagops: User
) -> None:
    raw = services.set_temporary_password(actor=polres_admin, account=kabagops)
    assert len(raw) == 14
    assert Client().post("/masuk/", {"username": "t.kabagops", "password": raw}).status_code == 302
    event = AuditEvent.objects.filter(
        object_type="accounts.user", object_id=str(kabagops.pk), message="temporary password set"
    ).get()
    assert raw not in str(event.before) + str(event.after) + event.message


def test_linking_and_unlinking_an_officer(
    polres_admin: User, field_officer: User, officer: Personnel
) -> None:
    services.link_personnel(actor=polres_admin, account=field_officer, personnel=officer)
    assert selectors.linked_personnel(field_officer) == officer
    assert officer not in selectors.linkable_personnel(polres_admin)
    other = User.objects.create_user(
        username="t.lain", role=Role.FIELD_OFFICER, police_unit=_unit("polsek-tempurejo")
    )
    with pytest.raises(ValidationFailed):
        services.link_personnel(actor=polres_admin, account=other, personnel=officer)
    services.link_personnel(actor=polres_admin, account=field_officer, personnel=None)
    assert selectors.linked_personnel(field_officer) is None
    actions = list(
        AuditEvent.objects.filter(object_type="deployment.officeraccount")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]


# --- import ---------------------------------------------------------------------------------------------------

GOOD = (
    "username,nrp,nama,peran,satuan,email,telepon,instansi_mitra,aktif\n"
    ",87010001,,field_officer,polsek-tempurejo,,,,\n"
    "kasat.samapta,,Kasat Samapta,Staf Bag Ops,Polres Jember,kasat@example.org,0812,,ya\n"
    "mitra.bawaslu,,Bawaslu Jember,partner_viewer,polres-jember,,,bawaslu,\n"
)


def _import(actor: User, text: str) -> dict[str, int]:
    return services.import_accounts(actor=actor, source=io.BytesIO(text.encode()), filename="akun.csv")


def test_import_creates_links_and_reimporting_changes_nothing(polres_admin: User, officer: Personnel) -> None:
    assert _import(polres_admin, GOOD) == {"created": 3, "updated": 0, "unchanged": 0}
    nrp_user = User.objects.get(username="87010001")
    assert nrp_user.first_name == "Bripda Uji Coba" and not nrp_user.has_usable_password()
    assert OfficerAccount.objects.get(user=nrp_user).personnel == officer
    assert User.objects.get(username="kasat.samapta").role == Role.OPS_STAFF
    assert User.objects.get(username="mitra.bawaslu").partner == "bawaslu"
    events = AuditEvent.objects.filter(source="import")
    assert events.filter(action="create", object_type="accounts.user").count() == 3
    assert events.filter(action="import").get().after == {"created": 3, "updated": 0, "unchanged": 0}
    assert _import(polres_admin, GOOD) == {"created": 0, "updated": 0, "unchanged": 3}
    # A later file deactivates an account (mutasi) and changes a role.
    later = "username,peran,satuan,aktif\nkasat.samapta,ops_staff,polres-jember,tidak\n"
    assert _import(polres_admin, later) == {"created": 0, "updated": 1, "unchanged": 0}
    assert not User.objects.get(username="kasat.samapta").is_active


def test_import_names_every_bad_row_and_saves_nothing(
    polres_admin: User, other_polres: PoliceUnit, kabagops: User
) -> None:
    User.objects.create_user(username="ops.uji", role=Role.OPS_STAFF, police_unit=other_polres)
    bad = (
        "username,nrp,nama,peran,satuan,instansi_mitra,aktif\n"
        "baik,,Baik,field_officer,polsek-tempurejo,,\n"  # row 2: fine
        "a,,A,kapolri,polsek-tempurejo,,\n"  # row 3: unknown role
        "b,,B,field_officer,polres-uji,,\n"  # row 4: unit of another Polres
        "ops.uji,,C,ops_staff,polres-jember,,\n"  # row 5: username of an account elsewhere
        "d,99999999,D,field_officer,polsek-tempurejo,,\n"  # row 6: NRP not in the personnel list
        "baik,,Baik lagi,field_officer,polsek-tempurejo,,\n"  # row 7: duplicate username
        "e,,E,partner_viewer,polres-jember,,\n"  # row 8: partner without agency
        "f,,F,field_officer,polsek-tempurejo,,mungkin\n"  # row 9: aktif neither ya nor tidak
    )
    with pytest.raises(ImportRejected) as exc:
        _import(polres_admin, bad)
    by_row = {(e.row, e.column) for e in exc.value.rows}
    assert by_row == {
        (3, "peran"),
        (4, "satuan"),
        (5, "username"),
        (6, "nrp"),
        (7, "username"),
        (8, "instansi_mitra"),
        (9, "aktif"),
    }
    role_error = next(e for e in exc.value.rows if e.row == 3)
    assert "field_officer" in role_error.message  # lists the accepted roles
    assert not User.objects.filter(username="baik").exists()
    missing = "nama,peran\nX,field_officer\n"
    with pytest.raises(ImportRejected) as exc:
        _import(polres_admin, missing)
    assert {e.column for e in exc.value.rows} == {"satuan", "username / nrp"}


# --- pages ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("polres_admin", 200),
        ("admin_user", 200),
        ("kabagops", 403),
        ("commander", 403),
        ("polsek_tempurejo", 403),
        ("field_officer", 403),
        ("partner_kpu", 403),
    ],
)
def test_account_pages_by_persona(
    request: pytest.FixtureRequest, client_for: Any, persona: str, status: int
) -> None:
    c = client_for(request.getfixturevalue(persona))
    for url in ("/akun/", "/akun/baru/", "/akun/impor/"):
        assert c.get(url).status_code == status, url


def test_stable_url_names_for_the_setup_wizard() -> None:
    from django.urls import reverse

    assert reverse("accounts:user_list") == "/akun/"
    assert reverse("accounts:user_create") == "/akun/baru/"
    assert reverse("accounts:user_import") == "/akun/impor/"


def test_account_of_another_polres_is_404_on_every_page(
    client_for: Any, polres_admin: User, other_polres: PoliceUnit
) -> None:
    outside = User.objects.create_user(username="ops.uji", role=Role.OPS_STAFF, police_unit=other_polres)
    c = client_for(polres_admin)
    assert c.get(f"/akun/{outside.pk}/").status_code == 404
    for suffix in ("aktif/", "kata-sandi/", "personel/"):
        assert c.post(f"/akun/{outside.pk}/{suffix}", {"active": "0"}).status_code == 404
    assert User.objects.get(pk=outside.pk).is_active
    assert "ops.uji" not in c.get("/akun/").content.decode()


def test_account_list_query_count_does_not_grow_with_accounts(
    client_for: Any, polres_admin: User, officer: Personnel, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        user = User.objects.create_user(
            username=f"t.massal.{i}", role=Role.FIELD_OFFICER, police_unit=_unit("polsek-tempurejo")
        )
        if i == 0:
            OfficerAccount.objects.create(user=user, personnel=officer)
    c = client_for(polres_admin)
    with django_assert_max_num_queries(12):
        page = c.get("/akun/").content.decode()
    assert "t.massal.1" in page and "Bripda Uji Coba (87010001)" in page


def test_create_edit_deactivate_through_the_pages(
    client_for: Any, polres_admin: User, officer: Personnel
) -> None:
    c = client_for(polres_admin)
    tempurejo = _unit("polsek-tempurejo")
    response = c.post(
        "/akun/baru/",
        {"nrp": "8701 0001", "role": "field_officer", "police_unit": tempurejo.pk, "username": ""},
    )
    assert response.status_code == 302
    account = User.objects.get(username="87010001")
    assert response["Location"] == f"/akun/{account.pk}/"
    # Bad input: a clear message, not a 500, nothing saved.
    response = c.post(
        "/akun/baru/", {"username": "87010001", "role": "field_officer", "police_unit": tempurejo.pk}
    )
    assert response.status_code == 200 and User.objects.filter(username__iexact="87010001").count() == 1
    assert "sudah dipakai" in response.content.decode()
    response = c.post(
        f"/akun/{account.pk}/",
        {"role": "polsek_officer", "police_unit": tempurejo.pk, "first_name": "Baru", "partner": ""},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.role == "polsek_officer"
    page = c.post(f"/akun/{account.pk}/kata-sandi/").content.decode()
    assert "hanya ditampilkan sekali" in page
    assert c.post(f"/akun/{account.pk}/aktif/", {"active": "0"}).status_code == 302
    account.refresh_from_db()
    assert not account.is_active


def test_import_page_runs_a_job_with_row_errors(
    client_for: Any, polres_admin: User, run_tasks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from siaga.core.models import Job

    c = client_for(polres_admin)
    # The page lists every accepted role code, from the model (a new role appears without a template edit).
    page = c.get("/akun/impor/").content.decode()
    assert all(code in page for code in Role.values)
    upload = SimpleUploadedFile("akun.csv", b"username,nama,peran,satuan\nx,X,kapolri,polres-jember\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/akun/impor/", {"file": upload})
    assert response.status_code == 302
    run_tasks()
    job = Job.objects.get(kind="import_accounts")
    assert job.status == Job.Status.FAILED
    assert any("baris 2" in r for r in job.result["error"]["fields"]["rows"])
    assert "baris 2" in c.get(f"/pekerjaan/{job.pk}/").content.decode()


# --- audit trail ----------------------------------------------------------------------------------------------


def test_kabagops_reads_the_audit_trail_of_his_polres_only(
    client_for: Any, kabagops: User, polres_admin: User, other_polres: PoliceUnit
) -> None:
    from siaga.core.audit import record_change

    outsider_admin = User.objects.create_user(username="admin.uji", role=Role.ADMIN, police_unit=other_polres)
    record_change(actor=polres_admin, action="update", object_type="x.y", object_repr="JEJAK-JEMBER")
    record_change(actor=outsider_admin, action="update", object_type="x.y", object_repr="JEJAK-UJI")
    response = client_for(kabagops).get("/audit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "JEJAK-JEMBER" in page and "JEJAK-UJI" not in page


def test_kabagops_sees_the_jobs_of_his_polres_not_of_another(
    client_for: Any, kabagops: User, polsek_tempurejo: User, other_polres: PoliceUnit
) -> None:
    from siaga.core.models import Job

    outsider_admin = User.objects.create_user(username="admin.uji", role=Role.ADMIN, police_unit=other_polres)
    ours = Job.objects.create(kind="test", title="Impor TPS Jember", created_by=polsek_tempurejo)
    theirs = Job.objects.create(kind="test", title="Impor TPS Uji", created_by=outsider_admin)
    c = client_for(kabagops)
    assert c.get(f"/pekerjaan/{ours.pk}/").status_code == 200
    assert c.get(f"/pekerjaan/{theirs.pk}/").status_code == 404
    listing = c.get("/pekerjaan/").content.decode()
    assert "Impor TPS Jember" in listing and "Impor TPS Uji" not in listing


def test_cli_imports_as_an_administrator_and_reports_bad_rows(
    polres_admin: User, kabagops: User, officer: Personnel, tmp_path: Any
) -> None:
    from django.core.management import CommandError, call_command

    good = tmp_path / "akun.csv"
    good.write_text(GOOD)
    out = io.StringIO()
    call_command("import_accounts", str(good), "--as", polres_admin.username, "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"created": 3, "updated": 0, "unchanged": 0}
    bad = tmp_path / "salah.csv"
    bad.write_text("username,nama,peran,satuan\nx,X,kapolri,polres-jember\n")
    with pytest.raises(CommandError, match="baris 2"):
        call_command("import_accounts", str(bad), "--as", polres_admin.username)
    # Only an administrator imports: the Kabag Ops is refused with a clear message.
    with pytest.raises(CommandError, match="admin Polres"):
        call_command("import_accounts", str(good), "--as", kabagops.username)


def test_import_compares_usernames_without_case_and_keeps_one_officer_per_account(
    polres_admin: User, other_polres: PoliceUnit, field_officer: User, officer: Personnel
) -> None:
    User.objects.create_user(username="Ops.Uji", role=Role.OPS_STAFF, police_unit=other_polres)
    second = Personnel.objects.create(
        nrp="87010002", name="Bripda Kedua", rank=officer.rank, unit=officer.unit
    )
    services.link_personnel(actor=polres_admin, account=field_officer, personnel=officer)
    rows = (
        "username,nrp,nama,peran,satuan\n"
        "ops.uji,,C,ops_staff,polres-jember\n"  # row 2: "Ops.Uji" exists in another Polres
        f"{field_officer.username},87010002,,field_officer,polsek-tempurejo\n"  # row 3: already linked elsewhere
    )
    with pytest.raises(ImportRejected) as exc:
        _import(polres_admin, rows)
    assert {(e.row, e.column) for e in exc.value.rows} == {(2, "username"), (3, "nrp")}
    assert "87010001" in next(e.message for e in exc.value.rows if e.row == 3)
    assert not OfficerAccount.objects.filter(personnel=second).exists()
