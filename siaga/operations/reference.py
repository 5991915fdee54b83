"""Reference data loaded into every installation: categories, PKPU stage calendars, indicator sets and the
published security patterns of domain.md section 1.4 as templates to copy. Facts carry their source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

D = dt.date

# (code, national name, local label, colour, severity, criteria). Colours follow Kulon Progo's code
# (green / yellow / red, domain.md 1.3); the others are ours.
CATEGORIES: list[tuple[str, str, str, str, int, str]] = [
    (
        "kurang_rawan",
        "Kurang rawan",
        "",
        "#2e7d32",
        10,
        "Tidak ada potensi konflik, situasi kamtibmas rendah risiko, mudah dijangkau petugas.",
    ),
    (
        "rawan",
        "Rawan",
        "",
        "#f9a825",
        20,
        "Potensi konflik sosial; permukiman padat dengan pemilih mendekati maksimum; basis massa calon/partai "
        "dengan militansi cukup tinggi; potensi unjuk rasa terhadap KPPS; TPS cukup jauh dari TPS lain.",
    ),
    (
        "sangat_rawan",
        "Sangat rawan",
        "",
        "#c62828",
        30,
        "Sulit dijangkau dan jauh dari TPS lain; riwayat konflik dengan korban atau kerugian harta; unjuk rasa "
        "terhadap KPPS; sengketa batas wilayah; masyarakat heterogen; basis pendukung semua calon.",
    ),
    (
        "khusus",
        "Khusus",
        "",
        "#6a1b9a",
        25,
        "TPS lokasi khusus menurut PKPU 7/2022: rutan, lapas, panti sosial, relokasi bencana, daerah konflik.",
    ),
    ("noken", "Sistem noken", "", "#795548", 26, "TPS di Papua yang memakai sistem noken."),
    (
        "lokasi_khusus",
        "Lokasi khusus",
        "",
        "#1565c0",
        24,
        "TPS di lokasi khusus lain yang ditetapkan Kasatwil.",
    ),
]
CATEGORY_SOURCE = "Kabaharkam, DPR Komisi III 15 Nov 2023 (voi.id/berita/329809); domain.md 1.2-1.3"

KPU_PEMILU_2024 = "PKPU 3/2022"
KPU_PILKADA_2024 = "PKPU 2/2024"

# (code, name, starts_on, ends_on, is_key)
PEMILU_2024_STAGES: list[tuple[str, str, D, D, bool]] = [
    ("partai", "Pendaftaran dan verifikasi partai politik", D(2022, 7, 29), D(2022, 12, 13), False),
    (
        "pemutakhiran-data-pemilih",
        "Pemutakhiran data dan penyusunan daftar pemilih",
        D(2022, 10, 14),
        D(2023, 6, 21),
        False,
    ),
    ("dapil", "Penetapan jumlah kursi dan daerah pemilihan", D(2022, 10, 14), D(2023, 2, 9), False),
    ("pencalonan-dpd", "Pencalonan anggota DPD", D(2022, 12, 6), D(2023, 11, 25), False),
    ("penetapan-partai", "Penetapan partai politik peserta pemilu", D(2022, 12, 14), D(2022, 12, 14), False),
    ("pencalonan-dpr-dprd", "Pencalonan anggota DPR dan DPRD", D(2023, 4, 24), D(2023, 11, 25), False),
    (
        "pencalonan-presiden",
        "Pencalonan presiden dan wakil presiden (pendaftaran 19-25 Okt)",
        D(2023, 10, 19),
        D(2023, 11, 25),
        True,
    ),
    ("kampanye", "Masa kampanye (75 hari)", D(2023, 11, 28), D(2024, 2, 10), True),
    ("masa-tenang", "Masa tenang", D(2024, 2, 11), D(2024, 2, 13), True),
    ("pemungutan-suara", "Pemungutan suara", D(2024, 2, 14), D(2024, 2, 14), True),
    ("penghitungan", "Penghitungan suara", D(2024, 2, 14), D(2024, 2, 15), True),
    ("rekapitulasi", "Rekapitulasi hasil penghitungan suara", D(2024, 2, 15), D(2024, 3, 20), True),
]

PILKADA_2024_STAGES: list[tuple[str, str, D, D, bool]] = [
    ("pengawas", "Pendaftaran pemantau pemilihan", D(2024, 2, 27), D(2024, 11, 16), False),
    ("pembentukan-badan-adhoc", "Pembentukan PPK, PPS dan KPPS", D(2024, 4, 17), D(2024, 11, 5), False),
    ("dp4", "Penyerahan DP4", D(2024, 4, 24), D(2024, 5, 31), False),
    ("syarat-perseorangan", "Pengumuman syarat calon perseorangan", D(2024, 5, 5), D(2024, 8, 19), False),
    (
        "pemutakhiran-data-pemilih",
        "Pemutakhiran data dan penyusunan daftar pemilih",
        D(2024, 5, 31),
        D(2024, 9, 23),
        False,
    ),
    (
        "pengumuman-pendaftaran",
        "Pengumuman pendaftaran pasangan calon",
        D(2024, 8, 24),
        D(2024, 8, 26),
        False,
    ),
    ("pendaftaran", "Pendaftaran pasangan calon", D(2024, 8, 27), D(2024, 8, 29), True),
    ("penelitian-syarat", "Penelitian persyaratan calon", D(2024, 8, 27), D(2024, 9, 21), False),
    ("penetapan-calon", "Penetapan pasangan calon", D(2024, 9, 22), D(2024, 9, 22), True),
    ("pengundian-nomor", "Pengundian nomor urut", D(2024, 9, 23), D(2024, 9, 23), True),
    ("kampanye", "Masa kampanye", D(2024, 9, 25), D(2024, 11, 23), True),
    ("masa-tenang", "Masa tenang", D(2024, 11, 24), D(2024, 11, 26), True),
    ("pemungutan-suara", "Pemungutan suara", D(2024, 11, 27), D(2024, 11, 27), True),
    ("rekapitulasi", "Penghitungan dan rekapitulasi suara", D(2024, 11, 27), D(2024, 12, 16), True),
]


@dataclass(frozen=True)
class PatternLine:
    category: str
    name: str
    police: int
    tps: int
    linmas: int = 0
    tni: int = 0
    override_reason: str = ""


@dataclass(frozen=True)
class PatternTemplate:
    key: str
    title: str
    source: str
    lines: tuple[PatternLine, ...]


_KP = "https://jogja.antaranews.com/berita/637143/polres-kulon-progo-menyiapkan-pola-pengamanan-pemilu-antisipasi-konflik"
_PA = "https://pagaralampos.disway.id/read/718944/polda-sumsel-siagakan-1-kompi-brimob-amankan-pemilukada-di-pagar-alam/15"
_ONE = "Pola terbitan sumber memakai 1 personel per kelompok / The published pattern uses 1 officer per group"

PATTERN_TEMPLATES: tuple[PatternTemplate, ...] = (
    PatternTemplate(
        "jember-2024",
        "Polres Jember, Pemilu 2024 (Kabag Ops / Kapolres)",
        "domain.md 1.4 and 6.1; Kabag Ops 2:24 kurang rawan, Kapolres (Antara) 2:2 rawan",
        (PatternLine("kurang_rawan", "utama", 2, 24, 48), PatternLine("rawan", "utama", 2, 2, 4)),
    ),
    PatternTemplate(
        "jember-2019",
        "Polres Jember, Pemilu 2019",
        "https://www.prosalinaradio.com/2019/04/10/polres-jember-menerapkan-pengamanan-khusus-bagi-tps-yang-dinilai-rawan/",
        (PatternLine("kurang_rawan", "utama", 2, 20), PatternLine("rawan", "utama", 2, 4, 8)),
    ),
    PatternTemplate(
        "jakbar-2024",
        "Polres Metro Jakarta Barat, Pemilu 2024",
        "https://pemilu.antaranews.com/berita/3944763/seluruh-tps-di-jakbar-masuk-kategori-kurang-rawan",
        (PatternLine("kurang_rawan", "utama", 2, 16, 32),),
    ),
    PatternTemplate(
        "kulon-progo-2024",
        "Polres Kulon Progo, Pemilu 2024 (5 sub-pola kurang rawan)",
        _KP,
        (
            PatternLine("kurang_rawan", "2:8", 2, 8, 16),
            PatternLine("kurang_rawan", "2:7", 2, 7, 14),
            PatternLine("kurang_rawan", "2:6", 2, 6, 12),
            PatternLine("kurang_rawan", "2:5", 2, 5, 10),
            PatternLine("kurang_rawan", "2:4", 2, 4, 8),
            PatternLine("rawan", "utama", 2, 2, 4),
        ),
    ),
    PatternTemplate(
        "siantar-2024",
        "Polres Pematangsiantar, Pemilu 2024 (4 sub-pola kurang rawan)",
        "https://www.armadanews.id/2024/02/03/kapolres-siantar-pimpin-apel-awal-kesiapan-pengamanan-tps",
        (
            PatternLine("kurang_rawan", "2:10", 2, 10),
            PatternLine("kurang_rawan", "2:12", 2, 12),
            PatternLine("kurang_rawan", "2:13", 2, 13),
            PatternLine("kurang_rawan", "2:14", 2, 14),
            PatternLine("rawan", "utama", 2, 2),
        ),
    ),
    PatternTemplate(
        "papua-barat-2024",
        "Polda Papua Barat, Pemilu 2024",
        "https://fbeta.republika.co.id/berita/s8onh4436/polda-papua-barat-terapkan-sistem-pengamanan-melekat-pada-tps",
        (
            PatternLine("kurang_rawan", "utama", 2, 8),
            PatternLine("rawan", "utama", 2, 4),
            PatternLine("sangat_rawan", "utama", 2, 1),
        ),
    ),
    PatternTemplate(
        "pagar-alam-2024",
        "Polres Pagar Alam, Pilkada 2024",
        _PA,
        (
            PatternLine("kurang_rawan", "2-8-16", 2, 8, 16),
            PatternLine("kurang_rawan", "2-4-8", 2, 4, 8),
            PatternLine("rawan", "utama", 2, 2, 4),
            PatternLine("sangat_rawan", "utama", 2, 1, 2),
        ),
    ),
    PatternTemplate(
        "nasional-2019",
        "Pola nasional Pemilu 2019 (Karo Penmas)",
        "https://independensi.com/2019/04/16/polri-turunjan-271-880-personel-dan-16-juta-linmas-untuk-amankan-tps-saat-pencoblosan",
        (
            PatternLine("kurang_rawan", "utama", 2, 4, 6),
            PatternLine("rawan", "utama", 4, 2, 8),
            PatternLine("sangat_rawan", "utama", 6, 2, 8),
        ),
    ),
    PatternTemplate(
        "jombang-2018",
        "Polres Jombang, Pilbup 2018 (aman / rawan 1 / rawan 2)",
        "https://kanalindonesia.com/33590/2018/01/05/simulasi-pengamanan-pilbub-polres-jombang-siagakan-9-389-personil-gabungan/",
        (
            PatternLine("kurang_rawan", "utama", 1, 5, 10, override_reason=_ONE),
            PatternLine("rawan", "utama", 1, 1, 2, override_reason=_ONE),
            PatternLine("sangat_rawan", "utama", 2, 1, 2),
        ),
    ),
)


def pattern_template(key: str) -> PatternTemplate | None:
    return next((t for t in PATTERN_TEMPLATES if t.key == key), None)


# Indicator sets: (variable code, variable name, [(indicator code, text, suggests category or "")]).
IndicatorRows = list[tuple[str, str, list[tuple[str, str, str]]]]

BAWASLU_PEMILU_2024: IndicatorRows = [
    (
        "V1",
        "Penggunaan hak pilih",
        [
            ("B24-01", "Pemilih DPT yang sudah tidak memenuhi syarat (TMS)", ""),
            ("B24-02", "Pemilih tambahan (DPTb)", ""),
            ("B24-03", "Potensi pemilih khusus (DPK)", ""),
            ("B24-04", "Anggota KPPS memilih di luar TPS domisili", ""),
        ],
    ),
    (
        "V2",
        "Keamanan",
        [
            ("B24-05", "Riwayat kekerasan di TPS", "rawan"),
            ("B24-06", "Riwayat intimidasi kepada penyelenggara", "rawan"),
        ],
    ),
    (
        "V3",
        "Kampanye (politik uang dan ujaran kebencian)",
        [
            ("B24-07", "Pemberian uang/barang (politik uang) di sekitar TPS", ""),
            ("B24-08", "Ujaran kebencian atau hasutan SARA di sekitar TPS", "rawan"),
        ],
    ),
    (
        "V4",
        "Netralitas",
        [
            ("B24-09", "Ketidaknetralan penyelenggara pemilu", ""),
            ("B24-10", "Ketidaknetralan ASN, TNI atau Polri", ""),
            ("B24-11", "Ketidaknetralan kepala desa atau perangkat desa", ""),
        ],
    ),
    (
        "V5",
        "Logistik",
        [
            ("B24-12", "Riwayat kerusakan logistik", ""),
            ("B24-13", "Riwayat kekurangan, kelebihan atau tertukarnya logistik", ""),
            ("B24-14", "Riwayat keterlambatan logistik", ""),
        ],
    ),
    (
        "V6",
        "Lokasi TPS",
        [
            ("B24-15", "TPS sulit dijangkau", "rawan"),
            ("B24-16", "TPS di daerah rawan bencana", ""),
            ("B24-17", "TPS dekat lembaga pendidikan yang siswanya berpotensi memilih", ""),
            ("B24-18", "TPS dekat wilayah kerja tambang, pabrik atau perusahaan", ""),
            ("B24-19", "TPS dekat posko atau rumah tim kampanye", ""),
            ("B24-20", "TPS di lokasi khusus", "khusus"),
        ],
    ),
    (
        "V7",
        "Jaringan listrik dan internet",
        [
            ("B24-21", "Kendala aliran listrik", ""),
            ("B24-22", "Kendala jaringan internet", ""),
        ],
    ),
]

BAWASLU_PILKADA_2024: IndicatorRows = [
    (
        "V1",
        "Penggunaan hak pilih",
        [
            ("P24-01", "Pemilih DPT yang sudah tidak memenuhi syarat (TMS)", ""),
            ("P24-02", "Pemilih tambahan (DPTb)", ""),
            ("P24-03", "Potensi pemilih khusus (DPK)", ""),
            ("P24-04", "Anggota KPPS memilih di luar TPS domisili", ""),
        ],
    ),
    (
        "V2",
        "Keamanan",
        [
            ("P24-05", "Riwayat kekerasan di TPS", "rawan"),
            ("P24-06", "Riwayat intimidasi kepada penyelenggara", "rawan"),
        ],
    ),
    (
        "V3",
        "Politik uang",
        [
            ("P24-07", "Pemberian uang/barang saat kampanye atau masa tenang", ""),
            ("P24-08", "Pemberian uang/barang pada hari pemungutan suara", ""),
        ],
    ),
    (
        "V4",
        "Politisasi SARA",
        [
            ("P24-09", "Hasutan atau provokasi bernuansa SARA", "rawan"),
            ("P24-10", "Ujaran kebencian di sekitar TPS", ""),
        ],
    ),
    (
        "V5",
        "Netralitas",
        [
            ("P24-11", "Ketidaknetralan penyelenggara", ""),
            ("P24-12", "Ketidaknetralan ASN", ""),
            ("P24-13", "Ketidaknetralan TNI atau Polri", ""),
            ("P24-14", "Ketidaknetralan kepala desa atau perangkat desa", ""),
        ],
    ),
    (
        "V6",
        "Logistik",
        [
            ("P24-15", "Riwayat kerusakan logistik", ""),
            ("P24-16", "Riwayat kekurangan atau kelebihan logistik", ""),
            ("P24-17", "Riwayat tertukarnya logistik", ""),
            ("P24-18", "Riwayat keterlambatan logistik", ""),
        ],
    ),
    (
        "V7",
        "Lokasi TPS",
        [
            ("P24-19", "TPS sulit dijangkau", "rawan"),
            ("P24-20", "TPS di daerah rawan bencana", ""),
            ("P24-21", "TPS dekat lembaga pendidikan", ""),
            ("P24-22", "TPS dekat posko atau rumah tim kampanye", ""),
            ("P24-23", "TPS di lokasi khusus", "khusus"),
        ],
    ),
    (
        "V8",
        "Jaringan listrik dan internet",
        [
            ("P24-24", "Kendala aliran listrik", ""),
            ("P24-25", "Kendala jaringan internet", ""),
        ],
    ),
]

POLRI_CRITERIA: IndicatorRows = [
    (
        "R",
        "Kriteria TPS rawan",
        [
            ("POL-R1", "Potensi konflik sosial", "rawan"),
            ("POL-R2", "Permukiman padat, jumlah pemilih mendekati batas maksimum KPU", "rawan"),
            ("POL-R3", "Basis massa calon/partai dengan militansi cukup tinggi", "rawan"),
            ("POL-R4", "Potensi unjuk rasa terhadap KPPS", "rawan"),
            ("POL-R5", "Letak TPS cukup jauh dari TPS lain", "rawan"),
        ],
    ),
    (
        "SR",
        "Kriteria TPS sangat rawan",
        [
            ("POL-S1", "Secara geografis sulit dijangkau dan jauh dari TPS lain", "sangat_rawan"),
            ("POL-S2", "Riwayat konflik dengan korban jiwa atau kerugian harta benda", "sangat_rawan"),
            ("POL-S3", "Wilayah sengketa batas antar-kabupaten atau provinsi", "sangat_rawan"),
            ("POL-S4", "Masyarakat heterogen dan basis pendukung semua calon", "sangat_rawan"),
        ],
    ),
    (
        "K",
        "Kriteria TPS khusus",
        [
            (
                "POL-K1",
                "TPS di rutan, lapas, panti sosial, relokasi bencana atau daerah konflik (PKPU 7/2022)",
                "khusus",
            ),
        ],
    ),
]

# (slug, version, name, source, election kind, published, rawan score, sangat rawan score, rows, reference, notes)
INDICATOR_SETS = [
    (
        "bawaslu-tps-rawan-pemilu-2024",
        1,
        "Bawaslu: pemetaan TPS rawan Pemilu 2024 (7 variabel, 22 indikator)",
        "bawaslu",
        "pemilu",
        D(2024, 2, 11),
        4,
        8,
        BAWASLU_PEMILU_2024,
        "https://pemilukita.republika.co.id/berita/s8owb3436/bawaslu-petakan-tps-rawan-pemilu-2024-melalui-tujuh-variabel",
        "Pengelompokan 22 indikator disusun dari pemberitaan; sesuaikan dengan dokumen resmi Bawaslu. Ambang skor "
        "usulan (rawan 4, sangat rawan 8) adalah aturan lokal, bukan aturan Bawaslu.",
    ),
    (
        "bawaslu-tps-rawan-pilkada-2024",
        1,
        "Bawaslu: pemetaan TPS rawan Pilkada 2024 (8 variabel, 25 indikator)",
        "bawaslu",
        "pilkada",
        D(2024, 11, 20),
        4,
        8,
        BAWASLU_PILKADA_2024,
        "https://midor.co/2024/11/antisipasi-kerawanan-pemungutan-suara-bawaslu-ri-petakan-25-indikator-potensi-tps-rawan",
        "Sumber hanya jelas menyebut 7 dari 8 variabel; variabel politik uang dan politisasi SARA dipisah. "
        "Ambang skor usulan adalah aturan lokal.",
    ),
    (
        "polri-kriteria-kategori-tps",
        1,
        "Polri (Intelkam): kriteria kategori TPS",
        "polri",
        "",
        None,
        None,
        None,
        POLRI_CRITERIA,
        "https://pemilu.antaranews.com/berita/3944763/seluruh-tps-di-jakbar-masuk-kategori-kurang-rawan",
        "Setiap kriteria yang terpenuhi mengusulkan kategorinya; yang paling rawan berlaku.",
    ),
]


# --- stage calendars as templates --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarTemplate:
    """A PKPU stage calendar. A new election copies it shifted by (its voting day - `voting_on`), so a later
    election of the same kind starts from the same stage structure; the Polres then corrects dates that differ."""

    key: str
    title: str
    kind: str
    regulation: str
    voting_on: D
    stages: tuple[tuple[str, str, D, D, bool], ...]


CALENDAR_TEMPLATES: tuple[CalendarTemplate, ...] = (
    CalendarTemplate(
        "pkpu-3-2022",
        "Pemilu 2024 (PKPU 3/2022)",
        "pemilu",
        KPU_PEMILU_2024,
        D(2024, 2, 14),
        tuple(PEMILU_2024_STAGES),
    ),
    CalendarTemplate(
        "pkpu-2-2024",
        "Pilkada 2024 (PKPU 2/2024)",
        "pilkada",
        KPU_PILKADA_2024,
        D(2024, 11, 27),
        tuple(PILKADA_2024_STAGES),
    ),
)


def calendar_template(key: str) -> CalendarTemplate | None:
    return next((t for t in CALENDAR_TEMPLATES if t.key == key), None)


def default_calendar_for(kind: str) -> CalendarTemplate | None:
    return next((t for t in CALENDAR_TEMPLATES if t.kind == kind), None)


# --- the satgas structure of a Polres operation ------------------------------------------------------------

# (kind, name, commander's post, tasks, [(sub-satgas, commander's post)]): the usual structure of a Polres
# Operasi Mantap Brata/Praja (domain.md 3.2). Commanders are posts, not names; the Polres fills in names.
SATGAS_TEMPLATE: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    (
        "preemtif",
        "Satgas Preemtif",
        "Kasat Intelkam",
        "Deteksi dini, penggalangan, cooling system",
        [("Subsatgas Deteksi", "Kanit Intelkam"), ("Subsatgas Binmas dan Cooling System", "Kasat Binmas")],
    ),
    (
        "preventif",
        "Satgas Preventif",
        "Kabag Ops",
        "PAM TPS, objek vital KPU/Bawaslu, pengawalan logistik, patroli",
        [
            ("Subsatgas PAM TPS", "Kasat Samapta"),
            ("Subsatgas Pengawalan Logistik", "Kasat Samapta"),
            ("Subsatgas PAM Objek Vital", "Kasat Pamobvit"),
        ],
    ),
    (
        "kamseltibcarlantas",
        "Satgas Kamseltibcarlantas",
        "Kasat Lantas",
        "Pengaturan dan pengawalan lalu lintas",
        [],
    ),
    (
        "gakkum",
        "Satgas Gakkum",
        "Kasat Reskrim",
        "Penegakan hukum tindak pidana pemilu (Sentra Gakkumdu)",
        [("Subsatgas Sentra Gakkumdu", "Kanit Pidum")],
    ),
    ("humas", "Satgas Humas", "Kasi Humas", "Informasi publik dan kontra narasi", []),
    (
        "banops",
        "Satgas Banops",
        "Kabag Log",
        "Dukungan logistik, kesehatan, anggaran",
        [("Subsatgas Dokkes", "Kasi Dokkes"), ("Subsatgas Logistik", "Kabag Log")],
    ),
]


# --- seeding (the data migration and test restores) --------------------------------------------------------


def seed(category_model: Any, indicator_set_model: Any, indicator_model: Any) -> None:
    """Create the categories and indicator sets that are missing; never overwrite local edits (labels,
    colours). Takes the model classes so the data migration can pass its historical models."""
    categories = {}
    for code, name, local, color, severity, description in CATEGORIES:
        categories[code], _created = category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "local_label": local,
                "color": color,
                "severity": severity,
                "description": description,
                "source": CATEGORY_SOURCE,
            },
        )
    for slug, version, name, source, kind, published, rawan, sangat, rows, ref, notes in INDICATOR_SETS:
        ind_set, created = indicator_set_model.objects.get_or_create(
            slug=slug,
            version=version,
            defaults={
                "name": name,
                "source": source,
                "election_kind": kind,
                "published_on": published,
                "rawan_score": rawan,
                "sangat_rawan_score": sangat,
                "reference": ref,
                "notes": notes,
            },
        )
        if not created:
            continue
        order = 0
        indicators = []
        for var_code, var_name, items in rows:
            for code, text, suggests in items:
                order += 1
                indicators.append(
                    indicator_model(
                        indicator_set=ind_set,
                        variable_code=var_code,
                        variable_name=var_name,
                        code=code,
                        text=text,
                        suggests=categories.get(suggests),
                        order=order,
                    )
                )
        indicator_model.objects.bulk_create(indicators)
