"""Reference data as data: the Polri ranks in seniority order, the personal kit checklist, the Polres functions.

Ranks follow Peraturan Kapolri on pangkat (Perkap 3/2016 and its amendments): tamtama, bintara, perwira.
"""

from __future__ import annotations

from typing import Any

# (code, abbreviation, full name, group); listed from most junior to most senior.
RANKS: list[tuple[str, str, str, str]] = [
    ("bharada", "Bharada", "Bhayangkara Dua", "tamtama"),
    ("bharatu", "Bharatu", "Bhayangkara Satu", "tamtama"),
    ("bharaka", "Bharaka", "Bhayangkara Kepala", "tamtama"),
    ("abripda", "Abripda", "Ajun Brigadir Polisi Dua", "tamtama"),
    ("abriptu", "Abriptu", "Ajun Brigadir Polisi Satu", "tamtama"),
    ("abrip", "Abrip", "Ajun Brigadir Polisi", "tamtama"),
    ("bripda", "Bripda", "Brigadir Polisi Dua", "bintara"),
    ("briptu", "Briptu", "Brigadir Polisi Satu", "bintara"),
    ("brigpol", "Brigpol", "Brigadir Polisi", "bintara"),
    ("bripka", "Bripka", "Brigadir Polisi Kepala", "bintara"),
    ("aipda", "Aipda", "Ajun Inspektur Polisi Dua", "bintara_tinggi"),
    ("aiptu", "Aiptu", "Ajun Inspektur Polisi Satu", "bintara_tinggi"),
    ("ipda", "Ipda", "Inspektur Polisi Dua", "perwira_pertama"),
    ("iptu", "Iptu", "Inspektur Polisi Satu", "perwira_pertama"),
    ("akp", "AKP", "Ajun Komisaris Polisi", "perwira_pertama"),
    ("kompol", "Kompol", "Komisaris Polisi", "perwira_menengah"),
    ("akbp", "AKBP", "Ajun Komisaris Besar Polisi", "perwira_menengah"),
    ("kombes", "Kombes Pol", "Komisaris Besar Polisi", "perwira_menengah"),
    ("brigjen", "Brigjen Pol", "Brigadir Jenderal Polisi", "perwira_tinggi"),
    ("irjen", "Irjen Pol", "Inspektur Jenderal Polisi", "perwira_tinggi"),
    ("komjen", "Komjen Pol", "Komisaris Jenderal Polisi", "perwira_tinggi"),
    ("jenderal", "Jenderal Pol", "Jenderal Polisi", "perwira_tinggi"),
]

# Aliases an imported DSP may use for a rank (normalised: lower case, no dots or spaces).
RANK_ALIASES = {
    "brigadir": "brigpol",
    "kombespol": "kombes",
    "brigjenpol": "brigjen",
    "irjenpol": "irjen",
    "komjenpol": "komjen",
    "jenderalpol": "jenderal",
    "jendral": "jenderal",
}

# The personal kit checked at an apel (domain.md section 5: Jombang, Karanganyar, Tarogong Kidul).
KIT_ITEMS: list[tuple[str, str]] = [
    ("pdl-cadangan", "PDL cadangan"),
    ("jas-hujan", "Jas hujan"),
    ("rompi", "Rompi"),
    ("senter", "Senter"),
    ("peluit", "Peluit"),
    ("tongkat", "Tongkat"),
    ("borgol", "Borgol"),
    ("buku-saku", "Buku saku pemilu"),
    ("perlengkapan-mandi", "Perlengkapan mandi"),
]

# Polres functions in the order of a Polres organisation chart (Perpol 2/2021), with their unit order.
POLRES_FUNCTIONS: list[str] = [
    "pimpinan",
    "bag_ops",
    "bag_ren",
    "bag_sdm",
    "bag_log",
    "si_propam",
    "si_humas",
    "si_tik",
    "si_keu",
    "si_um",
    "si_dokkes",
    "siwas",
    "spkt",
    "sat_intelkam",
    "sat_reskrim",
    "sat_resnarkoba",
    "sat_binmas",
    "sat_samapta",
    "sat_lantas",
    "sat_tahti",
]


def seed(rank_model: Any, kit_model: Any) -> None:
    """Create or update the ranks and kit items; used by the data migration and by test restores."""
    for i, (code, abbreviation, name, group) in enumerate(RANKS, start=1):
        rank_model.objects.update_or_create(
            code=code, defaults={"abbreviation": abbreviation, "name": name, "group": group, "order": i * 10}
        )
    for i, (code, name) in enumerate(KIT_ITEMS, start=1):
        kit_model.objects.get_or_create(code=code, defaults={"name": name, "order": i * 10})
