"""Writes for operations: stages, siaga level, satgas, patterns, assessments and TPS category decisions.

Every function here runs in one transaction, validates with full_clean() and writes its audit record, so a
change and its audit trail commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.core.audit import record_change, record_update, snapshot
from siaga.core.errors import ImportRejected, NotFound, RowError, ValidationFailed
from siaga.core.jobs import Progress, no_progress
from siaga.core.models import AuditEvent
from siaga.core.tabular import read_table, require_columns
from siaga.operations import reference
from siaga.operations.models import (
    Election,
    ElectionStage,
    Indicator,
    IndicatorSet,
    Operation,
    Satgas,
    SecurityPattern,
    SiagaLevel,
    SiagaLevelChange,
    TpsAssessment,
    TpsCategory,
    TpsCategoryChange,
    VulnerabilityCategory,
)
from siaga.operations.models.operation import default_fraction
from siaga.sites.models import Tps
from siaga.territory.models import PoliceUnit


def _label(actor: Any) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else "sistem"


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _validated(obj: Any, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(
            " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs),
            fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        ) from exc


def _create(actor: Any, obj: Any, *, message: str = "") -> None:
    _validated(obj)
    obj.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, after=snapshot(obj), message=message)


def _update(actor: Any, obj: Any, data: dict[str, Any], *, message: str = "") -> None:
    before = snapshot(obj)
    for key, value in data.items():
        setattr(obj, key, value)
    _validated(obj)
    obj.save()
    record_update(actor=actor, obj=obj, before=before, message=message)


# --- reference data ----------------------------------------------------------------------------------------


@transaction.atomic
def ensure_reference_data() -> None:
    """Load categories and indicator sets if missing (the data migration does this on `migrate`; a test
    database flush removes them). Never overwrites local edits (labels, colours)."""
    reference.seed(VulnerabilityCategory, IndicatorSet, Indicator)


def load_stages(
    *, election: Election, stages: Iterable[tuple[str, str, dt.date, dt.date, bool]], source: str
) -> int:
    """Preload an election's stage calendar; existing stages (possibly edited) are left alone."""
    created = 0
    for code, name, starts_on, ends_on, is_key in stages:
        _obj, was_created = ElectionStage.objects.get_or_create(
            election=election,
            code=code,
            defaults={
                "name": name,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "is_key": is_key,
                "source": source,
            },
        )
        created += was_created
    return created


# --- calendar and operation ------------------------------------------------------------------------------


@transaction.atomic
def update_stage(*, actor: Any, stage: ElectionStage, data: dict[str, Any]) -> ElectionStage:
    """Edit a stage's name or dates (plenos slip); the audit record keeps the old dates."""
    allowed = {"name", "starts_on", "ends_on", "is_key", "notes", "source"}
    _update(actor, stage, {k: v for k, v in data.items() if k in allowed})
    return stage


@transaction.atomic
def set_siaga_level(
    *,
    actor: Any,
    operation: Operation,
    level: str,
    reason: str,
    effective_at: dt.datetime | None = None,
    reference_text: str = "",
    fraction: Fraction | None = None,
) -> SiagaLevelChange:
    """Record a siaga level change (who, when, why) with the strength share it demands (default: configured)."""
    if level not in SiagaLevel.values:
        raise ValidationFailed(_("Status siaga tidak dikenal"), fields={"level": [level]})
    share = fraction if fraction is not None else default_fraction(level)
    change = SiagaLevelChange(
        operation=operation,
        level=level,
        effective_at=effective_at or timezone.now(),
        strength_numerator=share.numerator,
        strength_denominator=share.denominator,
        reason=reason.strip(),
        reference=reference_text.strip(),
        decided_by=_user(actor),
        decided_by_label=_label(actor),
    )
    _create(actor, change, message=_("status siaga: %(l)s") % {"l": change.get_level_display()})
    return change


@transaction.atomic
def save_satgas(
    *, actor: Any, operation: Operation, data: dict[str, Any], satgas: Satgas | None = None
) -> Satgas:
    allowed = {
        "kind",
        "name",
        "parent",
        "commander_name",
        "commander_rank",
        "planned_strength",
        "tasks",
        "order",
    }
    fields = {k: v for k, v in data.items() if k in allowed}
    if satgas is None:
        satgas = Satgas(operation=operation, **fields)
        _create(actor, satgas)
    else:
        _update(actor, satgas, fields)
    return satgas


