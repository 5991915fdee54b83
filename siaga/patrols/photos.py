"""Check-in photos: decoded and re-encoded with Pillow so only pixels survive (EXIF, GPS, XMP, trailers go).

Files live under SIAGA_PATROL_PHOTO_DIR (default DATA_DIR/patrol-photos), outside the web root, under random
names; they are served only through an access-checked view.
"""

from __future__ import annotations

import base64
import binascii
import io
import secrets
import warnings
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from siaga.core.errors import ValidationFailed

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


def photo_dir() -> Path:
    path = Path(getattr(settings, "SIAGA_PATROL_PHOTO_DIR", Path(settings.DATA_DIR) / "patrol-photos"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _bad() -> ValidationFailed:
    return ValidationFailed(
        _("Foto bukan JPEG/PNG/WebP yang utuh / Not a complete JPEG/PNG/WebP photo"), fields={"photo": ["?"]}
    )


def decode_data_url(value: str) -> bytes:
    """The phone sends `data:image/jpeg;base64,...` (it must survive an offline queue as text)."""
    _head, _sep, payload = value.partition(",")
    if len(payload) > MAX_BYTES * 4 // 3 + 4:
        raise ValidationFailed(_("Foto terlalu besar / Photo too large"), fields={"photo": ["size"]})
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _bad() from exc


def reencode(raw: bytes) -> bytes:
    """A metadata-free JPEG of the photo; ValidationFailed on anything doubtful (bombs, other formats)."""
    if not raw or len(raw) > MAX_BYTES:
        raise _bad()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw)) as img:
                if img.format not in ACCEPTED_FORMATS:
                    raise _bad()
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise _bad()
                img.load()
                clean = (ImageOps.exif_transpose(img) or img).convert("RGB")
        except ValidationFailed:
            raise
        except (
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise _bad() from exc
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=82, optimize=True)  # no exif=, no icc_profile=
    return out.getvalue()


def store(data: bytes) -> str:
    name = f"{secrets.token_hex(16)}.jpg"
    (photo_dir() / name).write_bytes(data)
    return name


def path_of(name: str) -> Path:
    if not (len(name) == 36 and name.endswith(".jpg") and all(c in "0123456789abcdef" for c in name[:32])):
        raise ValueError("bad photo name")
    return photo_dir() / name
