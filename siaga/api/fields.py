"""Input types shared by the API's schemas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator

# PostgreSQL stores offsets up to +-15:59 and years from 4713 BC; Python's datetime accepts years 1-9999 and
# offsets under 24 h. A time a field officer or a form sends lies well inside both: refuse the rest as a 422
# instead of letting the database answer an HTTP 500 (found by Schemathesis: "0041-10-07T06:56:04-19:43").
YEARS = (2000, 2100)
MAX_OFFSET = dt.timedelta(hours=14)


def _plausible(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if not YEARS[0] <= value.year <= YEARS[1] or (offset is not None and abs(offset) > MAX_OFFSET):
        raise ValueError(
            _("Waktu harus antara tahun %(a)s dan %(b)s, dengan zona waktu yang sah")
            % {"a": YEARS[0], "b": YEARS[1]}
        )
    return value


#: A date-time a person could have meant: years 2000-2100, UTC offset within 14 hours.
PlausibleDateTime = Annotated[dt.datetime, AfterValidator(_plausible)]