@transaction.atomic
def update_operation(*, actor: Any, operation: Operation, data: dict[str, Any]) -> Operation:
    allowed = {"name", "starts_on", "ends_on", "total_strength", "police_available", "notes", "source"}
    _update(actor, operation, {k: v for k, v in data.items() if k in allowed})
    return operation


# --- security patterns -------------------------------------------------------------------------------------


@transaction.atomic
def save_pattern(
    *,
    actor: Any,
    polres: PoliceUnit,
    election: Election,
    data: dict[str, Any],
    pattern: SecurityPattern | None = None,
) -> SecurityPattern:
    """Create or edit a (sub-)pattern. Fewer than 2 police per group is refused unless an override reason is
    given (body system). Making a sub-pattern the default un-defaults the category's previous default."""
    allowed = {
        "category",
        "name",
        "police",
        "tps",
        "linmas",
        "tni",
        "is_default",
        "body_system_override_reason",
        "source",
        "notes",
    }
    fields = {k: v for k, v in data.items() if k in allowed}
    if "body_system_override_reason" in fields:
        fields["body_system_override_reason"] = (fields["body_system_override_reason"] or "").strip()
    category = fields.get("category") or (pattern.category if pattern else None)
    if fields.get("is_default") and category is not None:
        others = SecurityPattern.objects.filter(
            polres=polres, election=election, category=category, is_default=True
        )
        if pattern is not None:
            others = others.exclude(pk=pattern.pk)
        for other in others:
            _update(actor, other, {"is_default": False})
    try:
        with transaction.atomic():
            if pattern is None:
                pattern = SecurityPattern(polres=polres, election=election, **fields)
                _create(actor, pattern)
            else:
                _update(actor, pattern, fields)
    except IntegrityError as exc:
        raise ValidationFailed(
            _("Sub-pola dengan nama itu sudah ada untuk kategori ini"),
            fields={"name": [_("sudah ada")]},
        ) from exc
    return pattern


@transaction.atomic
def delete_pattern(*, actor: Any, pattern: SecurityPattern) -> None:
    record_change(actor=actor, action=AuditEvent.Action.DELETE, obj=pattern, before=snapshot(pattern))
    pattern.delete()


@transaction.atomic
def copy_pattern_template(
    *, actor: Any, key: str, polres: PoliceUnit, election: Election
) -> list[SecurityPattern]:
    """Copy a published pattern (domain.md 1.4) into this Polres and election; the first sub-pattern of each
    category becomes its default. Existing sub-patterns of the same name are updated."""
    template = reference.pattern_template(key)
    if template is None:
        raise NotFound(_("Templat pola tidak ada"))
    categories = {c.code: c for c in VulnerabilityCategory.objects.all()}
    missing = sorted({line.category for line in template.lines} - set(categories))
    if missing:
        # The categories come with `migrate` (operations 0003); an administrator may have removed one since.
        raise ValidationFailed(
            _("Kategori kerawanan belum ada: %(c)s") % {"c": ", ".join(missing)},
            fields={"template": missing},
        )
    seen: set[str] = set()
    saved = []
    for line in template.lines:
        category = categories[line.category]
        existing = SecurityPattern.objects.filter(
            polres=polres, election=election, category=category, name=line.name
        ).first()
        data = {
            "category": category,
            "name": line.name,
            "police": line.police,
            "tps": line.tps,
            "linmas": line.linmas,
            "tni": line.tni,
            "is_default": line.category not in seen,
            "body_system_override_reason": line.override_reason,
            "source": f"{template.title}: {template.source}"[:300],
        }
        seen.add(line.category)
        saved.append(save_pattern(actor=actor, polres=polres, election=election, data=data, pattern=existing))
    return saved


# --- assessments and category decisions --------------------------------------------------------------------


