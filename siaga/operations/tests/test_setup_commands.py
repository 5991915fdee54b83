"""Setting up a new Polres by command, from an empty database to a published PAM TPS plan and its Sprin
(docs/getting-started.md), on a synthetic kabupaten (not Jember); and the set-up services' rules."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from siaga.core.errors import Conflict, ImportRejected, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.operations import services, setup
from siaga.operations.models import Election, VulnerabilityCategory
from siaga.operations.tests.synthetic import write_kabupaten
from siaga.personnel.imports import import_resources
from siaga.personnel.models import Equipment
from siaga.territory.models import PoliceUnit


def test_the_getting_started_commands_take_an_empty_database_to_a_published_plan_and_sprin(
    tmp_path: Path,
) -> None:
    """Each step as a user types it, through the `siaga` console script, on a new SQLite database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["SIAGA_DATA_DIR"] = str(tmp_path)
    files = write_kabupaten(tmp_path / "berkas")
    siaga = str(Path(sys.executable).parent / "siaga")

    def run(*args: str) -> Any:
        done = subprocess.run([siaga, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout) if "--json" in args else done.stdout

    run("migrate", "-v", "0")
    with sqlite3.connect(tmp_path / "siaga.sqlite3") as db:
        # National reference data comes with migrate, not with the demo.
        assert db.execute("SELECT count(*) FROM operations_vulnerabilitycategory").fetchone() == (6,)
        assert db.execute("SELECT count(*) FROM operations_indicatorset").fetchone() == (3,)
        assert db.execute("SELECT count(*) FROM territory_kecamatan").fetchone() == (0,)
    assert "pagar-alam-2024" in run("apply-pattern-template", "--list")
    territory = run(
        "import-territory",
        "--json",
        "--desa",
        str(files["desa"]),
        "--boundaries",
        str(files["boundaries"]),
        "--police-units",
        str(files["police_units"]),
    )
    assert territory["created"]["kecamatan"] == 3 and territory["created"]["satuan kewilayahan"] == 4
    election = run(
        "create-election",
        "--json",
        "--slug",
        "pilkada-2029",
        "--name",
        "Pilkada Kabupaten Contoh 2029",
        "--kind",
        "pilkada",
        "--voting-day",
        "2029-11-28",
        "--polres",
        "polres-contoh",
    )
    assert election["stages"] == 14
    operation = run(
        "create-operation",
        "--json",
        "--slug",
        "mantap-praja-2029",
        "--name",
        "Operasi Mantap Praja 2029",
        "--election",
        "pilkada-2029",
        "--starts-on",
        "2029-09-01",
        "--ends-on",
        "2029-12-31",
    )
    assert operation["polres"] == "polres-contoh" and operation["satgas"] == 14
    patterns = run(
        "apply-pattern-template", "--json", "--election", "pilkada-2029", "--template", "pagar-alam-2024"
    )
    assert {p["category"] for p in patterns} == {"kurang_rawan", "rawan", "sangat_rawan"}
    assert run("import-tps", "--json", "--election", "pilkada-2029", str(files["tps"]))["created"] == 24
    assert run("import-personnel", "--json", str(files["personnel"]))["created"] == 30
    assert run("import-equipment", "--json", str(files["equipment"]))["created"] == 3
    assert run("import-bko", "--json", str(files["bko"]))["created"] == 1
    assert run("import-partner-forces", "--json", str(files["partner_forces"]))["created"] == 2
    # Importing the same file again changes nothing.
    assert run("import-equipment", "--json", str(files["equipment"]))["unchanged"] == 3
    plan = run("plan", "--json", "--election", "pilkada-2029", "--time-limit", "2", "--workers", "1")
    assert plan["valid"] is True and plan["violations"] == []
    assert plan["tps_total"] == plan["tps_covered"] == 24
    published = run(
        "publish-plan",
        "--json",
        "--plan",
        str(plan["plan_id"]),
        "--sprin-number",
        "Sprin/7/XI/2029",
        "--sprin-on",
        "2029-11-20",
    )
    assert published["status"] == "published"
    pdf = tmp_path / "sprin.pdf"
    sprin = run("sprin", "--json", "--plan", str(plan["plan_id"]), "--out", str(pdf))
    assert pdf.read_bytes()[:5] == b"%PDF-" and sprin["pages"] >= 1
    assert 0 < sprin["officers"] <= plan["officers_used"]
    with sqlite3.connect(tmp_path / "siaga.sqlite3") as db:
        # Every write above is in the audit trail.
        kinds = {r[0] for r in db.execute("SELECT DISTINCT object_type FROM core_auditevent")}
    assert {
        "operations.election",
        "operations.electionstage",
        "operations.operation",
        "operations.satgas",
    } <= kinds
    assert {
        "operations.securitypattern",
        "personnel.equipment",
        "personnel.bkoattachment",
        "personnel.partnerforce",
    } <= kinds
    assert "deployment.deploymentplan" in kinds


@pytest.mark.django_db
def test_an_election_takes_its_pkpu_calendar_shifted_to_its_voting_day() -> None:
    election = setup.create_election(
        actor=None, slug="pemilu-2029", name="Pemilu 2029", kind="pemilu", voting_on=dt.date(2029, 2, 14)
    )
    voting = election.stages.get(code="pemungutan-suara")
    assert (voting.starts_on, voting.ends_on) == (dt.date(2029, 2, 14), dt.date(2029, 2, 14))
    campaign = election.stages.get(code="kampanye")
    # PKPU 3/2022: the campaign ends 4 days before voting (10 Feb 2024 for 14 Feb 2024).
    assert election.voting_on - campaign.ends_on == dt.timedelta(days=4)
    assert election.max_voters_per_tps == 300
    assert (
        AuditEvent.objects.filter(object_type="operations.electionstage").count() == election.stages.count()
    )
    with pytest.raises(Conflict):
        setup.create_election(
            actor=None, slug="pemilu-2029", name="x", kind="pemilu", voting_on=dt.date(2029, 2, 14)
        )
    with pytest.raises(ValidationFailed):
        setup.create_election(
            actor=None,
            slug="x-2029",
            name="x",
            kind="pilkada",
            voting_on=dt.date(2029, 1, 1),
            calendar="pkpu-3-2022",
        )
    bare = setup.create_election(
        actor=None, slug="psu-2029", name="PSU", kind="pilkada", voting_on=dt.date(2029, 3, 1), calendar=""
    )
    assert bare.stages.count() == 0 and bare.max_voters_per_tps == 600


@pytest.mark.django_db
def test_copying_a_pattern_without_categories_is_a_clear_error_not_a_crash() -> None:
    """The HTTP 500 of issue 13 (KeyError 'kurang_rawan'): categories are now migrated; without them the copy
    says what is missing."""
    polres = PoliceUnit.objects.get(code="polres-jember")
    election = Election.objects.create(
        slug="uji-2029", name="Uji", kind="pemilu", voting_on=dt.date(2029, 2, 14)
    )
    VulnerabilityCategory.objects.filter(code="kurang_rawan").update(code="kurang-rawan-lokal")
    with pytest.raises(ValidationFailed, match="kurang_rawan"):
        services.copy_pattern_template(actor=None, key="jember-2024", polres=polres, election=election)


@pytest.mark.django_db
def test_reference_seed_is_idempotent_and_keeps_local_labels() -> None:
    VulnerabilityCategory.objects.filter(code="rawan").update(local_label="Rawan I")
    before = VulnerabilityCategory.objects.count()
    services.ensure_reference_data()
    assert VulnerabilityCategory.objects.count() == before == 6
    assert VulnerabilityCategory.objects.get(code="rawan").local_label == "Rawan I"


@pytest.mark.django_db
def test_an_equipment_file_with_bad_rows_is_refused_whole_with_each_row_named(tmp_path: Path) -> None:
    polres = PoliceUnit.objects.get(code="polres-jember")
    path = tmp_path / "peralatan.csv"
    path.write_text(
        "jenis,satuan,nopol_seri,jumlah\n"
        "kendaraan roda 4,Polsek Tempurejo,P 9999 XX,1\n"
        "roket,Polsek Tempurejo,,1\n"
        "car,Polsek Nowhere,,1\n"
        "car,Polsek Tempurejo,,1\n",
        encoding="utf-8",
    )
    before = Equipment.objects.count()
    with pytest.raises(ImportRejected) as info:
        import_resources(kind="equipment", polres=polres, source=str(path))
    errors = {(e.row, e.column) for e in info.value.rows}
    assert (3, "jenis") in errors and (4, "satuan") in errors and (5, "nopol_seri") in errors
    assert 2 not in {row for row, _column in errors}
    assert Equipment.objects.count() == before


@pytest.mark.django_db
def test_the_equipment_list_export_re_imports_unchanged(client_for: Any, kabagops: Any) -> None:
    import io

    from siaga.personnel.services import create_equipment, ensure_units

    polres = PoliceUnit.objects.get(code="polres-jember")
    units = ensure_units(polres=polres)
    for data in [
        {"kind": "car", "identifier": "P 1234 XY", "unit": units[0], "description": "patroli"},
        {"kind": "shield", "quantity": 30, "unit": units[1], "condition": "light_damage"},
        {"kind": "ht", "identifier": "HT-77", "unit": units[-1]},
    ]:
        create_equipment(actor=None, data=data)
    count = Equipment.objects.filter(unit__polres=polres).count()
    export = client_for(kabagops).get("/personel/peralatan/?export=xlsx")
    assert export.status_code == 200
    result = import_resources(
        kind="equipment", polres=polres, source=io.BytesIO(export.content), filename="peralatan.xlsx"
    )
    assert result == {"created": 0, "updated": 0, "unchanged": count, "rows": count}
