"""Domain errors. Pages show them as form errors; the API maps them to {"message", "code", "fields"}.

Messages are translated when raised (an Indonesian msgid, in the active language: the request's, or the language of
whoever started a background job); `code` is stable and machine-readable.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule of the domain refused an action; the message says why in the user's language."""

    code = "domain_error"
    status = 400

    def __init__(self, message: Any, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        self.fields = fields or {}

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "fields": self.fields}


class ValidationFailed(DomainError):
    """Input did not pass validation; `fields` names the offending fields."""

    code = "validation_failed"
    status = 422


class NotFound(DomainError):
    """The object does not exist or lies outside the caller's jurisdiction (indistinguishable on purpose)."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    """The caller's role may not perform this action."""

    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    """The action lost a race or contradicts the current state (e.g. a unit already dispatched)."""

    code = "conflict"
    status = 409


class RowError(Exception):
    """One row of an import is bad; collected into an ImportRejected."""

    def __init__(self, row: int, message: str, *, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.message = message
        self.column = column

    def __str__(self) -> str:
        if self.column:
            where = _("baris %(row)d, kolom %(column)s") % {"row": self.row, "column": self.column}
        else:
            where = _("baris %(row)d") % {"row": self.row}
        return f"{where}: {self.message}"


class ImportRejected(DomainError):
    """An import had bad rows; nothing was saved. `rows` lists every bad row."""

    code = "import_rejected"
    status = 422

    # Only the first rows' errors are kept (in the job row, the API answer, the page): a 50 MB file of bad rows
    # once stored 184 MB of error text in one job. The count says how many there were in all.
    MAX_REPORTED = 200

    def __init__(self, message: Any, rows: list[RowError]):
        shown = [str(r) for r in rows[: self.MAX_REPORTED]]
        fields = {"rows": shown}
        if len(rows) > len(shown):
            fields["rows_total"] = [str(len(rows))]
            message = "%s %s" % (  # noqa: UP031 - a lazy translation is formatted once here
                message,
                _("(%(total)d baris bermasalah, %(shown)d pertama ditampilkan)")
                % {"total": len(rows), "shown": len(shown)},
            )
        super().__init__(message, fields=fields)
        self.rows = rows[: self.MAX_REPORTED]
        self.total = len(rows)