def propose_category(
    indicator_set: IndicatorSet, values: dict[str, int], *, indicators: list[Indicator] | None = None
) -> tuple[VulnerabilityCategory, int, str]:
    """The category an assessment proposes, its weighted score and a plain explanation.

    The most severe category suggested by any present indicator wins; otherwise the set's score thresholds
    (a local rule) may propose rawan or sangat rawan; otherwise kurang rawan."""
    indicators = (
        indicators if indicators is not None else list(indicator_set.indicators.select_related("suggests"))
    )
    categories = {c.code: c for c in VulnerabilityCategory.objects.all()}
    present = [i for i in indicators if int(values.get(i.code, 0) or 0) > 0]
    score = sum(i.weight for i in present)
    candidates: list[tuple[VulnerabilityCategory, str]] = [
        (i.suggests, _("indikator %(c)s (%(t)s)") % {"c": i.code, "t": i.text})
        for i in present
        if i.suggests is not None
    ]
    if (
        indicator_set.sangat_rawan_score
        and score >= indicator_set.sangat_rawan_score
        and "sangat_rawan" in categories
    ):
        candidates.append(
            (
                categories["sangat_rawan"],
                _("skor %(s)s >= %(t)s") % {"s": score, "t": indicator_set.sangat_rawan_score},
            )
        )
    elif indicator_set.rawan_score and score >= indicator_set.rawan_score and "rawan" in categories:
        candidates.append(
            (categories["rawan"], _("skor %(s)s >= %(t)s") % {"s": score, "t": indicator_set.rawan_score})
        )
    if not candidates:
        base = categories["kurang_rawan"]
        return (
            base,
            score,
            _("Tidak ada indikator yang mengusulkan kategori lebih tinggi (skor %(s)s).") % {"s": score},
        )
    top = max(c.severity for c, _reason in candidates)
    chosen = next(c for c, _reason in candidates if c.severity == top)
    reasons = [r for c, r in candidates if c.pk == chosen.pk]
    return chosen, score, _("Diusulkan %(c)s karena: %(r)s.") % {"c": chosen.label, "r": "; ".join(reasons)}


@transaction.atomic
def record_assessment(
    *,
    actor: Any,
    tps: Tps,
    indicator_set: IndicatorSet,
    values: dict[str, int],
    assessed_on: dt.date,
    evidence: str = "",
    assessor_name: str = "",
) -> TpsAssessment:
    """Record an assessment of a TPS; it proposes a category but does not decide it."""
    indicators = list(indicator_set.indicators.select_related("suggests"))
    known = {i.code for i in indicators}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValidationFailed(_("Indikator tidak dikenal: %(c)s") % {"c": ", ".join(unknown)})
    clean_values = {code: int(values.get(code, 0) or 0) for code in sorted(known)}
    category, score, explanation = propose_category(indicator_set, clean_values, indicators=indicators)
    assessment = TpsAssessment.objects.filter(
        tps=tps, indicator_set=indicator_set, assessed_on=assessed_on
    ).first()
    data = {
        "values": clean_values,
        "evidence": evidence,
        "assessor_name": assessor_name or _label(actor),
        "score": score,
        "proposed_category": category,
        "explanation": explanation,
    }
    if assessment is None:
        assessment = TpsAssessment(
            tps=tps, indicator_set=indicator_set, assessed_on=assessed_on, assessor=_user(actor), **data
        )
        _create(actor, assessment)
    else:
        _update(actor, assessment, data)
    return assessment


def _decide(
    *,
    actor: Any,
    tps: Tps,
    current: TpsCategory | None,
    category: VulnerabilityCategory,
    justification: str,
    source: str,
    assessment: TpsAssessment | None = None,
    pattern: SecurityPattern | None = None,
    now: dt.datetime,
) -> TpsCategoryChange | None:
    """One decision: update the current row, append to the history, write the audit. None if nothing changed."""
    justification = (justification or "").strip()
    if not justification:
        raise ValidationFailed(
            _("Dasar penetapan wajib diisi"),
            fields={"justification": [_("wajib")]},
        )
    if pattern is not None and pattern.category_id != category.pk:
        raise ValidationFailed(
            _("Sub-pola bukan untuk kategori ini"),
            fields={"pattern": [str(pattern)]},
        )
    if (
        current is not None
        and current.category_id == category.pk
        and current.pattern_id == (pattern.pk if pattern else None)
    ):
        return None
    before = snapshot(current) if current is not None else None
    from_category_id = current.category_id if current is not None else None
    row = current or TpsCategory(tps=tps, election_id=tps.election_id, kecamatan_id=tps.kecamatan_id)
    row.category = category
    row.pattern = pattern
    row.justification = justification
    row.assessment = assessment
    row.decided_by = _user(actor)
    row.decided_at = now
    row.save()
    change = TpsCategoryChange.objects.create(
        tps=tps,
        from_category_id=from_category_id,
        to_category=category,
        justification=justification,
        assessment=assessment,
        decided_by=_user(actor),
        decided_by_label=_label(actor),
        decided_at=now,
        source=source,
    )
    record_change(
        actor=actor,
        action=AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE,
        obj=row,
        object_repr=f"{tps.code} {category.code}",
        before=before,
        after=snapshot(row),
        message=_("kategori TPS: %(j)s") % {"j": justification[:200]},
    )
    return change


