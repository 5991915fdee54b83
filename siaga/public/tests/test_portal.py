"""The public portal page: the form, photos re-encoded without EXIF GPS, the receipt and status pages, and
the rule that the portal reaches the incidents app only through its narrow intake service."""

from __future__ import annotations

import ast
import io
import pathlib
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from siaga.incidents import photos
from siaga.incidents.models import Incident, IncidentPhoto
from siaga.territory.models import Desa

pytestmark = pytest.mark.django_db


def jpeg_with_gps(width: int = 640, height: int = 480) -> bytes:
    img = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "S", 2: (8.0, 10.0, 30.0), 3: "E", 4: (113.0, 42.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def form_data(client: Client, **extra: Any) -> dict[str, Any]:
    page = client.get("/lapor/")
    desa = Desa.objects.filter(kecamatan__name="Tempurejo").first()
    data = {
        "idempotency_key": page.context["form"].initial["idempotency_key"],
        "category": "violence",
        "description": "Perkelahian antar pendukung di depan TPS",
        "occurred_at": "2024-02-14T10:30",
        "desa": desa.pk,
        "consent": "on",
    }
    data.update(extra)
    return data


def test_portal_is_public_and_in_both_languages(client: Client) -> None:
    response = client.get("/lapor/")
    assert response.status_code == 200
    html = response.content.decode()
    # One language per screen: Indonesian by default, English for a browser that asks for it.
    assert "Lapor kejadian" in html and "Report an" not in html
    assert 'name="viewport"' in html and "leaflet/leaflet.js" in html
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/lapor/").content.decode()
    assert "Report an election incident" in english and "Lapor kejadian" not in english


def test_report_with_photo_strips_exif_and_gives_a_receipt(
    client: Client, tmp_path: pathlib.Path, settings: Any
) -> None:
    settings.SIAGA_INCIDENT_PHOTO_DIR = tmp_path
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post("/lapor/", form_data(client, photos=[upload]))
    assert response.status_code == 302
    receipt = response["Location"].rstrip("/").split("/")[-1]
    incident = Incident.objects.get(receipt=receipt)
    stored = IncidentPhoto.objects.get(incident=incident)
    assert stored.file_name != "IMG_0001.jpg" and len(stored.file_name) == 36
    with Image.open(tmp_path / stored.file_name) as img:
        exif = img.getexif()
        assert 0x8825 not in exif and 0x010F not in exif and not img.info.get("exif")
    status = client.get(response["Location"])
    assert receipt in status.content.decode()


def test_resubmitting_the_same_form_creates_one_report(client: Client) -> None:
    data = form_data(client)
    first, again = client.post("/lapor/", data), client.post("/lapor/", data)
    assert first["Location"] == again["Location"]
    assert Incident.objects.filter(client_key=f"public:{data['idempotency_key']}").count() == 1


def test_missing_fields_are_named(client: Client) -> None:
    response = client.post("/lapor/", {"idempotency_key": uuid.uuid4().hex})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"category", "description", "consent", "__all__"} <= set(errors)


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"<html><script>alert(1)</script></html>",
        b"\x89PNG\r\n\x1a\n<?php system($_GET['c']); ?>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ],
)
def test_non_images_are_rejected(payload: bytes) -> None:
    with pytest.raises(Exception) as exc:
        photos.reencode(payload)
    assert getattr(exc.value, "code", "") == "validation_failed"


def test_truncated_jpeg_and_pixel_bomb_are_rejected() -> None:
    whole = jpeg_with_gps()
    with pytest.raises(Exception) as truncated:
        photos.reencode(whole[: len(whole) // 2])
    assert getattr(truncated.value, "code", "") == "validation_failed"
    bomb = io.BytesIO()
    Image.new("1", (8000, 6000)).save(bomb, format="PNG")  # 48 MP, tiny file
    with pytest.raises(Exception) as big:
        photos.reencode(bomb.getvalue())
    assert getattr(big.value, "code", "") == "validation_failed"


def test_oversize_and_too_many_photos_are_rejected(
    client: Client, settings: Any, tmp_path: pathlib.Path
) -> None:
    settings.SIAGA_INCIDENT_PHOTO_DIR = tmp_path
    small = [
        SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(64, 48), content_type="image/jpeg") for i in range(6)
    ]
    response = client.post("/lapor/", form_data(client, photos=small))
    assert response.status_code == 422 and not list(tmp_path.iterdir())
    with pytest.raises(Exception) as exc:
        photos.reencode(b"\xff\xd8" + b"0" * (photos.MAX_BYTES + 1))
    assert "MB" in str(exc.value)


def test_status_page_and_lookup(client: Client) -> None:
    response = client.post("/lapor/", form_data(client))
    receipt = response["Location"].rstrip("/").split("/")[-1]
    assert client.get("/lapor/status/", {"kode": receipt.lower()}).status_code == 302
    page = client.get(f"/lapor/status/{receipt.lower()}/")
    assert page.status_code == 200 and 'data-stage="received"' in page.content.decode()
    assert client.get("/lapor/status/ZZZZ-ZZZZ/").status_code == 404


def test_public_app_uses_only_the_intake_service_of_incidents() -> None:
    root = pathlib.Path(__file__).resolve().parents[1]
    allowed = {"siaga.incidents.intake", "siaga.incidents.idempotency", "siaga.incidents.ratelimit"}
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith("siaga.incidents") and name != "siaga.incidents":
                    assert any(name == a or name.startswith(a + ".") for a in allowed), (
                        f"{path.name} imports {name}"
                    )
                if name.startswith("siaga.neutrality") and name != "siaga.neutrality":
                    assert name.split(".")[2] in {"intake", "models"}, f"{path.name} imports {name}"
                assert not name.endswith("selectors"), f"{path.name} imports {name}"
