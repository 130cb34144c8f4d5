"""Retrieval of procedures from a citizen's question (pure: no Django, no database).

A question goes through:

1. **Normalisation** — NFC, lower case, accent folding (:func:`motcua.core.text.fold`), so
   "sổ đỏ" and "so do" meet. A national code ("1.001193") is recognised (R-ID-06).
2. **Lexicon** (``data/lexicon.csv``) — everyday names and abbreviations ("cccd", "sổ đỏ",
   "bằng lái", "mất" → "cấp lại") add the catalogue's words to the question; the longest phrase
   wins. Filler words (``data/stopwords.txt``) are dropped; out-of-scope phrases
   (``data/out_of_scope.csv``: a court case, a private dispute, chit-chat) are noted.
3. **Word segmentation** — the vocabulary of compound words is learnt from the procedure names
   with ``pyvi`` (a Vietnamese CRF segmenter, run on the accented names at build time only);
   questions and documents are then segmented the same way on folded syllables, so a question
   without diacritics gets the same compounds ("khai_sinh") as the accented name.
4. **Typo tolerance** — a syllable absent from the vocabulary matches the syllables one edit
   away (optimal string alignment, ``rapidfuzz``); the last one also matches as a prefix.
5. **Ranking** — BM25 (``bm25s``) per field, weighted (name 3, field 1.5, components 1), times
   the square of the share of the question's words a procedure matches, times small boosts:
   the competent level named in the question ("cấp tỉnh"), the commune level when the
   citizen's commune is known, and a procedure whose whole name is in the question.

:class:`Retriever` is built once from :class:`Record` values (``motcua.assistant.index`` builds
and caches it per catalogue fingerprint) and answers :meth:`Retriever.search` in a few ms.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from motcua.core.text import fold

if TYPE_CHECKING:
    import bm25s

DATA_DIR = Path(__file__).resolve().parent / "data"

FIELD_WEIGHTS: dict[str, float] = {"name": 3.0, "field": 1.5, "body": 1.0}
LEXICON_SOURCE_WEIGHT = 0.5  # the citizen's own words of a lexicon phrase ("so", "do")
TYPO_WEIGHT = 0.7
PREFIX_WEIGHT = 0.6
TYPO_MIN_LENGTH = 4
MAX_COMPOUND = 3
LONG_NUMBER = 4
LEVEL_BOOST = 1.3  # the question names the level ("cấp tỉnh")
COMMUNE_BOOST = 1.25  # the citizen's commune is known: its own procedures come first
COMMUNE_PRIOR = 1.15  # most questions are about commune-level procedures
WHOLE_NAME_BOOST = 1.5
# Proximity: the question's words in the name's order. A run of PHRASE_MIN or more consecutive
# question words found consecutively in the name multiplies the score by
# 1 + PHRASE_STEP × (run − PHRASE_MIN + 1); by PHRASE_START more when the run starts the name
# (the citizen typed the beginning of a name they read).
PHRASE_MIN = 3
PHRASE_STEP = 0.08
PHRASE_START = 1.15
PHRASE_CANDIDATES = 200  # only the best-scored procedures are looked at
CODE_SCORE = 1_000_000.0
MAX_CACHED_TOKENS = 2_000  # token score vectors kept per process (≈ 13 kB each)
MAX_CACHED_SEARCHES = 2_000  # searches kept per process, by normalised question

COMMUNE_LEVELS = frozenset({"commune", "commune_police"})
PROVINCIAL_LEVELS = frozenset({"province", "provincial"})
# Folded words by which a citizen names a level (R-DEC-01).
_LEVEL_WORDS: dict[str, frozenset[str]] = {
    "cap tinh": PROVINCIAL_LEVELS,
    "cap xa": COMMUNE_LEVELS,
    "phuong": COMMUNE_LEVELS,
    "xa": COMMUNE_LEVELS,
}
_CODE_RE = re.compile(r"(?<![0-9.])([0-9])\.?([0-9]{6})(?![0-9])")
_PREFIX = re.compile(r"^thu tuc ")
_LEVEL_SUFFIX = re.compile(r"\s*\(?\s*thuc hien (?:tai|o) cap [a-z ]+\)?\s*$")


def code_in_query(query: str) -> str | None:
    """``"1.001193"`` or ``"1001193"`` anywhere in ``query`` → ``"1.001193"`` (R-ID-06)."""
    match = _CODE_RE.search(query)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def core_name(name: str) -> str:
    """The folded name without "Thủ tục" and "(thực hiện tại cấp tỉnh)": what a citizen would
    type to mean exactly this procedure."""
    return _LEVEL_SUFFIX.sub("", _PREFIX.sub("", fold(name))).strip()


# --------------------------------------------------------------------------- data files


@dataclass(frozen=True)
class LexiconEntry:
    phrase: str  # folded
    means: str  # folded catalogue words
    note: str = ""


@cache
def lexicon(path: Path = DATA_DIR / "lexicon.csv") -> tuple[LexiconEntry, ...]:
    """Everyday names → catalogue words, longest phrase first."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            LexiconEntry(fold(row["phrase"]), fold(row["means"]), row.get("note", "") or "")
            for row in csv.DictReader(handle)
            if fold(row["phrase"])
        ]
    return tuple(sorted(rows, key=lambda e: -len(e.phrase.split())))


