"""The Ninja API under /api/v1/. Each domain app's `api.py` exposes a `router` that is mounted here.

Authentication: the browser session (with CSRF) or `Authorization: Bearer TOKEN` (`siaga token USERNAME`).
Errors have one shape everywhere: {"message", "code", "fields"}.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from siaga.accounts.services import user_for_token
from siaga.core import failures
from siaga.core.errors import DomainError, ValidationFailed


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser session; CSRF is checked on unsafe methods."""

    def __init__(self) -> None:
        from django.conf import settings

        # Production renames the cookie to __Host-sessionid; read whatever the settings say.
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class TextParser(Parser):
    """JSON bodies and query strings. A body that is not JSON is a bilingual 400; text with a NUL character is a
    422: PostgreSQL cannot store it, and a database error is no answer for a client (Django's forms refuse it the
    same way)."""

    def _refuse_nul(self, data: Any) -> Any:
        if _has_nul(data):
            raise ValidationFailed(
                _("Teks tidak boleh berisi karakter NUL / Text must not contain a NUL character")
            )
        return data

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = super().parse_body(request)
        except ValueError as exc:  # not JSON, or not UTF-8
            raise DomainError(
                _("Isi permintaan bukan JSON yang sah / The request body is not valid JSON"), code="bad_json"
            ) from exc
        return self._refuse_nul(data)

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> Any:
        return self._refuse_nul(super().parse_querydict(data, list_fields, request))


# Every operation may answer these, always in the one error shape; the schema says so, so that a client (and
# Schemathesis) knows every status it can get.
ERROR_RESPONSES = {
    400: "Permintaan tidak sah / Bad request",
    401: "Perlu masuk / Authentication required",
    403: "Tidak diizinkan / Forbidden",
    404: "Tidak ditemukan / Not found",
    409: "Konflik / Conflict",
    413: "Terlalu besar / Payload too large",
    422: "Data tidak valid / Invalid data",
    429: "Terlalu banyak permintaan / Too many requests",
    503: "Layanan sementara tidak tersedia / Service temporarily unavailable",
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["message", "code", "fields"],
}


# Writes whose Idempotency-Key must be a UUID (it is stored in a UUID column).
UUID_KEYED = ("/patrols/checkins",)


class SiagaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                for param in operation.get("parameters", []):
                    if param["name"] == "Idempotency-Key":
                        # Optional in the signature so that the operation answers its own clear error when it is
                        # missing (check_key), but every write that declares it refuses to run without it.
                        param["required"] = True
                        if path.endswith(UUID_KEYED):
                            param["schema"]["format"] = "uuid"
                for status, text in ERROR_RESPONSES.items():
                    operation["responses"].setdefault(status, {"description": text, **ref})
        return schema


