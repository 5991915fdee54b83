"""Stage and H-day for every day of the Pemilu 2024 and Pilkada 2024 calendars, against hand-written tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template

from siaga.operations import calendar, selectors
from siaga.operations.models import ElectionStage

D = dt.date

# The expected stage per day, written independently of reference.py: (first day, last day, stage code).
PEMILU_EXPECTED = [
    (D(2023, 10, 19), D(2023, 11, 25), "pencalonan-presiden"),
    (D(2023, 11, 26), D(2023, 11, 27), None),
    (D(2023, 11, 28), D(2024, 2, 10), "kampanye"),
    (D(2024, 2, 11), D(2024, 2, 13), "masa-tenang"),
    (D(2024, 2, 14), D(2024, 2, 14), "pemungutan-suara"),
    (D(2024, 2, 15), D(2024, 2, 15), "penghitungan"),
    (D(2024, 2, 16), D(2024, 3, 20), "rekapitulasi"),
    (D(2024, 3, 21), D(2024, 6, 30), None),
]
PILKADA_EXPECTED = [
    (D(2024, 8, 24), D(2024, 8, 26), "pengumuman-pendaftaran"),
    (D(2024, 8, 27), D(2024, 8, 29), "pendaftaran"),
    (D(2024, 8, 30), D(2024, 9, 21), "penelitian-syarat"),
    (D(2024, 9, 22), D(2024, 9, 22), "penetapan-calon"),
    (D(2024, 9, 23), D(2024, 9, 23), "pengundian-nomor"),
    # Between the draw and the campaign only the long background stages run; the shortest of them shows.
    (D(2024, 9, 24), D(2024, 9, 24), "pembentukan-badan-adhoc"),
    (D(2024, 9, 25), D(2024, 11, 23), "kampanye"),
    (D(2024, 11, 24), D(2024, 11, 26), "masa-tenang"),
    (D(2024, 11, 27), D(2024, 11, 27), "pemungutan-suara"),
    (D(2024, 11, 28), D(2024, 12, 16), "rekapitulasi"),
    (D(2024, 12, 17), D(2025, 1, 31), None),
]


def days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(n) for n in range((b - a).days + 1)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "table", "voting"),
    [
        ("pemilu-2024", PEMILU_EXPECTED, D(2024, 2, 14)),
        ("pilkada-2024", PILKADA_EXPECTED, D(2024, 11, 27)),
    ],
)
def test_stage_and_h_day_for_every_day_of_the_calendar(
    ops_demo: None, admin_user: Any, slug: str, table: Any, voting: dt.date
) -> None:
    from siaga.operations.models import Election

    election = Election.objects.get(slug=slug)
    stages = list(ElectionStage.objects.filter(election=election))
    checked = 0
    for first, last, code in table:
        for day in days(first, last):
            stage = calendar.current_stage(stages, day)
            assert (stage.code if stage else None) == code, day
            n = (day - voting).days
            expected = "H" if n == 0 else (f"H-{-n}" if n < 0 else f"H+{n}")
            assert calendar.h_label_for(day, election.voting_on) == expected
            checked += 1
    assert checked > 100
    # The status used by the map header agrees.
    status = selectors.today_status(admin_user, election, voting - dt.timedelta(7))
    assert status.h_label == "H-7"
    assert status.stage is not None and status.stage.code == "kampanye"


def test_h_labels_around_voting_day() -> None:
    voting = D(2024, 2, 14)
    assert [calendar.h_label_for(voting + dt.timedelta(n), voting) for n in (-7, -5, -1, 0, 1)] == [
        "H-7",
        "H-5",
        "H-1",
        "H",
        "H+1",
    ]
    assert calendar.h_label_for(D(2023, 11, 28), voting) == "H-78"


def test_hday_template_filter() -> None:
    class E:
        voting_on = D(2024, 11, 27)

    out = Template("{% load operations_tags %}{{ d|hday:e }}|{{ v|hday:e }}").render(
        Context({"d": D(2024, 11, 20), "v": D(2024, 11, 28), "e": E()})
    )
    assert out == "H-7|H+1"


@pytest.mark.django_db
def test_moving_a_stage_moves_the_stage_of_the_day(ops_demo: None, pemilu: Any, kabagops: Any) -> None:
    from siaga.core.models import AuditEvent
    from siaga.operations import services

    stage = ElectionStage.objects.get(election=pemilu, code="rekapitulasi")
    services.update_stage(actor=kabagops, stage=stage, data={"ends_on": D(2024, 3, 25)})
    stages = list(ElectionStage.objects.filter(election=pemilu))
    assert calendar.current_stage(stages, D(2024, 3, 24)).code == "rekapitulasi"
    event = AuditEvent.objects.get(object_type="operations.electionstage", object_id=str(stage.pk))
    assert event.before == {"ends_on": "2024-03-20"}
