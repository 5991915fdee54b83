"""Saving a guard post from its page in Indonesian keeps its dates and leaves an audit record (issue 14
items 1 and 5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from siaga.core.models import AuditEvent
from siaga.core.tests.formdata import form_data, form_index
from siaga.guard import services
from siaga.guard.models import Post


def test_saving_the_post_page_in_indonesian_keeps_dijaga_mulai_and_is_audited(
    client_for: Callable[..., Client], kabagops: Any, kpu_post: Post
) -> None:
    services.update_post(
        actor=None,
        post=kpu_post,
        data={"active_from": dt.date(2026, 11, 20), "active_until": dt.date(2026, 12, 10)},
    )
    client = client_for(kabagops)
    url = reverse("guard:post_edit", args=[kpu_post.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    data = form_data(page, form_index(page, 'name="active_from"'))
    assert data["active_from"] == ["2026-11-20"]
    data["name"] = ["Pos KPU Gerbang"]
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 302
    kpu_post.refresh_from_db()
    assert (kpu_post.name, kpu_post.active_from, kpu_post.active_until) == (
        "Pos KPU Gerbang",
        dt.date(2026, 11, 20),
        dt.date(2026, 12, 10),
    )
    event = AuditEvent.objects.filter(
        object_type="guard.post", object_id=str(kpu_post.pk), action=AuditEvent.Action.UPDATE, actor=kabagops
    ).get()
    assert event.before == {"name": "Pos KPU"} and event.after == {"name": "Pos KPU Gerbang"}
