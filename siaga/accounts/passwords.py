"""Password policy beyond Django's validators (ASVS 6.2.11): no passwords made of words any attacker of a
Polres would try first. No composition rules (ASVS 6.2.5): length and lists only."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words of this deployment's context: the police, the election, the product, the place.
CONTEXT_WORDS = {
    "polri", "polres", "polsek", "polda", "bhayangkara", "presisi", "kapolres", "kapolsek", "bagops",
    "siaga", "pemilu", "pilkada", "pilpres", "kpu", "bawaslu", "tni", "jember", "tempurejo", "mantapbrata",
    "mantap", "brata", "praja", "tps", "sprin", "apel", "indonesia", "merdeka", "password", "katasandi",
    "rahasia", "admin", "demo",
}  # fmt: skip


class ContextWordsValidator:
    """Refuse a password that is only context words (and digits or punctuation), e.g. "Polres-Jember-2024"."""

    def validate(self, password: str, user: Any = None) -> None:
        letters = re.sub(r"[^a-z]", "", password.lower())
        if letters and self._only_words(letters):
            raise ValidationError(
                _("Kata sandi ini hanya berisi kata yang mudah ditebak (nama satuan, pemilu, tempat)."),
                code="password_context_words",
            )

    def _only_words(self, text: str) -> bool:
        if not text:
            return True
        return any(text.startswith(w) and self._only_words(text[len(w) :]) for w in CONTEXT_WORDS)

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh hanya berisi kata seperti nama satuan, pemilu atau tempat.")
