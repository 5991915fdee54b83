"""Check-in photos: decoded and re-encoded with Pillow so only pixels survive (EXIF, GPS, XMP, trailers go).

Files live under SIAGA_PATROL_PHOTO_DIR (default DATA_DIR/patrol-photos), outside the web root, under random
names; they are served only through an access-checked view.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from django.utils.translation import gettext as _

from siaga.core import photos as core_photos
from siaga.core.errors import ValidationFailed

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600

_store = core_photos.PhotoStore(setting="SIAGA_PATROL_PHOTO_DIR", default_subdir="patrol-photos")


def photo_dir() -> Path:
    return _store.folder()


def decode_data_url(value: str) -> bytes:
    """The phone sends `data:image/jpeg;base64,...` (it must survive an offline queue as text)."""
    _head, _sep, payload = value.partition(",")
    if len(payload) > MAX_BYTES * 4 // 3 + 4:
        raise ValidationFailed(_("Foto terlalu besar"), fields={"photo": ["size"]})
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise core_photos.not_a_photo("photo") from exc


def reencode(raw: bytes) -> bytes:
    """A metadata-free JPEG of the photo; ValidationFailed on anything doubtful (bombs, other formats)."""
    return core_photos.reencode(raw, max_bytes=MAX_BYTES, max_side=MAX_SIDE, quality=82, field="photo").data


def store(data: bytes) -> str:
    return _store.store(data)


def path_of(name: str) -> Path:
    return _store.path_of(name)
