"""Photos from phones: decoded and re-encoded with Pillow so that nothing but pixels survives.

Re-encoding drops EXIF (including GPS, which could identify a reporter's home or an officer's route), XMP,
ICC profiles, comments and anything appended to the file (polyglots); the EXIF orientation is applied to the
pixels first. Limits: bytes and pixels per photo (decompression
bombs, ASVS 5.2.6). Files are stored outside the web root under random names and served only through
access-checked views. Used by the incident reports and the patrol check-ins.
"""

from __future__ import annotations

import contextlib
import io
import secrets
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from siaga.core.errors import ValidationFailed

MAX_PIXELS = 40_000_000  # far below Pillow's own bomb limit
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


@dataclass(frozen=True)
class EncodedPhoto:
    data: bytes
    width: int
    height: int


def too_big(max_bytes: int, field: str = "photos") -> ValidationFailed:
    mb = max_bytes // (1024 * 1024)
    return ValidationFailed(
        _("Foto terlalu besar (maks. %(mb)d MB)") % {"mb": mb},
        fields={field: [f"> {mb} MB"]},
    )


def not_a_photo(field: str = "photos") -> ValidationFailed:
    return ValidationFailed(
        _("Berkas bukan foto JPEG/PNG/WebP yang utuh"),
        fields={field: [_("format tidak didukung")]},
    )


def read_limited(upload: Any, *, max_bytes: int, field: str = "photos") -> bytes:
    """The bytes of an upload (or bytes), refusing more than `max_bytes` without reading it all."""
    if isinstance(upload, bytes):
        if len(upload) > max_bytes:
            raise too_big(max_bytes, field)
        return upload
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_big(max_bytes, field)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_big(max_bytes, field)
    return bytes(data)


def is_complete(raw: bytes, image_format: str | None) -> bool:
    """Whether the file is whole. Pillow cannot be trusted with this: WeasyPrint sets the process-wide
    `ImageFile.LOAD_TRUNCATED_IMAGES = True` on import, after which Pillow silently pads a cut-off photo."""
    if image_format in {"JPEG", "MPO"}:
        return raw.rstrip(b"\x00\r\n")[-2:] == b"\xff\xd9"
    if image_format == "PNG":
        return b"IEND" in raw[-16:]
    if image_format == "WEBP":
        return len(raw) >= 12 and struct.unpack("<I", raw[4:8])[0] + 8 <= len(raw)
    return False


def reencode(
    upload: Any, *, max_bytes: int, max_side: int, quality: int = 85, field: str = "photos"
) -> EncodedPhoto:
    """Check a photo and re-encode it as a metadata-free JPEG. Raises ValidationFailed on anything doubtful."""
    raw = read_limited(upload, max_bytes=max_bytes, field=field)
    if not raw:
        raise not_a_photo(field)
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; treat the warning as the error it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw)) as img:
                if img.format not in ACCEPTED_FORMATS or not is_complete(raw, img.format):
                    raise not_a_photo(field)
                width, height = img.size
                if width * height > MAX_PIXELS or width < 1 or height < 1:
                    raise ValidationFailed(
                        _("Foto terlalu banyak piksel"),
                        fields={field: [f"{width}x{height}"]},
                    )
                img.load()
                clean = (ImageOps.exif_transpose(img) or img).convert("RGB")
                # convert() copies `info`, and Pillow's JPEG writer puts info["comment"] back into the file (a
                # ZIP or HTML payload in a COM segment survived that way): keep the pixels, drop everything else.
                clean.info = {}
        except ValidationFailed:
            raise
        except (
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise not_a_photo(field) from exc
    clean.thumbnail((max_side, max_side))
    out = io.BytesIO()
    # No exif=, no icc_profile=: the new file carries pixels only.
    clean.save(out, format="JPEG", quality=quality, optimize=True)
    return EncodedPhoto(data=out.getvalue(), width=clean.width, height=clean.height)


@dataclass(frozen=True)
class PhotoStore:
    """A folder of re-encoded photos under random names; the folder is a setting with a default."""

    setting: str
    default_subdir: str

    def folder(self) -> Path:
        path = Path(getattr(settings, self.setting, Path(settings.DATA_DIR) / self.default_subdir))
        path.mkdir(parents=True, exist_ok=True)
        return path

    def store(self, data: bytes) -> str:
        name = f"{secrets.token_hex(16)}.jpg"
        (self.folder() / name).write_bytes(data)
        return name

    def path_of(self, name: str) -> Path:
        # Names are ours (hex + .jpg); refuse anything else so a crafted name cannot leave the folder.
        if not (
            len(name) == 36 and name.endswith(".jpg") and all(c in "0123456789abcdef" for c in name[:32])
        ):
            raise ValueError("bad photo name")
        return self.folder() / name

    def delete(self, name: str) -> None:
        with contextlib.suppress(ValueError):
            self.path_of(name).unlink(missing_ok=True)
