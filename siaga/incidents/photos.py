"""Incident photos: decoded and re-encoded with Pillow so that nothing but pixels survives.

Re-encoding drops EXIF (including GPS, which could identify a reporter's home), XMP, ICC comments and anything
appended to the file (polyglots). Limits: bytes per photo, pixels per photo (decompression bombs), photos per
report. Files go under SIAGA_INCIDENT_PHOTO_DIR (default DATA_DIR/incident-photos, outside the web root) with
random names; they are served only through an access-checked view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from siaga.core import photos as core_photos
from siaga.core.photos import EncodedPhoto

__all__ = [
    "MAX_BYTES",
    "MAX_PHOTOS",
    "MAX_SIDE",
    "EncodedPhoto",
    "delete",
    "path_of",
    "photo_dir",
    "reencode",
    "store",
]

MAX_PHOTOS = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2048  # stored photos are scaled down to this; enough to read a number plate

_store = core_photos.PhotoStore(setting="SIAGA_INCIDENT_PHOTO_DIR", default_subdir="incident-photos")


def photo_dir() -> Path:
    return _store.folder()


def reencode(upload: Any) -> EncodedPhoto:
    """Check a photo and re-encode it as a metadata-free JPEG. Raises ValidationFailed on anything doubtful."""
    return core_photos.reencode(upload, max_bytes=MAX_BYTES, max_side=MAX_SIDE, quality=85)


def store(photo: EncodedPhoto) -> str:
    """Write a re-encoded photo under a random name; returns the name."""
    return _store.store(photo.data)


def path_of(name: str) -> Path:
    return _store.path_of(name)


def delete(name: str) -> None:
    _store.delete(name)
