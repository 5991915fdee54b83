"""The posko journal (buku mutasi) is append-only: no edit, no delete; a correction is a new line naming the
old one. The visitor log records who came to a post, from where, why, and when they left."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from siaga.core.errors import Conflict, PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.guard.models import Post
from siaga.posko import services
from siaga.posko.models import JournalEntry, Visitor
from siaga.sites.models import VitalObject
from siaga.territory.models import Kecamatan


def test_entries_are_appended_never_changed_and_corrections_name_the_old_line(kabagops: Any) -> None:
    first = services.write_journal_entry(
        actor=kabagops, text="Pukul 09.10 Kapolsek melapor situasi aman", kind=JournalEntry.Kind.RADIO,
        radio_from="Tempurejo-1", radio_to="Posko",
    )  # fmt: skip
    assert AuditEvent.objects.filter(object_type="posko.journalentry", object_id=str(first.pk)).exists()
    first.text = "diubah"
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()
    fix = services.write_journal_entry(actor=kabagops, text="Koreksi: pukul 09.15", corrects=first)
    assert fix.kind == JournalEntry.Kind.CORRECTION and fix.corrects_id == first.pk
    assert JournalEntry.objects.get(pk=first.pk).text == "Pukul 09.10 Kapolsek melapor situasi aman"
    # The admin reads the journal but offers no way to change or delete it.
    admin = site._registry[JournalEntry]
    request = RequestFactory().get("/")
    request.user = kabagops
    assert not admin.has_change_permission(request, first) and not admin.has_delete_permission(request, first)


def test_the_journal_refuses_what_it_must(kabagops: Any, polsek_tempurejo: Any, field_officer: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.write_journal_entry(actor=kabagops, text="x", kind=JournalEntry.Kind.RADIO)  # no call signs
    with pytest.raises(ValidationFailed):
        services.write_journal_entry(
            actor=kabagops, text="x", occurred_at=timezone.now() + dt.timedelta(hours=1)
        )
    with pytest.raises(PermissionDenied):
        services.write_journal_entry(actor=field_officer, text="x")
    kaliwates = Kecamatan.objects.get(name__iexact="Kaliwates")
    with pytest.raises(PermissionDenied):
        services.write_journal_entry(actor=polsek_tempurejo, text="x", kecamatan_id=kaliwates.pk)
    own = services.write_journal_entry(actor=polsek_tempurejo, text="Apel pagi lengkap")
    assert own.kecamatan is not None and own.kecamatan.name.lower() == "tempurejo"


def test_the_journal_page_filters_by_day_and_appends(
    kabagops: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    day = timezone.localdate() - dt.timedelta(days=2)
    ten = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())
    for i in range(12):
        services.write_journal_entry(
            actor=kabagops, text=f"Catatan {i}", occurred_at=ten + dt.timedelta(minutes=i)
        )
    services.write_journal_entry(
        actor=kabagops, text="Catatan kemarin", occurred_at=ten - dt.timedelta(days=1)
    )
    client = client_for(kabagops)
    with django_assert_max_num_queries(14):
        page = client.get(f"/posko/jurnal/?hari={day.isoformat()}").content.decode()
    assert "Catatan 11" in page and "Catatan kemarin" not in page
    response = client.post(
        "/posko/jurnal/",
        {"kind": "radio", "radio_from": "Patroli-2", "radio_to": "Posko", "text": "Tiba di titik 4"},
    )
    assert response.status_code == 302
    assert JournalEntry.objects.filter(
        text="Tiba di titik 4", author=kabagops, radio_from="Patroli-2"
    ).exists()
    bad = client.post("/posko/jurnal/", {"kind": "radio", "text": "tanpa panggilan"})
    assert bad.status_code == 200 and "panggilan" in bad.content.decode()


def test_visitors_come_and_go_once(kabagops: Any, field_officer: Any, client_for: Any) -> None:
    kpu = VitalObject.objects.get(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember")
    post = Post.objects.create(vital_object=kpu, code="v-pos", name="Pos gerbang KPU", required=1)
    response = client_for(kabagops).post(
        "/posko/tamu/",
        {"post": post.pk, "name": "Andi", "institution": "Bawaslu", "purpose": "Pengawasan gudang"},
    )
    assert response.status_code == 302
    visitor = Visitor.objects.get(name="Andi")
    assert visitor.recorded_by == kabagops and visitor.left_at is None
    services.record_visitor_out(actor=kabagops, visitor=visitor)
    with pytest.raises(Conflict):
        services.record_visitor_out(actor=kabagops, visitor=visitor)
    page = client_for(kabagops).get("/posko/tamu/").content.decode()
    assert "Andi" in page and "Pengawasan gudang" in page
    # A field officer at a post whose area is not theirs (KPU Jember is not in Tempurejo) cannot pick that post.
    refused = client_for(field_officer).post("/posko/tamu/", {"post": post.pk, "name": "B", "purpose": "x"})
    assert refused.status_code == 200 and not Visitor.objects.filter(name="B").exists()