@cache
def stopwords(path: Path = DATA_DIR / "stopwords.txt") -> tuple[str, ...]:
    """Folded filler phrases, longest first."""
    lines = path.read_text(encoding="utf-8").splitlines()
    phrases = {fold(line) for line in lines if line.strip() and not line.startswith("#")}
    return tuple(sorted((p for p in phrases if p), key=lambda p: -len(p.split())))


@dataclass(frozen=True)
class OutOfScope:
    """One row of ``data/out_of_scope.csv``: a phrase that makes a question not a procedure."""

    phrase: str  # folded
    kind: str  # court, police, private, labour, internal or chat
    # The phrase as written, word by word, when it carries diacritics: a question word typed
    # with diacritics must be this word ("kiến" is not "kiện"); one typed without matches.
    accented: tuple[str, ...] = ()
    # Folded longer phrases inside which the phrase does not count ("điều kiện" for "kiện").
    unless: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.phrase.split())


def accented_words(text: str) -> list[str]:
    """The words of ``text`` in lower case with their diacritics, split exactly as
    :func:`motcua.core.text.fold` splits them (one accented word per folded word)."""
    return "".join(
        ch if _letter(ch) else " " for ch in unicodedata.normalize("NFC", text.lower())
    ).split()


@cache
def _letter(ch: str) -> bool:
    return bool(fold(ch))


