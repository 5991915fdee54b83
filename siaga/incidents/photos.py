"""Incident photos: decoded and re-encoded with Pillow so that nothing but pixels survives.

Re-encoding drops EXIF (including GPS, which could identify a reporter's home), XMP, ICC comments and anything
appended to the file (polyglots). Limits: bytes per photo, pixels per photo (decompression bombs), photos per
report. Files go under SIAGA_INCIDENT_PHOTO_DIR (default DATA_DIR/incident-photos, outside the web root) with
random names; they are served only through an access-checked view.
"""

from __future__ import annotations

import contextlib
import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from siaga.core.errors import ValidationFailed

MAX_PHOTOS = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # ASVS 5.2.6: reject far below Pillow's own bomb limit
MAX_SIDE = 2048  # stored photos are scaled down to this; enough to read a number plate
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


@dataclass(frozen=True)
class EncodedPhoto:
    data: bytes
    width: int
    height: int


def photo_dir() -> Path:
    path = Path(getattr(settings, "SIAGA_INCIDENT_PHOTO_DIR", Path(settings.DATA_DIR) / "incident-photos"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read(upload: Any) -> bytes:
    if isinstance(upload, bytes):
        if len(upload) > MAX_BYTES:
            raise _too_big()
        return upload
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _too_big()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_big()
    return data


def _too_big() -> ValidationFailed:
    mb = MAX_BYTES // (1024 * 1024)
    return ValidationFailed(
        _("Foto terlalu besar (maks. %(mb)d MB) / Photo too large (max %(mb)d MB)") % {"mb": mb},
        fields={"photos": [f"> {mb} MB"]},
    )


def _bad() -> ValidationFailed:
    return ValidationFailed(
        _("Berkas bukan foto JPEG/PNG/WebP yang utuh / Not a complete JPEG/PNG/WebP photo"),
        fields={"photos": [_("format tidak didukung / unsupported format")]},
    )


def reencode(upload: Any) -> EncodedPhoto:
    """Check a photo and re-encode it as a metadata-free JPEG. Raises ValidationFailed on anything doubtful."""
    raw = _read(upload)
    if not raw:
        raise _bad()
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; treat the warning as the error it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw)) as img:
                if img.format not in ACCEPTED_FORMATS:
                    raise _bad()
                width, height = img.size
                if width * height > MAX_PIXELS or width < 1 or height < 1:
                    raise ValidationFailed(
                        _("Foto terlalu banyak piksel / Photo has too many pixels"),
                        fields={"photos": [f"{width}x{height}"]},
                    )
                img.load()
                rotated = ImageOps.exif_transpose(img) or img
                clean = rotated.convert("RGB")
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
    # No exif=, no icc_profile=: the new file carries pixels only.
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return EncodedPhoto(data=out.getvalue(), width=clean.width, height=clean.height)


def store(photo: EncodedPhoto) -> str:
    """Write a re-encoded photo under a random name; returns the name."""
    name = f"{secrets.token_hex(16)}.jpg"
    (photo_dir() / name).write_bytes(photo.data)
    return name


def path_of(name: str) -> Path:
    # Names are ours (hex + .jpg); refuse anything else so a crafted name cannot leave the folder.
    if not (len(name) == 36 and name.endswith(".jpg") and all(c in "0123456789abcdef" for c in name[:32])):
        raise ValueError("bad photo name")
    return photo_dir() / name


def delete(name: str) -> None:
    with contextlib.suppress(ValueError):
        path_of(name).unlink(missing_ok=True)