@transaction.atomic
def decide_category(
    *,
    actor: Any,
    tps: Tps,
    category: VulnerabilityCategory,
    justification: str,
    assessment: TpsAssessment | None = None,
    pattern: SecurityPattern | None = None,
    source: str = TpsCategoryChange.Source.FORM,
) -> TpsCategoryChange | None:
    """The Polres decides a TPS's category with a justification; the history keeps every decision."""
    current = TpsCategory.objects.select_for_update().filter(tps=tps).first()
    return _decide(
        actor=actor,
        tps=tps,
        current=current,
        category=category,
        justification=justification,
        source=source,
        assessment=assessment,
        pattern=pattern,
        now=timezone.now(),
    )


@transaction.atomic
def bulk_decide_categories(
    *,
    actor: Any,
    tps_list: Iterable[Tps],
    category: VulnerabilityCategory,
    justification: str,
    source: str = TpsCategoryChange.Source.BULK,
) -> int:
    """Set one category for many TPS (from the list or the map); returns how many changed."""
    tps_list = list(tps_list)
    current = {
        c.tps_id: c for c in TpsCategory.objects.select_for_update().filter(tps__in=[t.pk for t in tps_list])
    }
    now = timezone.now()
    changed = 0
    for tps in tps_list:
        if _decide(
            actor=actor,
            tps=tps,
            current=current.get(tps.pk),
            category=category,
            justification=justification,
            source=source,
            now=now,
        ):
            changed += 1
    return changed


# --- assessment import -------------------------------------------------------------------------------------

ASSESSMENT_COLUMNS_HELP = (
    "kode_tps, tanggal (YYYY-MM-DD), [set_indikator, penilai, bukti, kategori_final, dasar_penetapan], "
    "lalu satu kolom per kode indikator (0/1 atau jumlah)"
)


def _parse_date(raw: str) -> dt.date | None:
    raw = raw.strip()[:10]
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def import_assessments(
    *,
    election: Election,
    source: str | IO[bytes],
    filename: str | None = None,
    actor: Any = None,
    default_set: IndicatorSet | None = None,
    report: Progress = no_progress,
) -> dict[str, Any]:
    """Import TPS assessments (CSV/XLSX). Every row is checked first; any bad row rejects the whole file and
    nothing changes. Re-importing the same file changes nothing."""
    report(2, _("Membaca berkas"))
    header, rows = read_table(source, filename=filename)
    missing = require_columns(header, ["kode_tps", "tanggal"])
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada: %(c)s. Kolom: %(h)s")
            % {"c": ", ".join(missing), "h": ASSESSMENT_COLUMNS_HELP},
            [RowError(1, _("kolom tidak ada"), column=c) for c in missing],
        )
    sets = {s.slug: s for s in IndicatorSet.objects.order_by("slug", "version")}  # last version wins per slug
    indicators_by_set = {s.pk: list(s.indicators.select_related("suggests")) for s in sets.values()}
    tps_by_code = {t.code: t for t in Tps.objects.filter(election=election).select_related("desa")}
    categories = {c.code: c for c in VulnerabilityCategory.objects.all()}
    categories.update({c.label.lower(): c for c in categories.values()})
    categories.update({c.name.lower(): c for c in list(categories.values())})
    errors: list[RowError] = []
    parsed: list[dict[str, Any]] = []
    seen: set[tuple[str, str, dt.date]] = set()
    for row in rows:
        code = row.get("kode_tps")
        tps = tps_by_code.get(code)
        if tps is None:
            errors.append(
                RowError(
                    row.number,
                    _("TPS tidak dikenal pada pemilihan ini: %(c)s") % {"c": code},
                    column="kode_tps",
                )
            )
            continue
        assessed_on = _parse_date(row.get("tanggal"))
        if assessed_on is None:
            errors.append(
                RowError(
                    row.number,
                    _("tanggal tidak sah: %(d)s") % {"d": row.get("tanggal")},
                    column="tanggal",
                )
            )
            continue
        set_slug = row.get("set_indikator") or (default_set.slug if default_set else "")
        ind_set = sets.get(set_slug)
        if ind_set is None:
            errors.append(
                RowError(
                    row.number,
                    _("set indikator tidak dikenal: %(s)s") % {"s": set_slug},
                    column="set_indikator",
                )
            )
            continue
        values: dict[str, int] = {}
        bad = False
        for indicator in indicators_by_set[ind_set.pk]:
            raw = (
                row.get(indicator.code.lower()).strip()
                or row.get(indicator.code.lower().replace("-", "_")).strip()
            )
            if raw == "":
                values[indicator.code] = 0
                continue
            try:
                value = int(float(raw.replace(",", ".")))
                if value < 0:
                    raise ValueError
            except ValueError:
                errors.append(
                    RowError(
                        row.number,
                        _("nilai indikator harus angka >= 0: %(v)s") % {"v": raw},
                        column=indicator.code,
                    )
                )
                bad = True
                break
            values[indicator.code] = value
        if bad:
            continue
        final_raw = row.get("kategori_final").strip().lower()
        final = None
        if final_raw:
            final = categories.get(final_raw) or categories.get(final_raw.replace(" ", "_"))
            if final is None:
                errors.append(
                    RowError(
                        row.number,
                        _("kategori tidak dikenal: %(c)s") % {"c": final_raw},
                        column="kategori_final",
                    )
                )
                continue
            if not row.get("dasar_penetapan").strip():
                errors.append(
                    RowError(
                        row.number,
                        _("kategori final perlu dasar penetapan"),
                        column="dasar_penetapan",
                    )
                )
                continue
        key = (code, ind_set.slug, assessed_on)
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    _("baris ganda: %(c)s %(d)s") % {"c": code, "d": assessed_on},
                    column="kode_tps",
                )
            )
            continue
        seen.add(key)
        parsed.append(
            {
                "tps": tps,
                "indicator_set": ind_set,
                "values": values,
                "assessed_on": assessed_on,
                "evidence": row.get("bukti")[:2000],
                "assessor_name": row.get("penilai")[:150],
                "final": final,
                "justification": row.get("dasar_penetapan").strip(),
            }
        )
    if errors:
        raise ImportRejected(
            _("Berkas penilaian berisi baris yang salah; tidak ada yang disimpan."),
            errors,
        )
    report(30, _("Menyimpan penilaian"))
    return _save_assessments(parsed=parsed, actor=actor, report=report)


