"""Ranked search over the procedure catalogue, in process, the same on SQLite and PostgreSQL.

Citizens type on phones, mostly without diacritics ("ly lich tu phap"), often with a slip of the
thumb ("khai sihn") and often before they finish the word. A database ``LIKE`` or a
PostgreSQL-only full-text search would answer differently per engine and not at all to a typo,
so the catalogue of one province (≈1,600 current versions) is indexed here, in memory:

* every text is folded (:func:`motcua.core.text.fold`): lower case, no diacritics, "đ" → "d";
* the index holds syllables and adjacent syllable pairs ("khai sinh"), because Vietnamese words
  are mostly two syllables and a pair is far more telling than either syllable alone;
* scoring is BM25 per field, weighted: the name weighs more than the field, which weighs more
  than the dossier components; the query is OR-ed and a document matching more query syllables
  ranks higher;
* a query syllable of 4+ letters absent from the vocabulary matches the vocabulary syllables one
  edit away (insert, delete, substitute or swap two neighbours); the last syllable also matches
  as a prefix (typing in progress);
* a national procedure code ("1.001193" or "1001193") matches exactly and comes first.

This module imports no Django: :class:`SearchIndex` takes plain :class:`Document` values, and
:class:`IndexCache` rebuilds it when a caller-supplied catalogue key changes
(``motcua.catalog.selectors`` supplies both).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from motcua.core.text import fold

__all__ = [
    "FIELD_WEIGHTS",
    "Document",
    "Hit",
    "IndexCache",
    "SearchIndex",
    "bm25_term",
    "code_in_query",
    "within_one_edit",
]

K = TypeVar("K", bound=Hashable)

# Where a token was seen → how much it counts (BM25F field weights).
FIELD_WEIGHTS: dict[str, float] = {"name": 3.0, "field": 1.5, "body": 1.0}
K1 = 1.2
B = 0.75
TYPO_MIN_LENGTH = 4
TYPO_WEIGHT = 0.7  # a corrected syllable is weaker evidence than a typed one
PREFIX_WEIGHT = 0.6
PREFIX_MIN_LENGTH = 2
MAX_PREFIX_EXPANSIONS = 40
CODE_SCORE = 1_000_000.0

_CODE_RE = re.compile(r"(?<![0-9.])([0-9])\.?([0-9]{6})(?![0-9])")


def code_in_query(query: str) -> str | None:
    """``"1.001193"`` or ``"1001193"`` anywhere in ``query`` → ``"1.001193"`` (R-ID-06)."""
    match = _CODE_RE.search(query)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    swap of two neighbouring letters (optimal string alignment distance ≤ 1)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def bm25_term(
    *, tf_by_field: dict[str, int], len_by_field: dict[str, int], avg_len: dict[str, float]
) -> float:
    """The BM25 term-frequency part of one term in one document (without its IDF): saturated
    per field, then weighted, so a name match is never outweighed by a long component list
    repeating the word."""
    total = 0.0
    for name, tf in tf_by_field.items():
        norm = 1 - B + B * len_by_field[name] / max(avg_len[name], 1.0)
        saturated = (tf / norm) / (K1 + tf / norm)
        total += FIELD_WEIGHTS[name] * saturated
    return total


def _terms(text: str) -> list[str]:
    syllables = fold(text).split()
    return syllables + [f"{x} {y}" for x, y in itertools.pairwise(syllables)]


@dataclass(frozen=True)
class Document(Generic[K]):
    """One searchable procedure: its key (e.g. the version id), national code and texts."""

    key: K
    code: str
    name: str
    field: str = ""
    body: str = ""


@dataclass(frozen=True)
class Hit(Generic[K]):
    key: K
    score: float
    matched: int  # how many query syllables the document matched


@dataclass
class _Posting:
    tf_by_field: dict[str, int] = field(default_factory=dict)


class SearchIndex(Generic[K]):
    """An inverted index of folded syllables and syllable pairs; see the module docstring."""

    def __init__(self, documents: Iterable[Document[K]]) -> None:
        self.keys: list[K] = []
        self._by_code: dict[str, int] = {}
        self._lengths: list[dict[str, int]] = []
        self._postings: dict[str, dict[int, _Posting]] = defaultdict(dict)
        totals: dict[str, int] = dict.fromkeys(FIELD_WEIGHTS, 0)
        for doc_id, doc in enumerate(documents):
            self.keys.append(doc.key)
            self._by_code[doc.code] = doc_id
            lengths: dict[str, int] = {}
            for name, text in (("name", doc.name), ("field", doc.field), ("body", doc.body)):
                terms = _terms(text)
                lengths[name] = len(terms)
                totals[name] += len(terms)
                for term in terms:
                    posting = self._postings[term].setdefault(doc_id, _Posting())
                    posting.tf_by_field[name] = posting.tf_by_field.get(name, 0) + 1
            self._lengths.append(lengths)
        count = max(len(self.keys), 1)
        self._avg_len = {name: totals[name] / count for name in FIELD_WEIGHTS}
        syllables = [t for t in self._postings if " " not in t]
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for syllable in syllables:
            self._by_length[len(syllable)].append(syllable)
        self._sorted_syllables = sorted(syllables)

    def __len__(self) -> int:
        return len(self.keys)

    def _idf(self, term: str) -> float:
        df = len(self._postings.get(term, {}))
        n = len(self.keys)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def expansions(self, token: str, *, last: bool) -> dict[str, float]:
        """The vocabulary syllables ``token`` stands for, each with its weight."""
        out: dict[str, float] = {}
        if token in self._postings:
            out[token] = 1.0
        elif len(token) >= TYPO_MIN_LENGTH:
            for length in (len(token) - 1, len(token), len(token) + 1):
                for candidate in self._by_length.get(length, ()):
                    if within_one_edit(token, candidate):
                        out[candidate] = TYPO_WEIGHT
        if last and len(token) >= PREFIX_MIN_LENGTH:
            start = bisect.bisect_left(self._sorted_syllables, token)
            for candidate in self._sorted_syllables[start : start + MAX_PREFIX_EXPANSIONS]:
                if not candidate.startswith(token):
                    break
                out.setdefault(candidate, PREFIX_WEIGHT)
        return out

    def _term_scores(self, term: str, weight: float) -> dict[int, float]:
        postings = self._postings.get(term)
        if not postings:
            return {}
        idf = self._idf(term)
        return {
            doc_id: weight
            * idf
            * bm25_term(
                tf_by_field=p.tf_by_field, len_by_field=self._lengths[doc_id], avg_len=self._avg_len
            )
            for doc_id, p in postings.items()
        }

    def _best(self, terms: Iterable[tuple[str, float]]) -> dict[int, float]:
        """Per document, the best score among alternative spellings of one query term."""
        best: dict[int, float] = {}
        for term, weight in terms:
            for doc_id, score in self._term_scores(term, weight).items():
                if score > best.get(doc_id, 0.0):
                    best[doc_id] = score
        return best

    def search(self, query: str, *, allowed: set[K] | None = None) -> list[Hit[K]]:
        """Documents matching any syllable of ``query``, best first."""
        tokens = fold(query).split()
        code = code_in_query(query)
        if code is not None:
            tokens = [t for t in tokens if not t.isdigit()]
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        per_token = [
            self.expansions(token, last=index == len(tokens) - 1)
            for index, token in enumerate(tokens)
        ]
        for expansions in per_token:
            for doc_id, score in self._best(expansions.items()).items():
                scores[doc_id] += score
                matched[doc_id] += 1
        # Syllable pairs reward the words typed together ("khai sinh", "tu phap").
        for left, right in itertools.pairwise(per_token):
            pairs = [(f"{a} {b}", min(wa, wb)) for a, wa in left.items() for b, wb in right.items()]
            for doc_id, score in self._best(pairs).items():
                scores[doc_id] += score
        if code is not None and code in self._by_code:
            doc_id = self._by_code[code]
            scores[doc_id] += CODE_SCORE
            matched[doc_id] += len(tokens) + 1
        # OR semantics, but coordination decides: a document matching 3 of 4 syllables keeps
        # (3/4)² of its score.
        total = max(len(tokens), 1)
        hits = [
            Hit(
                self.keys[doc_id],
                score * (min(matched[doc_id], total) / total) ** 2,
                matched[doc_id],
            )
            for doc_id, score in scores.items()
            if allowed is None or self.keys[doc_id] in allowed
        ]
        hits.sort(key=lambda h: -h.score)
        return hits


class IndexCache(Generic[K]):
    """One index per province per process, rebuilt when the catalogue key changes.

    The key is whatever cheaply identifies the catalogue's state (the caller uses the count and
    the latest change time of the current versions), checked on every query.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[Hashable, SearchIndex[K]]] = {}

    def get(
        self, scope: Hashable, key: Hashable, build: Callable[[], Iterable[Document[K]]]
    ) -> SearchIndex[K]:
        entry = self._entries.get(scope)
        if entry is not None and entry[0] == key:
            return entry[1]
        with self._lock:
            entry = self._entries.get(scope)
            if entry is None or entry[0] != key:
                entry = (key, SearchIndex(build()))
                self._entries[scope] = entry
            return entry[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
