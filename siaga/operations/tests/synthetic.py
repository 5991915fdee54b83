"""A small synthetic kabupaten (not Jember) in the documented import formats, written to a folder.

Kabupaten Contoh (code 35.98, a code no real kabupaten uses): 3 kecamatan of 2 desa each (square boundaries
near -7.6, 112.2 on Java), Polres Contoh with one Polsek per kecamatan, 4 TPS per desa (24), 30 officers,
equipment, BKO and partner forces. Every file is what a new Polres would prepare; the set-up tests import them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

KAB = "35.98"
KECAMATAN = [("35.98.01", "Alpha"), ("35.98.02", "Beta"), ("35.98.03", "Gamma")]
DESA_PER_KECAMATAN = 2
TPS_PER_DESA = 4
SIZE = 0.04  # degrees per desa square (about 4.4 km)
ORIGIN = (-7.6, 112.2)


def desa_rows() -> list[dict[str, str]]:
    rows = []
    for k, (kec, kec_name) in enumerate(KECAMATAN):
        for d in range(DESA_PER_KECAMATAN):
            code = f"{kec}.20{d + 1:02d}"
            lat = ORIGIN[0] - (d + 0.5) * SIZE
            lng = ORIGIN[1] + (k + 0.5) * SIZE
            rows.append(
                {
                    "kode_desa": code,
                    "kode_kecamatan": kec,
                    "nama_kecamatan": kec_name,
                    "nama_desa": f"{kec_name} {'Utara' if d == 0 else 'Selatan'}",
                    "jenis": "desa",
                    "lat": f"{lat:.5f}",
                    "lng": f"{lng:.5f}",
                }
            )
    return rows


def _square(k: int, d: int) -> list[list[list[float]]]:
    west, east = ORIGIN[1] + k * SIZE, ORIGIN[1] + (k + 1) * SIZE
    north, south = ORIGIN[0] - d * SIZE, ORIGIN[0] - (d + 1) * SIZE
    return [[[west, north], [east, north], [east, south], [west, south], [west, north]]]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def nrps() -> list[str]:
    return [f"{88010000 + i}" for i in range(30)]


def write_kabupaten(folder: Path) -> dict[str, Path]:
    """Write every file of the set-up into `folder`; returns them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    desa = desa_rows()
    files = {"desa": _write_csv(folder / "desa.csv", desa)}
    features = []
    for k, (kec, _name) in enumerate(KECAMATAN):
        for d in range(DESA_PER_KECAMATAN):
            features.append(
                {
                    "type": "Feature",
                    "properties": {"kode_desa": f"{kec}.20{d + 1:02d}"},
                    "geometry": {"type": "Polygon", "coordinates": _square(k, d)},
                }
            )
    files["boundaries"] = folder / "batas_desa.geojson"
    files["boundaries"].write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    units = [
        {
            "unit": "Polres Contoh",
            "level": "polres",
            "kode_kecamatan": KECAMATAN[0][0],
            "lat": f"{ORIGIN[0] - 0.03:.5f}",
            "lng": f"{ORIGIN[1] + 0.03:.5f}",
        }
    ]
    for k, (kec, name) in enumerate(KECAMATAN):
        units.append(
            {
                "unit": f"Polsek {name}",
                "level": "polsek",
                "kode_kecamatan": kec,
                "lat": f"{ORIGIN[0] - 0.035:.5f}",
                "lng": f"{ORIGIN[1] + (k + 0.4) * SIZE:.5f}",
            }
        )
    files["police_units"] = _write_csv(folder / "satuan.csv", units)
    tps = []
    for row in desa:
        for n in range(1, TPS_PER_DESA + 1):
            tps.append(
                {
                    "kode_desa": row["kode_desa"],
                    "nomor_tps": str(n),
                    "lat": f"{float(row['lat']) + (n - 2.5) * 0.004:.5f}",
                    "lng": f"{float(row['lng']) + (n - 2.5) * 0.003:.5f}",
                    "pemilih": str(250 + n),
                }
            )
    files["tps"] = _write_csv(folder / "tps.csv", tps)
    people = []
    for i, nrp in enumerate(nrps()):
        kec_name = KECAMATAN[i % len(KECAMATAN)][1]
        people.append(
            {
                "nrp": nrp,
                "nama": f"Petugas Contoh {i + 1}",
                "pangkat": "Ipda" if i % 10 == 0 else "Bripda",
                "satuan": f"Polsek {kec_name}" if i < 24 else "Sat Samapta",
            }
        )
    files["personnel"] = _write_csv(folder / "personel.csv", people)
    files["equipment"] = _write_csv(
        folder / "peralatan.csv",
        [
            {
                "jenis": "car",
                "satuan": "Polsek Alpha",
                "nopol_seri": "P 1001 CT",
                "jumlah": "1",
                "pemegang_nrp": "",
            },
            {
                "jenis": "ht",
                "satuan": "Polsek Beta",
                "nopol_seri": "HT-0001",
                "jumlah": "1",
                "pemegang_nrp": nrps()[1],
            },
            {
                "jenis": "tameng",
                "satuan": "Sat Samapta",
                "nopol_seri": "",
                "jumlah": "20",
                "pemegang_nrp": "",
            },
        ],
    )
    files["bko"] = _write_csv(
        folder / "bko.csv",
        [
            {
                "arah": "masuk",
                "asal": "brimob",
                "nama_satuan_asal": "Sat Brimob Polda",
                "satuan": "Sat Samapta",
                "mulai": "2029-11-20",
                "jumlah": "12",
                "nrp": "",
            }
        ],
    )
    files["partner_forces"] = _write_csv(
        folder / "mitra.csv",
        [
            {"jenis": "tni", "satuan": "Koramil Alpha", "kode_kecamatan": KECAMATAN[0][0], "jumlah": "6"},
            {
                "jenis": "linmas",
                "satuan": "Linmas Beta Utara",
                "kode_kecamatan": KECAMATAN[1][0],
                "jumlah": "16",
            },
        ],
    )
    return files