@transaction.atomic
def _save_assessments(*, parsed: list[dict[str, Any]], actor: Any, report: Progress) -> dict[str, Any]:
    created = updated = unchanged = decided = 0
    for i, p in enumerate(parsed):
        existing = TpsAssessment.objects.filter(
            tps=p["tps"], indicator_set=p["indicator_set"], assessed_on=p["assessed_on"]
        ).first()
        if (
            existing is not None
            and existing.values == {k: p["values"].get(k, 0) for k in existing.values}
            and existing.evidence == p["evidence"]
        ):
            assessment = existing
            unchanged += 1
        else:
            assessment = record_assessment(
                actor=actor,
                tps=p["tps"],
                indicator_set=p["indicator_set"],
                values=p["values"],
                assessed_on=p["assessed_on"],
                evidence=p["evidence"],
                assessor_name=p["assessor_name"],
            )
            if existing is None:
                created += 1
            else:
                updated += 1
        if p["final"] is not None:
            current = TpsCategory.objects.filter(tps=p["tps"]).first()
            if _decide(
                actor=actor,
                tps=p["tps"],
                current=current,
                category=p["final"],
                justification=p["justification"],
                source=TpsCategoryChange.Source.IMPORT,
                assessment=assessment,
                pattern=current.pattern if current and current.category_id == p["final"].pk else None,
                now=timezone.now(),
            ):
                decided += 1
        if i % 200 == 0:
            report(30 + 65 * i / max(1, len(parsed)), _("Menyimpan penilaian"))
    summary = _("Penilaian: %(c)s baru, %(u)s diubah, %(n)s tetap; %(d)s kategori ditetapkan") % {
        "c": created,
        "u": updated,
        "n": unchanged,
        "d": decided,
    }
    report(100, summary)
    return {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "decided": decided,
        "summary": summary,
    }


def start_assessment_import(*, actor: Any, election: Election, path: str) -> Any:
    """Queue an assessment import as a background job with progress; the file is already stored at `path`."""
    from siaga.core.jobs import start_job
    from siaga.operations.tasks import import_assessments_task

    return start_job(
        kind="import_assessments",
        title=_("Impor penilaian kerawanan TPS %(e)s") % {"e": election.name},
        task=import_assessments_task,
        actor=actor,
        params={"election": election.slug, "path": path},
    )


def get_election(slug: str) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise NotFound(_("Pemilihan '%(s)s' tidak ada") % {"s": slug})
    return election
