"""Jember demo Posko: a small CCTV register (cameras invented for the demo, said so in their notes) watched from
the KPU Jember CCTV seat of the guard demo. The alert stream fills itself once the worker's scheduler runs."""

from __future__ import annotations

from collections.abc import Callable

from siaga.guard.models import Post
from siaga.posko.models import Camera
from siaga.sites.models import VitalObject

DEMO_NOTE = "Kamera contoh demo (SINTETIS), bukan kamera sebenarnya."


def load_demo(*, report: Callable[[float, str], None]) -> None:
    if Camera.objects.exists():
        report(100, "dilewati / skipped")
        return
    seat = Post.objects.filter(code="kpu-jember-cctv").first()
    kpu = VitalObject.objects.filter(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember").first()
    bawaslu = VitalObject.objects.filter(
        kind=VitalObject.Kind.BAWASLU_OFFICE, name__icontains="Jember"
    ).first()
    rows = []
    for obj, code, name, owner, place, offset in (
        (kpu, "kpu-gerbang", "KPU Jember: gerbang depan", Camera.Owner.KPU, "Gerbang kantor KPU Jember", 0.0),
        (
            kpu,
            "kpu-gudang",
            "KPU Jember: gudang logistik",
            Camera.Owner.KPU,
            "Pintu gudang logistik KPU",
            0.0004,
        ),
        (
            bawaslu,
            "bawaslu-lobi",
            "Bawaslu Jember: lobi",
            Camera.Owner.BAWASLU,
            "Lobi kantor Bawaslu Jember",
            0.0,
        ),
        (
            kpu,
            "dishub-simpang",
            "Dishub: simpang dekat KPU",
            Camera.Owner.DISHUB,
            "Simpang jalan dekat KPU",
            0.002,
        ),
    ):
        if obj is None:
            continue
        rows.append(
            Camera(
                code=f"demo-{code}",
                name=name,
                owner=owner,
                place=place,
                kecamatan_id=obj.kecamatan_id,
                lat=obj.lat + offset,
                lng=obj.lng + offset,
                stream_url=f"rtsp://cctv.demo.invalid/{code}",
                # The Dishub camera is watched by nobody: the register shows it as unwatched.
                watched_by=seat if owner != Camera.Owner.DISHUB else None,
                notes=DEMO_NOTE,
            )
        )
    for camera in rows:
        camera.full_clean()
    Camera.objects.bulk_create(rows)
    report(100, f"{len(rows)} kamera / cameras")
