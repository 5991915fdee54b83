"""Photo re-encoding: metadata gone, bombs and cut-off files refused, even after WeasyPrint is imported."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from siaga.core import photos
from siaga.core.errors import ValidationFailed


def _jpeg_with_gps(w: int = 320, h: int = 240) -> bytes:
    img = Image.new("RGB", (w, h), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (8.0, 10.0, 0.0), 3: "E", 4: (113.0, 42.0, 0.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_reencoded_photo_has_no_exif_and_is_scaled_down() -> None:
    encoded = photos.reencode(_jpeg_with_gps(1600, 1200), max_bytes=10_000_000, max_side=800)
    with Image.open(io.BytesIO(encoded.data)) as img:
        assert not img.getexif()
        assert max(img.size) == 800
    assert (encoded.width, encoded.height) == (800, 600)


def test_cut_off_photo_is_refused_even_after_weasyprint_loosened_pillow() -> None:
    import weasyprint  # noqa: F401 - its import sets ImageFile.LOAD_TRUNCATED_IMAGES = True process-wide
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    whole = _jpeg_with_gps()
    assert photos.reencode(whole, max_bytes=10_000_000, max_side=800).data
    with pytest.raises(ValidationFailed):
        photos.reencode(whole[: len(whole) // 2], max_bytes=10_000_000, max_side=800)
    png = io.BytesIO()
    Image.new("RGB", (50, 50)).save(png, format="PNG")
    with pytest.raises(ValidationFailed):
        photos.reencode(png.getvalue()[:-20], max_bytes=10_000_000, max_side=800)


def test_pixel_bomb_and_oversize_are_refused() -> None:
    bomb = io.BytesIO()
    Image.new("1", (8000, 6000)).save(bomb, format="PNG")  # 48 MP in a tiny file
    with pytest.raises(ValidationFailed):
        photos.reencode(bomb.getvalue(), max_bytes=10_000_000, max_side=800)
    with pytest.raises(ValidationFailed) as exc:
        photos.reencode(b"\xff\xd8" + b"0" * 2000, max_bytes=1000, max_side=800)
    assert "MB" in exc.value.message


def test_store_refuses_names_that_could_leave_the_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SIAGA_TEST_PHOTO_DIR = tmp_path
    store = photos.PhotoStore(setting="SIAGA_TEST_PHOTO_DIR", default_subdir="x")
    name = store.store(b"data")
    assert store.path_of(name).read_bytes() == b"data"
    with pytest.raises(ValueError):
        store.path_of("../../etc/passwd")
