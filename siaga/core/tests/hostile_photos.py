"""A corpus of hostile "photos" built at test time (nothing binary is stored in the repository).

Two kinds: files that must be refused with a clear ValidationFailed, and files that are real photos carrying a
payload somewhere outside the pixels, which may be accepted only if the stored re-encoding has lost the payload.
`docs/security.md` lists the cases.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

# Strings that must never reach a stored photo.
MARKERS = (b"<script", b"<html", b"<?php", b"PK\x03\x04", b"SIAGA-PAYLOAD", b"GPS", b"<svg", b"xmpmeta")
HTML = b"<html><body><script>alert('SIAGA-PAYLOAD')</script></body></html>"


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("index.html", HTML)
    return out.getvalue()


def _jpeg(w: int = 64, h: int = 48, **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (w, h), (200, 40, 40)).save(out, format="JPEG", **save)
    return out.getvalue()


def _png(w: int = 64, h: int = 48, mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (w, h)).save(out, format="PNG", **save)
    return out.getvalue()


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 0, 255)).save(out, format=fmt)
    return out.getvalue()


def _jpeg_with_segment(marker: int, payload: bytes) -> bytes:
    """A JPEG with an extra APPn/COM segment right after SOI."""
    base = _jpeg()
    segment = struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload
    return base[:2] + segment + base[2:]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny valid-looking PNG whose header claims huge dimensions."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A real JPEG whose SOF0 header is patched to claim other dimensions."""
    data = bytearray(_jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _png_bomb() -> bytes:
    """7,000 x 7,000 one-bit pixels (49 MP, above the 40 MP limit) in a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _png_text_bomb() -> bytes:
    """A small PNG with a zTXt chunk that inflates to 50 MB."""
    png = _png()
    text = b"Comment\x00\x00" + zlib.compress(b"A" * 50_000_000, 9)
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + _png_chunk(b"zTXt", text) + png[iend:]


def _exif_gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (8.0, 10.0, 0.0), 3: "E", 4: (113.0, 42.0, 0.0)}
    exif[0x010E] = "SIAGA-PAYLOAD <script>"  # ImageDescription
    return _jpeg(exif=exif)


def _rotated_jpeg() -> bytes:
    """EXIF orientation 6 (rotate 90 degrees): the stored photo is upright and has no EXIF left."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return _jpeg(64, 48, exif=exif)


REFUSED: dict[str, bytes] = {
    "empty file": b"",
    "svg with script": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
    "html renamed .jpg": HTML,
    "php behind a GIF header": b"GIF89a<?php system($_GET['c']); ?>",
    "real gif (unsupported format)": _image("GIF"),
    "bmp": _image("BMP"),
    "tiff": _image("TIFF"),
    "ico": _image("ICO"),
    "zip renamed .jpg": _zip(),
    "pdf renamed .jpg": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "windows executable": b"MZ" + b"\x00" * 62 + b"PE\x00\x00" + b"\x00" * 200,
    "elf executable": b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
    "jpeg header only": b"\xff\xd8\xff\xe0" + b"\x00" * 100,
    "truncated jpeg": _jpeg()[:300],
    "truncated png": _png()[:-20],
    "truncated webp": _image("WEBP")[:-10],
    "jpeg + appended zip (polyglot)": _jpeg() + _zip(),
    "jpeg + appended html (polyglot)": _jpeg() + HTML,
    "png + html after IEND (polyglot)": _png() + HTML,
    "png decompression bomb 49 MP": _png_bomb(),
    "png claiming 100000 x 100000": _png_claiming(100_000, 100_000),
    "jpeg claiming 65000 x 65000": _jpeg_claiming(65_000, 65_000),
    "jpeg claiming 0 x 0": _jpeg_claiming(0, 0),
}

NEUTRALISED: dict[str, bytes] = {
    "jpeg with zip + html in its comment (COM)": _jpeg(comment=_zip() + HTML),
    "jpeg with exif gps and a script description": _exif_gps_jpeg(),
    "jpeg with xmp packet (APP1)": _jpeg_with_segment(
        0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + HTML + b"</x:xmpmeta>"
    ),
    "jpeg with photoshop irb (APP13)": _jpeg_with_segment(0xED, b"Photoshop 3.0\x00" + HTML),
    "jpeg with icc profile payload": _jpeg(icc_profile=b"SIAGA-PAYLOAD" + HTML),
    "png with php in a tEXt chunk": _png()[:33]
    + _png_chunk(b"tEXt", b"Comment\x00<?php echo 1; ?>")
    + _png()[33:],
    "jpeg rotated by exif orientation 6": _rotated_jpeg(),
    # Pillow never inflates a text chunk past MAX_TEXT_CHUNK; with LOAD_TRUNCATED_IMAGES (set by WeasyPrint, which
    # every server process imports) it drops the chunk instead of refusing the file.
    "png with a zTXt chunk inflating to 50 MB": _png_text_bomb(),
}
