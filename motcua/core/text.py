"""Vietnamese text helpers: NFC everywhere, accent folding for search.

Citizens type on phones without diacritics ("ly lich tu phap"), officers paste text from Word in
NFD. Everything stored is NFC; everything searched is compared in a folded form: lower case, no
combining marks, "đ" → "d", single spaces.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

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


# --------------------------------------------------------------------------- collation
#
# One Vietnamese collation for every list a person reads (units, communes, fields, people):
# the order of the Vietnamese alphabet and of the dictionaries (Hoàng Phê), which is also the
# order of CLDR's ``vi`` collation. PyICU has no wheel on PyPI (it compiles against libicu), and
# the database collations differ between SQLite and PostgreSQL, so lists are sorted in Python with
# this key; the result is the same on every database.
#
# * primary: the letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z, for
#   foreign names, at their Latin places); digits as numbers ("Phường 2" before "Phường 10");
#   a space before any letter ("An Bình" before "Anh");
# * secondary: the tones, word by word: none, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ);
# * tertiary: lower case before upper case.

_ALPHABET = (
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
)  # fmt: skip
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
#: Marks that make another letter (breve, circumflex, horn) — they stay with the base.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
#: Tone marks in dictionary order (huyền, hỏi, ngã, sắc, nặng); no mark is 0.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_RUN = re.compile(r"\d+|\s+|.", re.DOTALL)

SortKey = tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """(base letter with its letter-making marks, tone, upper case) per character of ``text``."""
    out: list[tuple[str, int, bool]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn" and out:
            base, tone, upper = out[-1]
            if ch in _LETTER_MARKS:
                out[-1] = (unicodedata.normalize("NFC", base + ch), tone, upper)
            elif ch in _TONE_RANK:
                out[-1] = (base, _TONE_RANK[ch], upper)
            continue
        out.append((ch.lower(), 0, ch != ch.lower()))
    return out


# 16,384 keys: more than every name a province sorts (its ~3,100 procedures, units, communes,
# fields); a key is ~1.5-6 KB (a tuple per letter: 1.6 KB for a person's name, 5.7 KB for a
# 75-letter procedure name), so the bound is ~25-100 MiB per process, not the 100-400 MiB that
# 65,536 allowed in each web and worker process.
@functools.lru_cache(maxsize=16384)
def vi_sort_key(text: str) -> SortKey:
    """The Vietnamese collation key of ``text`` (see above): ``sorted(names, key=vi_sort_key)``.

    Memoised (a pure function; ≈ 0.15 ms a name uncached): the e-form's and the catalogue's
    lists sort the same few hundred names on every request (issue #14 item 9)."""
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[int] = []
    for run in _RUN.findall(unicodedata.normalize("NFC", text).strip()):
        if run[0].isdigit():
            primary.append((2, int(run)))
            continue
        if run[0].isspace():
            primary.append((0, 0))
            continue
        for base, tone, upper in _letters(run):
            rank = _LETTER_RANK.get(base)
            primary.append((3, rank) if rank is not None else (1, ord(base[0])))
            tones.append(tone)
            cases.append(1 if upper else 0)
    return tuple(primary), tuple(tones), tuple(cases)


def vi_sorted(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """``items`` in Vietnamese alphabetical order of ``key(item)`` (default: the item itself)."""
    return sorted(items, key=lambda item: vi_sort_key(key(item)))
