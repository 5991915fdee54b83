"""Writes for setting up a Polres: an election from a PKPU calendar template, an operation with its window and
satgas structure, and published patterns as templates. Services like `services.py` (kept apart because that
module is past its size): keyword-only, atomic, validated, audited; the caller checks jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from siaga.operations import reference
from siaga.operations.models import Election, ElectionStage, Operation, OperationPhase, Satgas
from siaga.operations.services import _create
from siaga.territory.models import PoliceUnit

# PKPU 7/2022 (Pemilu): at most 300 voters per TPS; Pilkada 2024 (PKPU 7/2024) merged TPS up to 600.
MAX_VOTERS: dict[str, int] = {Election.Kind.PEMILU: 300, Election.Kind.PILKADA: 600}
OPERATION_KIND: dict[str, str] = {
    Election.Kind.PEMILU: Operation.Kind.CENTRAL,
    Election.Kind.PILKADA: Operation.Kind.REGIONAL,
}

# Years an election may fall in: its PKPU stage calendar starts up to two years before voting day.
VOTING_YEARS = (2000, 2100)


def _require(actor: Any, capability: str) -> None:
    # Commands run without a user (actor None): the operator of the machine may do everything.
    if actor is not None and not can(actor, capability):
        raise PermissionDenied(_("Peran Anda tidak boleh melakukan ini"))


def _calendar(kind: str, key: str | None) -> reference.CalendarTemplate | None:
    if key is None:
        return reference.default_calendar_for(kind)
    if key == "":
        return None
    template = reference.calendar_template(key)
    if template is None:
        raise ValidationFailed(
            _("Templat tahapan tidak dikenal: %(k)s. Pilihan: %(c)s")
            % {"k": key, "c": ", ".join(t.key for t in reference.CALENDAR_TEMPLATES)},
            fields={"calendar": [key]},
        )
    if template.kind != kind:
        raise ValidationFailed(
            _("Templat %(k)s untuk %(t)s, bukan %(e)s") % {"k": key, "t": template.kind, "e": kind},
            fields={"calendar": [key]},
        )
    return template


@transaction.atomic
def create_election(
    *,
    actor: Any,
    slug: str,
    name: str,
    kind: str,
    voting_on: dt.date,
    calendar: str | None = None,
    max_voters_per_tps: int | None = None,
    polres: PoliceUnit | None = None,
) -> Election:
    """Create an election with its stage calendar copied from a PKPU template (default: the template of its
    kind; "" for none), every stage shifted so the template's voting day falls on `voting_on`.

    Elections are shared by every Polres of the installation (a Pemilu is national); `polres` only names, in
    the audit trail, the Polres that created it."""
    _require(actor, "manage_operations")
    if kind not in Election.Kind.values:
        raise ValidationFailed(
            _("Jenis pemilihan harus pemilu atau pilkada"),
            fields={"kind": [kind]},
        )
    if not VOTING_YEARS[0] <= voting_on.year <= VOTING_YEARS[1]:
        # A stage calendar shifted to year 2 or 9999 falls off the calendar (found by Schemathesis at 100
        # examples per operation: an OverflowError, HTTP 500).
        raise ValidationFailed(
            _("Hari pemungutan suara harus antara tahun %(a)s dan %(b)s")
            % {"a": VOTING_YEARS[0], "b": VOTING_YEARS[1]},
            fields={"voting_on": [voting_on.isoformat()]},
        )
    template = _calendar(kind, calendar)
    if Election.objects.filter(slug=slug).exists():
        raise Conflict(
            _("Pemilihan dengan kode %(s)s sudah ada") % {"s": slug},
            code="exists",
        )
    election = Election(
        slug=slug,
        name=name.strip(),
        kind=kind,
        voting_on=voting_on,
        max_voters_per_tps=max_voters_per_tps or MAX_VOTERS[kind],
    )
    note = _("dibuat untuk %(p)s") % {"p": polres.name} if polres is not None else ""
    _create(actor, election, message=note)
    if template is not None:
        shift = voting_on - template.voting_on
        for code, stage_name, starts_on, ends_on, is_key in template.stages:
            stage = ElectionStage(
                election=election,
                code=code,
                name=stage_name,
                starts_on=starts_on + shift,
                ends_on=ends_on + shift,
                is_key=is_key,
                source=template.regulation
                if not shift
                else f"{template.regulation} (digeser {shift.days} hari)",
            )
            _create(actor, stage, message=_("dari templat %(t)s") % {"t": template.title})
    return election


@transaction.atomic
def create_operation(
    *,
    actor: Any,
    slug: str,
    name: str,
    election: Election,
    polres: PoliceUnit,
    starts_on: dt.date,
    ends_on: dt.date,
    kind: str | None = None,
    police_available: int | None = None,
    with_satgas: bool = True,
) -> Operation:
    """Create the Polres's operation for an election: its window (the "operasi" phase) and, by default, the
    usual satgas structure (reference.SATGAS_TEMPLATE), to be completed with commanders' names."""
    _require(actor, "manage_operations")
    if polres.level != PoliceUnit.Level.POLRES:
        raise ValidationFailed(
            _("Operasi dipegang oleh Polres"),
            fields={"polres": [polres.code]},
        )
    if Operation.objects.filter(slug=slug).exists():
        raise Conflict(
            _("Operasi dengan kode %(s)s sudah ada") % {"s": slug},
            code="exists",
        )
    operation = Operation(
        slug=slug,
        name=name.strip(),
        kind=kind or OPERATION_KIND[election.kind],
        election=election,
        polres=polres,
        starts_on=starts_on,
        ends_on=ends_on,
        police_available=police_available,
    )
    if ends_on < election.voting_on or starts_on > election.voting_on:
        # Allowed (an operation may cover only the campaign), but the voting day is what the plans need.
        operation.notes = _("Hari pemungutan suara di luar masa operasi.")
    _create(actor, operation)
    _create(
        actor,
        OperationPhase(
            operation=operation, kind=OperationPhase.Kind.MAIN, starts_on=starts_on, ends_on=ends_on
        ),
    )
    if with_satgas:
        apply_satgas_template(actor=actor, operation=operation)
    return operation