@cache
def out_of_scope_entries(path: Path = DATA_DIR / "out_of_scope.csv") -> tuple[OutOfScope, ...]:
    """The out-of-scope phrases, longest first."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = []
        for row in csv.DictReader(handle):
            phrase = fold(row["phrase"])
            if not phrase:
                continue
            written = tuple(accented_words(row["phrase"]))
            unless = tuple(fold(u) for u in (row.get("unless") or "").split("|") if fold(u))
            rows.append(
                OutOfScope(
                    phrase=phrase,
                    kind=row["kind"],
                    accented=written if " ".join(written) != phrase else (),
                    unless=unless,
                )
            )
    return tuple(sorted(rows, key=lambda r: -len(r.words)))


def out_of_scope_in(
    tokens: Sequence[str], written: Sequence[str] | None
) -> list[tuple[OutOfScope, int]]:
    """The out-of-scope phrases said by the folded ``tokens`` (``written``: the same words with
    their diacritics, or None), with where each starts: a phrase counts unless a word typed with
    diacritics is another word, or the phrase is part of one of its ``unless`` phrases."""
    present = set(tokens)
    found: list[tuple[OutOfScope, int]] = []
    for entry in out_of_scope_entries():
        words = entry.words
        if words[0] not in present:
            continue
        for start in _occurrences(tokens, words):
            if (
                written is not None
                and entry.accented
                and not _same_when_accented(written[start : start + len(words)], entry.accented)
            ):
                continue
            if any(_inside(tokens, start, len(words), u.split()) for u in entry.unless):
                continue
            found.append((entry, start))
            break
    return found


def _same_when_accented(typed: Sequence[str], accented: Sequence[str]) -> bool:
    """Each typed word is the phrase's word, or was typed without diacritics, or is a typo the
    corrector read as the phrase's word ("trnìh" → "trinh"): its diacritics then prove
    nothing."""
    return all(
        t == a or t == fold(t) or fold(t) != fold(a) for t, a in zip(typed, accented, strict=True)
    )


def _occurrences(tokens: Sequence[str], words: Sequence[str]) -> Iterator[int]:
    n = len(words)
    first = words[0]
    for start, token in enumerate(tokens):
        if token == first and tuple(tokens[start : start + n]) == tuple(words):
            yield start


def _inside(tokens: Sequence[str], start: int, length: int, longer: Sequence[str]) -> bool:
    """Whether ``tokens[start:start + length]`` is part of an occurrence of ``longer``."""
    n = len(longer)
    for begin in range(max(0, start + length - n), start + 1):
        if tuple(tokens[begin : begin + n]) == tuple(longer):
            return True
    return False


def _find(tokens: Sequence[str], phrase: Sequence[str], taken: Sequence[bool]) -> int:
    """Index where ``phrase`` occurs in ``tokens`` on positions not yet ``taken``, or -1."""
    n = len(phrase)
    for start in range(len(tokens) - n + 1):
        if list(tokens[start : start + n]) == list(phrase) and not any(taken[start : start + n]):
            return start
    return -1


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class Term:
    """One word of the question to look for, and how much it counts."""

    alternatives: tuple[tuple[str, float], ...]  # (index token, weight)
    share: float  # its part of the coverage: 1 for a typed word, 1/n for a lexicon word, or 0
    text: str

    @property
    def counts(self) -> bool:
        return self.share > 0


@dataclass
class Analysis:
    question: str
    folded: str
    code: str | None
    terms: list[Term] = field(default_factory=list)
    lexicon_hits: list[LexiconEntry] = field(default_factory=list)
    out_of_scope: list[tuple[str, str]] = field(default_factory=list)
    # Content words outside out-of-scope phrases (does the question say more than "ly hôn"?).
    other_words: list[str] = field(default_factory=list)
    levels: frozenset[str] = frozenset()
    only_filler: bool = False  # nothing but filler words ("a", "cho tôi hỏi")
    corrections: dict[str, str] = field(default_factory=dict)  # typo → the word read instead
    tokens: list[str] = field(default_factory=list)  # folded words read (typos corrected)

    @property
    def content(self) -> list[str]:
        return [t.text for t in self.terms if t.counts]


def segment(
    syllables: Sequence[str], compounds: frozenset[str], starts: frozenset[str] | None = None
) -> list[str]:
    """Compound words found in a folded syllable sequence (greedy, longest first). ``starts``
    (the first syllables of the compounds) only makes it faster."""
    out: list[str] = []
    i = 0
    count = len(syllables)
    while i < count:
        if starts is None or syllables[i] in starts:
            for n in range(min(MAX_COMPOUND, count - i), 1, -1):
                joined = "_".join(syllables[i : i + n])
                if joined in compounds:
                    out.append(joined)
                    i += n - 1
                    break
        i += 1
    return out


_MARKS = re.compile(r"[\u0300-\u036f]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fast_fold(text: str) -> str:
    """:func:`motcua.core.text.fold` with regular expressions instead of a per-character loop
    (the same result on Vietnamese text, ≈ 10× faster on the long component lists)."""
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text.lower())).replace("đ", "d")
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def document_tokens(
    text: str, compounds: frozenset[str], starts: frozenset[str] | None = None
) -> list[str]:
    syllables = fast_fold(text).split()
    return syllables + segment(syllables, compounds, starts)


@dataclass(frozen=True)
class Record:
    """One procedure version in force, as the retriever sees it."""

    key: str  # the version id
    code: str
    name: str
    field: str
    level: str  # CompetentLevel (or the seed's level word)
    body: str = ""


@dataclass(frozen=True)
class Hit:
    index: int
    record: Record
    score: float
    coverage: float  # share of the question's content words the procedure matched


class Retriever:
    """BM25 over the procedures of one catalogue; see the module docstring."""

    def __init__(
        self,
        records: Iterable[Record],
        *,
        fingerprint: object = None,
        segmenter: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.records: list[Record] = list(records)
        self.fingerprint = fingerprint
        # What the answers need of each record, composed when the index is built (set by
        # ``motcua.assistant.index``: a ``motcua.assistant.facts.FactsTable``).
        self.facts: object = None
        self._by_code = {r.code: i for i, r in enumerate(self.records)}
        split = segmenter or pyvi_words
        compounds: set[str] = set()
        for record in self.records:
            for word in split(record.name):
                parts = fold(word.replace("_", " ")).split()
                if 2 <= len(parts) <= MAX_COMPOUND:
                    compounds.add("_".join(parts))
        for entry in lexicon():
            for text in (entry.means,):
                words = text.split()
                for a, b in itertools.pairwise(words):
                    compounds.add(f"{a}_{b}")
        self.compounds = frozenset(compounds)
        self._starts = frozenset(c.split("_", 1)[0] for c in compounds)
        self._core_names = [core_name(r.name) for r in self.records]
        self._name_positions = [positions_of(name.split()) for name in self._core_names]
        self._init_caches()
        self._is_commune = np.array([r.level in COMMUNE_LEVELS for r in self.records], dtype=bool)
        import bm25s  # noqa: PLC0415 - the ranking library loads when the index is built

        self._bm25: dict[str, bm25s.BM25] = {}
        vocab: set[str] = set()
        for name in FIELD_WEIGHTS:
            # The name without "Thủ tục" and "(thực hiện tại cấp tỉnh)": the level is the
            # record's own field, boosted when the question names it.
            texts = self._core_names if name == "name" else [getattr(r, name) for r in self.records]
            corpus = [
                document_tokens(text, self.compounds, self._starts) or ["∅"] for text in texts
            ]
            retriever = bm25s.BM25(k1=1.2, b=0.75)
            if corpus:
                retriever.index(corpus, show_progress=False)
            self._bm25[name] = retriever
            vocab.update(t for doc in corpus for t in doc if "_" not in t)
        self.syllables = sorted(vocab)
        # How often each syllable starts or ends a name word pair: the typo corrector's prior.
        self._name_frequency: dict[str, int] = {}
        for core in self._core_names:
            for syllable in set(core.split()):
                self._name_frequency[syllable] = self._name_frequency.get(syllable, 0) + 1
        self._known = frozenset(vocab) | _data_words()

    def __len__(self) -> int:
        return len(self.records)

    # Per process, never saved with the index: the weighted BM25 scores of a token over every
    # procedure (the same for every question that has the token), and the searches of the
    # last questions by their normalised text (the same question asked again, by another
    # citizen or the same one, costs a dictionary look-up).
    def _init_caches(self) -> None:
        self._token_scores: dict[str, npt.NDArray[np.float64]] = {}
        self._searches: OrderedDict[tuple[object, ...], tuple[Analysis, list[Hit]]] = OrderedDict()
        self._searches_lock = threading.Lock()

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        for name in ("_token_scores", "_searches", "_searches_lock"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._init_caches()

    # ----------------------------------------------------------------- question

    def analyse(self, question: str) -> Analysis:  # noqa: PLR0912, PLR0915 -- one pass, in order
        folded = fold(question)
        code = code_in_query(question)
        folded_words = folded.split()
        # Long numbers (an ID, a phone number, a year) say nothing about the procedure.
        keep = [not (t.isdigit() and (code or len(t) >= LONG_NUMBER)) for t in folded_words]
        tokens = [t for t, k in zip(folded_words, keep, strict=True) if k]
        # The same words with their diacritics (aligned with ``tokens``), for the phrases whose
        # accented form decides ("kiện" a lawsuit, "kiến" an opinion).
        written = accented_words(question)
        written_kept = (
            [w for w, k in zip(written, keep, strict=True) if k]
            if len(written) == len(folded_words)
            else None
        )
        analysis = Analysis(question=question, folded=folded, code=code)
        tokens = self._correct(tokens, analysis.corrections)
        if analysis.corrections:
            analysis.folded = " ".join(tokens)
            folded = analysis.folded
        analysis.tokens = tokens
        taken = [False] * len(tokens)
        for said, start in out_of_scope_in(tokens, written_kept):
            analysis.out_of_scope.append((said.phrase, said.kind))
            for i in range(start, start + len(said.words)):
                taken[i] = True
        oos_positions = list(taken)
        oos_words = {t for i, t in enumerate(tokens) if taken[i]}
        taken = [False] * len(tokens)
        sources: list[int] = []
        present = set(tokens)
        for entry in lexicon():
            words = entry.phrase.split()
            if words[0] not in present:
                continue
            start = _find(tokens, words, taken)
            while start >= 0:
                analysis.lexicon_hits.append(entry)
                for i in range(start, start + len(words)):
                    taken[i] = True
                    sources.append(i)
                start = _find(tokens, words, taken)
        for phrase in stopwords():
            words = phrase.split()
            if words[0] not in present:
                continue
            start = _find(tokens, words, taken)
            while start >= 0:
                for i in range(start, start + len(words)):
                    taken[i] = True
                start = _find(tokens, words, taken)
        content = [t for i, t in enumerate(tokens) if not taken[i]]
        if not content and not analysis.lexicon_hits:
            analysis.only_filler = True
            content = tokens  # a question made only of filler words: keep them
        analysis.other_words = [
            t
            for i, t in enumerate(tokens)
            if not taken[i] and not oos_positions[i] and t in content
        ]
        analysis.levels = frozenset(
            level
            for words, levels in _LEVEL_WORDS.items()
            if f" {words} " in f" {folded} "
            for level in levels
        )
        seen: set[str] = set()
        last_content = content[-1] if content else ""
        sequences: list[tuple[list[str], float]] = [(content, 1.0)]
        for entry in analysis.lexicon_hits:
            words = entry.means.split()
            sequences.append((words, 1.0 / len(words)))
        for sequence, share in sequences:
            for token in sequence:
                if token in seen:
                    continue
                seen.add(token)
                alternatives = self._alternatives(token, last=token == last_content)
                # Words of an out-of-scope phrase are searched but not required: does the
                # catalogue speak of the rest of the question?
                own = 0.0 if share == 1.0 and token in oos_words else share
                analysis.terms.append(Term(tuple(alternatives), share=own, text=token))
        # Compounds over the whole question (filler words included: "căn cước" folds to
        # "can cuoc", and "can" is also the filler "cần") and over each lexicon meaning.
        for sequence in [tokens, *(s for s, _share in sequences[1:])]:
            for compound in segment(sequence, self.compounds):
                if compound not in seen:
                    seen.add(compound)
                    analysis.terms.append(Term(((compound, 1.0),), share=0.0, text=compound))
        for i in sorted(set(sources)):
            token = tokens[i]
            if token not in seen:
                seen.add(token)
                analysis.terms.append(
                    Term(((token, LEXICON_SOURCE_WEIGHT),), share=0.0, text=token)
                )
        return analysis

    def _correct(self, tokens: list[str], corrections: dict[str, str]) -> list[str]:
        """Typos corrected in context: a word unknown to the catalogue and to the data files
        becomes the syllable one edit away (optimal string alignment) that forms a compound
        word with a neighbour ("khai sihn" → "khai sinh"), else the one most names use. The
        last word is left alone when it may be the beginning of a word being typed."""
        out = list(tokens)
        for i, token in enumerate(tokens):
            if token in self._known or len(token) < TYPO_MIN_LENGTH or not token.isalpha():
                continue
            candidates = [
                candidate
                for candidate, _distance, _i in process.extract(
                    token, self.syllables, scorer=OSA.distance, score_cutoff=1, limit=None
                )
            ]
            if not candidates:
                continue
            before = out[i - 1] if i > 0 else ""
            after = tokens[i + 1] if i + 1 < len(tokens) else ""

            def rank(candidate: str, before: str = before, after: str = after) -> tuple[int, int]:
                joined = (f"{before}_{candidate}" in self.compounds) + (
                    f"{candidate}_{after}" in self.compounds
                )
                return (joined, self._name_frequency.get(candidate, 0))

            best = max(candidates, key=rank)
            corrections[token] = best
            out[i] = best
        return out

    def _alternatives(self, token: str, *, last: bool) -> list[tuple[str, float]]:
        index = self._bm25["name"].vocab_dict
        known = token in index or token in self._bm25["body"].vocab_dict
        if known:
            return [(token, 1.0)]
        out: list[tuple[str, float]] = []
        if len(token) >= TYPO_MIN_LENGTH:
            for candidate, _distance, _i in process.extract(
                token, self.syllables, scorer=OSA.distance, score_cutoff=1, limit=8
            ):
                out.append((candidate, TYPO_WEIGHT))
        if last and not out and len(token) >= 2:
            start = bisect.bisect_left(self.syllables, token)
            for candidate in self.syllables[start : start + 20]:
                if not candidate.startswith(token):
                    break
                out.append((candidate, PREFIX_WEIGHT))
        return out or [(token, 1.0)]

    # ----------------------------------------------------------------- ranking

    def _token_vector(self, token: str) -> npt.NDArray[np.float64]:
        """The field-weighted BM25 score of ``token`` for every procedure (kept per process)."""
        vector = self._token_scores.get(token)
        if vector is None:
            vector = np.zeros(len(self.records))
            for name, field_weight in FIELD_WEIGHTS.items():
                bm25 = self._bm25[name]
                if token in bm25.vocab_dict:
                    vector += field_weight * bm25.get_scores([token])
            vector.flags.writeable = False
            if len(self._token_scores) >= MAX_CACHED_TOKENS:
                self._token_scores.clear()
            self._token_scores[token] = vector
        return vector

    def _term_scores(self, term: Term) -> npt.NDArray[np.float64]:
        if len(term.alternatives) == 1:
            token, weight = term.alternatives[0]
            vector = self._token_vector(token)
            return vector if weight == 1.0 else weight * vector
        best = np.zeros(len(self.records))
        for token, weight in term.alternatives:
            np.maximum(best, weight * self._token_vector(token), out=best)
        return best

    def search(
        self,
        question: str,
        *,
        limit: int = 20,
        allowed: set[str] | None = None,
        commune_known: bool = False,
        analysis: Analysis | None = None,
        cached: bool = True,
    ) -> tuple[Analysis, list[Hit]]:
        """The best procedures for ``question``, best first (at most ``limit``). The same
        normalised question (case, spaces and Unicode form; diacritics kept: they decide some
        out-of-scope words) is searched once per process and index, then read from memory
        (``cached=False``: searched again, for the benchmark)."""
        key: tuple[object, ...] | None = None
        if analysis is None and allowed is None and cached:
            key = (" ".join(unicodedata.normalize("NFC", question.lower()).split()), limit,
                   commune_known)  # fmt: skip
            with self._searches_lock:
                found = self._searches.get(key)
                if found is not None:
                    self._searches.move_to_end(key)
                    return found
        result = self._search(question, limit=limit, allowed=allowed,
                              commune_known=commune_known, analysis=analysis)  # fmt: skip
        if key is not None:
            with self._searches_lock:
                self._searches[key] = result
                if len(self._searches) > MAX_CACHED_SEARCHES:
                    self._searches.popitem(last=False)
        return result

    def _search(
        self,
        question: str,
        *,
        limit: int,
        allowed: set[str] | None,
        commune_known: bool,
        analysis: Analysis | None,
    ) -> tuple[Analysis, list[Hit]]:
        analysis = analysis or self.analyse(question)
        n = len(self.records)
        if n == 0:
            return analysis, []
        scores = np.zeros(n)
        matched = np.zeros(n)
        counted = 0.0
        for term in analysis.terms:
            term_scores = self._term_scores(term)
            scores += term_scores
            if term.counts:
                counted += term.share
                matched += term.share * (term_scores > 0)
        coverage = matched / max(counted, 1e-9)
        scores *= coverage**2
        if analysis.levels:
            named = np.array([r.level in analysis.levels for r in self.records])
            scores *= np.where(named, LEVEL_BOOST, 1.0)
        scores *= np.where(self._is_commune, COMMUNE_BOOST if commune_known else COMMUNE_PRIOR, 1.0)
        padded = " {} ".format(
            " ".join([analysis.folded, *(e.means for e in analysis.lexicon_hits)])
        )
        for i in np.flatnonzero(scores > 0):
            core = self._core_names[int(i)]
            if core and f" {core} " in padded:
                scores[i] *= WHOLE_NAME_BOOST
        self._phrase_boost(analysis, scores)
        if analysis.code is not None and analysis.code in self._by_code:
            at = self._by_code[analysis.code]
            scores[at] += CODE_SCORE
            coverage[at] = 1.0
        order = np.argsort(-scores, kind="stable")
        hits: list[Hit] = []
        for i in order:
            if scores[i] <= 0 or len(hits) >= limit:
                break
            record = self.records[int(i)]
            if allowed is not None and record.key not in allowed:
                continue
            hits.append(Hit(int(i), record, float(scores[i]), float(coverage[i])))
        return analysis, hits

    def _phrase_boost(self, analysis: Analysis, scores: npt.NDArray[np.float64]) -> None:
        """Proximity (see :data:`PHRASE_MIN`): the longest run of the question's words, in
        order, inside each of the best-scored names."""
        words = analysis.tokens
        if len(words) < PHRASE_MIN:
            return
        positive = np.flatnonzero(scores > 0)
        if len(positive) > PHRASE_CANDIDATES:
            positive = positive[np.argsort(-scores[positive])[:PHRASE_CANDIDATES]]
        for i in positive:
            positions = self._name_positions[int(i)]
            # A run of PHRASE_MIN words needs PHRASE_MIN of the question's words in the name.
            if sum(1 for w in words if w in positions) < PHRASE_MIN:
                continue
            run, at_start = longest_run(words, positions)
            if run >= PHRASE_MIN:
                boost = 1.0 + PHRASE_STEP * (run - PHRASE_MIN + 1)
                scores[i] *= boost * (PHRASE_START if at_start else 1.0)


def positions_of(name: Sequence[str]) -> dict[str, tuple[int, ...]]:
    """Where each syllable occurs in ``name`` (for :func:`longest_run`)."""
    out: dict[str, list[int]] = {}
    for j, syllable in enumerate(name):
        out.setdefault(syllable, []).append(j)
    return {syllable: tuple(at) for syllable, at in out.items()}


def longest_run(
    words: Sequence[str], name: Sequence[str] | dict[str, tuple[int, ...]]
) -> tuple[int, bool]:
    """(length of the longest run of consecutive ``words`` found consecutively in ``name``,
    whether such a run starts ``name``). ``name`` may be given as :func:`positions_of` it."""
    positions = name if isinstance(name, dict) else positions_of(name)
    best, at_start = 0, False
    previous: dict[int, int] = {}
    for word in words:
        current = {j: previous.get(j - 1, 0) + 1 for j in positions.get(word, ())}
        for j, length in current.items():
            starts = j + 1 - length == 0
            if length > best or (length == best and starts and not at_start):
                best, at_start = length, starts
        previous = current
    return best, at_start


@cache
def _data_words() -> frozenset[str]:
    """Every word of the lexicon's phrases, the filler words and the out-of-scope phrases: the
    typo corrector leaves them alone ("cccd", "gplx", "hkd" are not catalogue words)."""
    words: set[str] = set()
    for entry in lexicon():
        words.update(entry.phrase.split())
    for phrase in stopwords():
        words.update(phrase.split())
    for phrase_of in out_of_scope_entries():
        words.update(phrase_of.words)
        for longer in phrase_of.unless:
            words.update(longer.split())
    return frozenset(words)


def pyvi_words(text: str) -> list[str]:
    """Words of accented Vietnamese text by ``pyvi`` (imported here: it loads scikit-learn and
    its CRF model, ≈ 1 s, only when an index is built)."""
    from pyvi import ViTokenizer  # noqa: PLC0415 - the segmenter loads when first used

    return str(ViTokenizer.tokenize(text)).split()
