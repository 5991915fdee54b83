"""In Debian Chromium: the administrator of a new Polres follows the guided set-up from an empty database,
importing a synthetic kabupaten's files through the pages (not Jember)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from siaga.operations.models import Election, Operation, SecurityPattern
from siaga.operations.tests.synthetic import write_kabupaten
from siaga.personnel.models import BkoAttachment, Personnel
from siaga.sites.models import Tps

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_polres_admin_sets_up_a_new_polres_in_the_browser(
    live_server: Any, browser: Any, run_tasks: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from siaga.accounts.models import User
    from siaga.operations.services import ensure_reference_data
    from siaga.personnel import reference
    from siaga.personnel.models import KitItem, Rank

    call_command("flush", interactive=False, verbosity=0)
    ensure_reference_data()
    reference.seed(Rank, KitItem)
    User.objects.create_user(username="admin.contoh", password="x-test-password-123", role="admin")
    files = write_kabupaten(tmp_path)

    page = browser.new_page()
    page.goto(f"{live_server.url}/masuk/?next=/operasi/persiapan/")
    page.fill("input[name=username]", "admin.contoh")
    page.fill("input[name=password]", "x-test-password-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_text("0 dari 10 langkah selesai")).to_be_visible()

    def step_link(label: str) -> None:
        page.goto(f"{live_server.url}/operasi/persiapan/")
        page.locator(".setup-step a", has_text=label).click()

    step_link("Impor wilayah")
    page.set_input_files("input[name=desa]", str(files["desa"]))
    page.set_input_files("input[name=boundaries]", str(files["boundaries"]))
    page.set_input_files("input[name=police_units]", str(files["police_units"]))
    page.locator("button.btn-primary[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/pekerjaan/{_last_job()}/")
    run_tasks()

    step_link("Pemilihan baru")
    page.fill("input[name=name]", "Pilkada Kabupaten Contoh 2029")
    page.fill("input[name=slug]", "pilkada-2029")
    page.select_option("select[name=kind]", "pilkada")
    page.fill("input[name=voting_on]", "2029-11-28")
    page.locator("button.btn-primary[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("14 tahapan")

    step_link("Operasi baru")
    page.fill("input[name=name]", "Operasi Mantap Praja Contoh 2029")
    page.fill("input[name=slug]", "mantap-praja-2029")
    page.select_option("select[name=election]", label="Pilkada Kabupaten Contoh 2029")
    page.fill("input[name=starts_on]", "2029-09-01")
    page.fill("input[name=ends_on]", "2029-12-31")
    page.locator("button.btn-primary[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Operasi Mantap Praja Contoh 2029")

    step_link("Pola pengamanan")
    page.select_option("select[name=template]", "pagar-alam-2024")
    page.get_by_role("button", name="Salin").click()
    expect(page.locator(".alert-success")).to_contain_text("4")

    for label, field_file, extra in [
        ("Impor TPS", files["tps"], True),
        ("Impor personel", files["personnel"], False),
        ("Impor BKO", files["bko"], False),
    ]:
        step_link(label)
        if extra:
            page.select_option("select[name=election]", label="Pilkada Kabupaten Contoh 2029")
        page.set_input_files("input[name=file]", str(field_file))
        page.locator("button.btn-primary[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/pekerjaan/{_last_job()}/")
        run_tasks()

    page.goto(f"{live_server.url}/operasi/persiapan/")
    expect(page.get_by_text("8 dari 10 langkah selesai")).to_be_visible()
    page.close()
    election = Election.objects.get(slug="pilkada-2029")
    operation = Operation.objects.get(slug="mantap-praja-2029")
    assert operation.polres.code == "polres-contoh" and operation.satgas.count() == 14
    assert SecurityPattern.objects.filter(election=election, polres=operation.polres).count() == 4
    assert Tps.objects.filter(election=election).count() == 24
    assert Personnel.objects.filter(unit__polres=operation.polres).count() == 30
    assert BkoAttachment.objects.filter(polres=operation.polres).count() == 1


def _last_job() -> int:
    from siaga.core.models import Job

    job = Job.objects.order_by("-pk").first()
    return job.pk if job else 0