@transaction.atomic
def apply_satgas_template(*, actor: Any, operation: Operation) -> list[Satgas]:
    """Add the usual satgas and sub-satgas to an operation; those already there (by name) are left alone."""
    _require(actor, "manage_operations")
    existing = {s.name: s for s in operation.satgas.all()}
    created = []
    for order, (kind, title, commander, tasks, subs) in enumerate(reference.SATGAS_TEMPLATE, start=1):
        parent = existing.get(title)
        if parent is None:
            parent = Satgas(
                operation=operation,
                kind=kind,
                name=title,
                commander_rank=commander,
                tasks=tasks,
                order=order * 10,
            )
            _create(actor, parent)
            created.append(parent)
        for j, (sub_name, sub_commander) in enumerate(subs, start=1):
            if sub_name in existing:
                continue
            sub = Satgas(
                operation=operation,
                parent=parent,
                kind=kind,
                name=sub_name,
                commander_rank=sub_commander,
                order=order * 10 + j,
            )
            _create(actor, sub)
            created.append(sub)
    return created


def pattern_templates() -> tuple[reference.PatternTemplate, ...]:
    return reference.PATTERN_TEMPLATES


def get_polres(code: str = "") -> PoliceUnit:
    """The Polres named by `code`, or the only one; for commands (the API and pages use the user's scope)."""
    qs = PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES)
    if code:
        polres = qs.filter(code=code).first()
        if polres is None:
            raise NotFound(_("Polres '%(c)s' tidak ada") % {"c": code})
        return polres
    units = list(qs[:2])
    if len(units) != 1:
        raise ValidationFailed(
            _("Sebutkan --polres KODE (Polres yang ada: %(c)s)")
            % {"c": ", ".join(qs.values_list("code", flat=True)[:20]) or "-"}
        )
    return units[0]
