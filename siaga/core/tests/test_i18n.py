"""The English catalogue: pages switch language, and siaga/locale/en is complete and safe to format."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "siaga" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# %(name)s with any flags/precision (%(need).1f), bare %s/%d, and {{ var }} / {var} left in template text.
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_0-9]+\)[-#0 +]*\d*(?:\.\d+)?[sdrifeEgGxXc]|%[-#0+]*\d*(?:\.\d+)?[sdif]|\{\{\s*[\w.]+\s*\}\}|\{\w*\}"
)


def _unquote(line: str) -> str:
    """The text of one quoted .po line ("...")."""
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def parse_po(path: Path) -> list[dict[str, Any]]:
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (list: one per plural form), flags.

    A small parser of our own (no polib dependency): enough for the files makemessages writes.
    """
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    field: str | None = None

    def flush() -> None:
        if "msgid" in current:
            entries.append(dict(current))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            field = None
        elif line.startswith("#~"):
            continue  # obsolete entries are not used
        elif line.startswith("#,"):
            if "msgid" in current:
                flush()
            current.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            if "msgid" in current:
                flush()
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
            current[field] = _unquote(line)
        elif line.startswith("msgid "):
            if "msgid" in current:
                flush()
            field = "msgid"
            current[field] = _unquote(line)
        elif line.startswith("msgstr"):
            match = re.match(r"msgstr(?:\[(\d+)\])?\s", line)
            assert match, line
            index = int(match.group(1) or 0)
            current.setdefault("msgstr", {})[index] = _unquote(line)
            field = f"msgstr:{index}"
        elif line.startswith('"') and field:
            if field.startswith("msgstr:"):
                index = int(field.split(":")[1])
                current["msgstr"][index] += _unquote(line)
            else:
                current[field] += _unquote(line)
    flush()
    for entry in entries:
        entry.setdefault("flags", set())
        entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry.get("msgstr", {}))]
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict[str, Any]]:
    entries = [e for e in parse_po(PO) if e["msgid"]]  # the header has an empty msgid
    assert len(entries) > 1000, "the English catalogue looks truncated"
    return entries


def test_catalogue_files_are_committed_together() -> None:
    assert PO.is_file() and MO.is_file()
    assert MO.stat().st_size > 10_000


def test_catalogue_has_no_empty_or_fuzzy_entries(catalogue: list[dict[str, Any]]) -> None:
    empty = [e["msgid"] for e in catalogue if not e["msgstr"] or not all(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]
    assert not empty, f"untranslated: {empty[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    header = parse_po(PO)[0]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Language: en" in header["msgstr"][0]


def test_plural_entries_have_every_form(catalogue: list[dict[str, Any]]) -> None:
    for entry in catalogue:
        if "msgid_plural" in entry:
            assert len(entry["msgstr"]) == 2, entry["msgid"]


def test_translations_keep_their_placeholders(catalogue: list[dict[str, Any]]) -> None:
    broken = []
    for entry in catalogue:
        wanted = set(PLACEHOLDER.findall(entry["msgid"])) | set(
            PLACEHOLDER.findall(entry.get("msgid_plural", ""))
        )
        for msgstr in entry["msgstr"]:
            if set(PLACEHOLDER.findall(msgstr)) != wanted:
                broken.append((entry["msgid"], msgstr))
    assert not broken, broken[:10]


def test_no_message_is_an_indonesian_english_pair(catalogue: list[dict[str, Any]]) -> None:
    """A msgid is Indonesian only: "Indonesian / English" would show both halves on an Indonesian screen (issue
    14 item 8). A pair is a msgid that ends with " / " and its own translation."""
    pairs = [
        e["msgid"]
        for e in catalogue
        if "msgid_plural" not in e and e["msgstr"][0] and e["msgid"].endswith(" / " + e["msgstr"][0])
    ]
    assert pairs == [], pairs[:10]


@pytest.mark.django_db
def test_landing_page_in_english_and_indonesian() -> None:
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Log in" in english
    assert "Report an incident (public)" in english
    assert "Laporkan kejadian" not in english

    indonesian = Client().get("/").content.decode()
    assert '<html lang="id">' in indonesian
    assert "Masuk" in indonesian
    assert "Laporkan kejadian (masyarakat)" in indonesian
    assert "Report an incident" not in indonesian


@pytest.mark.django_db
def test_language_switch_shows_english_navbar(client_for: Any, kabagops: Any) -> None:
    client = client_for(kabagops)
    page = client.get(reverse("dashboard:map")).content.decode()
    assert "Peta komando" in page and "Keluar" in page
    assert "Command map" not in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("dashboard:map")})
    assert response.status_code == 302
    page = client.get(reverse("dashboard:map")).content.decode()
    assert '<html lang="en">' in page
    assert "Command map" in page
    assert "Log out" in page
    assert "Peta komando" not in page
    assert "Bahasa Indonesia" in page  # the switch back

    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Peta komando" in client.get(reverse("dashboard:map")).content.decode()


@pytest.mark.django_db
def test_service_refusal_is_in_the_active_language_only(kabagops: Any) -> None:
    from django.utils import translation

    from siaga.core.errors import ValidationFailed
    from siaga.incidents.services import transition_incident
    from siaga.incidents.tests.factories import make_incident

    incident = make_incident(actor=kabagops)
    for language, expected in (("en", "Choose the unit to dispatch"), ("id", "Pilih unit yang dikirim")):
        with translation.override(language), pytest.raises(ValidationFailed) as refused:
            transition_incident(actor=kabagops, incident=incident, to="dispatched")
        assert refused.value.message == expected
