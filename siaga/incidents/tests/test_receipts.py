"""Receipt codes: readable over the phone, unguessable, and recognised by the public status lookup."""

from __future__ import annotations

import collections

from siaga.incidents.rules import RECEIPT_ALPHABET, RECEIPT_FORMAT, new_receipt


def test_receipts_have_the_readable_shape_and_alphabet() -> None:
    codes = [new_receipt() for _ in range(20000)]
    assert all(RECEIPT_FORMAT.fullmatch(code) for code in codes)
    assert not set("".join(codes)) - set(RECEIPT_ALPHABET) - {"-"}
    assert not {"0", "O", "1", "I", "L"} & set("".join(codes))
    assert len(set(codes)) == len(codes)  # 31^8 codes: a repeat in 20,000 draws would mean a broken source


def test_every_letter_is_used_in_every_position_about_equally() -> None:
    codes = [new_receipt().replace("-", "") for _ in range(31000)]
    for position in range(8):
        counts = collections.Counter(code[position] for code in codes)
        assert set(counts) == set(RECEIPT_ALPHABET)
        # 1,000 expected per letter; the bounds are about 7 standard deviations wide.
        assert min(counts.values()) > 780 and max(counts.values()) < 1220, (position, counts)
