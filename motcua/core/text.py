"""Vietnamese text helpers: NFC everywhere, accent folding for search.

Citizens type on phones without diacritics ("ly lich tu phap"), officers paste text from Word in
NFD. Everything stored is NFC; everything searched is compared in a folded form: lower case, no
combining marks, "đ" → "d", single spaces.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z ]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Fold Vietnamese text for search: ``"Cần Thơ  Đông"`` → ``"can tho dong"``."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "d")
    stripped = _NON_WORD.sub(" ", stripped)
    return _SPACES.sub(" ", stripped).strip()


def fold_tokens(text: str) -> list[str]:
    return fold(text).split()


def unaccent(text: str) -> str:
    """Vietnamese without diacritics, case kept, for SMS: ``"Cái Khế"`` → ``"Cai Khe"``."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")