def public_part(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of the operations that need no login, for anonymous callers: the rest of the API is not their
    business (ASVS 13.4.5)."""
    paths = {}
    for path, operations in schema["paths"].items():
        kept = {method: op for method, op in operations.items() if not op.get("security")}
        if kept:
            paths[path] = kept
    return {**schema, "paths": paths}


def _caller(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return user_for_token(token) if scheme.lower() == "bearer" and token else None


def docs_for_caller(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI schema and docs page: anonymous callers get the public endpoints' part only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if _caller(request) is None and response.get("Content-Type", "").startswith("application/json"):
            return JsonResponse(public_part(json.loads(response.content)))
        return response

    return wrapped


api = SiagaAPI(
    title="Siaga API",
    version="1",
    description="Siaga: operasi pengamanan pemilu tingkat Polres / election-security operations at Polres level",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    parser=TextParser(),
    docs_decorator=docs_for_caller,
)


def _error(
    request: HttpRequest, message: str, code: str, status: int, fields: dict[str, Any] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"message": message, "code": code, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.message, exc.code, exc.status, exc.fields)


# Indonesian for pydantic's error types (the English half is pydantic's own message); `{name}` takes the
# error's context (the limit that was broken). Types not listed get the generic "Nilai tidak valid".
PYDANTIC_MESSAGES_ID = {
    "missing": "Wajib diisi",
    "string_too_short": "Terlalu pendek (paling sedikit {min_length} karakter)",
    "string_too_long": "Terlalu panjang (paling banyak {max_length} karakter)",
    "string_pattern_mismatch": "Bentuknya tidak sesuai",
    "string_type": "Harus berupa teks",
    "int_parsing": "Harus bilangan bulat",
    "int_type": "Harus bilangan bulat",
    "int_from_float": "Harus bilangan bulat",
    "float_parsing": "Harus berupa angka",
    "float_type": "Harus berupa angka",
    "bool_parsing": "Harus ya atau tidak (true/false)",
    "bool_type": "Harus ya atau tidak (true/false)",
    "greater_than": "Harus lebih dari {gt}",
    "greater_than_equal": "Paling kecil {ge}",
    "less_than": "Harus kurang dari {lt}",
    "less_than_equal": "Paling besar {le}",
    "too_short": "Terlalu sedikit isian",
    "too_long": "Terlalu banyak isian",
    "list_type": "Harus berupa daftar",
    "dict_type": "Harus berupa objek",
    "model_type": "Harus berupa objek",
    "enum": "Bukan salah satu pilihan yang sah",
    "literal_error": "Bukan salah satu pilihan yang sah",
    "date_parsing": "Tanggal tidak sah (YYYY-MM-DD)",
    "date_from_datetime_parsing": "Tanggal tidak sah (YYYY-MM-DD)",
    "datetime_parsing": "Waktu tidak sah (ISO 8601)",
    "datetime_from_date_parsing": "Waktu tidak sah (ISO 8601)",
    "uuid_parsing": "UUID tidak sah",
    "extra_forbidden": "Kolom ini tidak dikenal",
    "value_error": "Nilai tidak valid",
}


def field_message(err: dict[str, Any]) -> str:
    """One pydantic error as "Indonesian / English" (English alone when the client asked for English)."""
    english = str(err.get("msg", ""))
    if err.get("type") == "value_error":
        # Our own validators raise ValueError with a message that is already "Indonesian / English".
        english = english.removeprefix("Value error, ")
        if " / " in english:
            return english
    if (get_language() or "").startswith("en"):
        return english
    template = PYDANTIC_MESSAGES_ID.get(str(err.get("type", "")), "Nilai tidak valid")
    try:
        indonesian = template.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        indonesian = "Nilai tidak valid"
    return f"{indonesian} / {english}" if english else indonesian


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        parts = [str(p) for p in err.get("loc", [])]
        if parts and parts[0] == "body" and len(parts) > 2:
            # ("body", "payload", "category"): the view's parameter name is not in the client's JSON.
            parts = parts[2:]
        loc = ".".join(p for p in parts if p not in ("body", "query", "path", "header", "cookie"))
        fields.setdefault(loc or "_", []).append(field_message(err))
    return _error(request, "Data tidak valid / Invalid data", "validation_failed", 422, fields)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, "Perlu masuk / Authentication required", "unauthenticated", 401)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, _("Tidak ditemukan / Not found"), "not_found", 404)


@api.exception_handler(DjangoPermissionDenied)
def forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return _error(request, _("Tidak diizinkan / Forbidden"), "forbidden", 403)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, _("Isi permintaan terlalu besar / Request body too large"), "too_large", 413)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return failures.unavailable(request)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):  # TextParser refused the body: say why, not "cannot parse"
        return domain_error(request, exc.__cause__)
    return _error(request, str(exc.message), "http_error", exc.status_code)


# The public intake comes first: URL resolution tries each route in order, and it is the hottest route.
API_APPS = [
    "siaga.public",
    "siaga.territory",
    "siaga.sites",
    "siaga.operations",
    "siaga.personnel",
    "siaga.deployment",
    "siaga.guard",
    "siaga.patrols",
    "siaga.incidents",
    "siaga.events",
    "siaga.logistics",
    "siaga.polda",
    "siaga.dashboard",
    "siaga.core",
]

for _module in API_APPS:
    if importlib.util.find_spec(f"{_module}.api") is not None:
        _router = getattr(importlib.import_module(f"{_module}.api"), "router", None)
        if _router is not None:
            api.add_router("", _router)
