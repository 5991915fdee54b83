"""The hostile-photo corpus (G20, ASVS 5.2.x) through the core re-encoder and both upload doors (public and
officers' incident photos, patrol check-in photos): everything is refused with a clear message, or stored as a
plain JPEG that holds pixels only."""

from __future__ import annotations

import io

import pytest
import weasyprint  # noqa: F401 - as in every server process: its import loosens Pillow process-wide
from PIL import Image

from siaga.core import photos
from siaga.core.errors import ValidationFailed
from siaga.core.tests.hostile_photos import MARKERS, NEUTRALISED, REFUSED
from siaga.incidents import photos as incident_photos
from siaga.patrols import photos as patrol_photos

# Only the segments a plain baseline/progressive JPEG needs: SOI, APP0 (JFIF), DQT, SOFn, DHT, SOS(+data), EOI.
ALLOWED_SEGMENTS = {0xD8, 0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDA, 0xD9, 0xDD}

DOORS = {
    "core": lambda raw: photos.reencode(raw, max_bytes=10_000_000, max_side=800).data,
    "incident": lambda raw: incident_photos.reencode(raw).data,
    "patrol": patrol_photos.reencode,
}


def jpeg_segments(data: bytes) -> list[int]:
    """The marker of every segment before the scan data."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [0xD8], 2
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows up to EOI
            break
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return markers


def test_the_corpus_has_at_least_twenty_hostile_files() -> None:
    assert len(REFUSED) + len(NEUTRALISED) >= 20
    assert len(REFUSED) >= 20


@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_with_a_clear_message(name: str, door: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        DOORS[door](REFUSED[name])
    # The translated refusal, not an exception's text (Pillow's "decompression bomb ..." or a traceback line).
    assert exc.value.message.startswith(("Foto terlalu", "Berkas bukan foto")), exc.value.message


@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize("name", sorted(NEUTRALISED))
def test_payload_outside_the_pixels_does_not_survive_reencoding(name: str, door: str) -> None:
    stored = DOORS[door](NEUTRALISED[name])
    for marker in MARKERS:
        assert marker not in stored, marker
    assert set(jpeg_segments(stored)) <= ALLOWED_SEGMENTS
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert not img.getexif()
        assert "comment" not in img.info and "icc_profile" not in img.info


def test_exif_orientation_is_applied_to_the_pixels() -> None:
    stored = photos.reencode(NEUTRALISED["jpeg rotated by exif orientation 6"], max_bytes=10**7, max_side=800)
    assert (stored.width, stored.height) == (48, 64)  # 64 x 48 turned upright
