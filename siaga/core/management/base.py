"""Shared pieces for Siaga's management commands: progress printing and friendly domain errors."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from siaga.core.errors import DomainError, ImportRejected


class SiagaCommand(BaseCommand):
    """A command whose domain errors print as a clear message with row details, never a traceback."""

    def execute(self, *args: Any, **options: Any) -> Any:
        self.verbosity = int(options.get("verbosity", 1))
        if options.get("json"):
            return self._execute_json(*args, **options)
        try:
            return super().execute(*args, **options)
        except ImportRejected as exc:
            lines = [exc.message, *[f"  - {r}" for r in exc.rows[:200]]]
            if len(exc.rows) > 200:
                lines.append(f"  ... (+{len(exc.rows) - 200})")
            raise CommandError("\n".join(lines)) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _execute_json(self, *args: Any, **options: Any) -> Any:
        """With --json a refusal is JSON on stdout too (`{"error": {"message", "code", "fields", "rows"}}`), so a
        script reads one format; the exit status is still non-zero."""
        try:
            return super().execute(*args, **options)
        except (DomainError, CommandError) as exc:
            if isinstance(exc, DomainError):
                error: dict[str, Any] = exc.as_dict()
            else:
                error = {"message": str(exc), "code": "command_error", "fields": {}}
            if isinstance(exc, ImportRejected):
                error["rows"] = [{"row": r.row, "column": r.column, "message": r.message} for r in exc.rows]
            self.stdout.write(json.dumps({"error": error}, ensure_ascii=False))
            raise CommandError(error["message"], returncode=1) from None

    def progress(self, percent: float, message: str = "") -> None:
        if getattr(self, "verbosity", 1) >= 1:
            self.stdout.write(f"[{int(percent):3d}%] {message}")
