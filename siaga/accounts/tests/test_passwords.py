"""Password policy (ASVS 6.2.1/6.2.4/6.2.5/6.2.11/6.2.12, G17): length and lists, no composition rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from siaga.accounts.services import DEFAULT_DEMO_PASSWORD


def _codes(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


def test_short_passwords_are_refused() -> None:
    assert "password_too_short" in _codes("kuda-lari-14ch")
    assert _codes("kuda lari cepat") == set()  # 15 characters, lowercase and spaces: fine


@pytest.mark.parametrize("password", ["1q2w3e4r5t6y7u8i9o0p", "123456789987654321", "123456789123456789"])
def test_common_breached_passwords_are_refused(password: str) -> None:
    # Django's list of ~20,000 passwords from breaches; only a few are 15 characters or more.
    assert "password_too_common" in _codes(password)


@pytest.mark.parametrize(
    "password", ["Polres-Jember-2024!", "siagapemilu2024!!", "BhayangkaraPresisi1", "passwordpassword"]
)
def test_context_words_are_refused(password: str) -> None:
    assert "password_context_words" in _codes(password)


@pytest.mark.parametrize(
    "password",
    [
        "484920571928374650",  # digits only: no composition rule refuses it
        "semua huruf kecil saja",  # no capital, no digit, no symbol
        "KUDA LAUT BIRU MUDA",
    ],
)
def test_no_composition_rules(password: str) -> None:
    assert _codes(password) == set()


def test_long_passphrases_are_accepted() -> None:
    assert _codes("x" * 3 + " ".join(["gunung", "laut", "sawah", "kopi"] * 16)) == set()


def test_the_demo_password_is_demo_only() -> None:
    # The printed demo password must never pass the policy for a real account.
    assert _codes(DEFAULT_DEMO_PASSWORD) != set()
