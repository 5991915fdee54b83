"""The one pagination of the API: limit/offset with a `count`, bounded at the schema.

`limit` is at most SIAGA_API_MAX_PAGE_SIZE (a larger page is a 422, so no role can pull a whole table in one
answer); `offset` at most MAX_OFFSET, far beyond any list here and well inside what SQLite and PostgreSQL accept
(a 64-bit OFFSET was a server error)."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 10_000_000
DEFAULT_LIMIT = 100


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            min(DEFAULT_LIMIT, settings.SIAGA_API_MAX_PAGE_SIZE), ge=1, le=settings.SIAGA_API_MAX_PAGE_SIZE
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=settings.SIAGA_API_MAX_PAGE_SIZE, **kwargs)
