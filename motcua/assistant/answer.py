"""What the assistant says: a behaviour chosen from the ranking, facts read from the record.

Three behaviours:

* ``answer`` — the best procedure with its facts (what to bring, fee, time limit and the due date
  if filed now, where to file, online or not), then the next ones;
* ``clarify`` — several procedures fit equally and differ in words the citizen must choose
  ("dưới 14 tuổi" / "từ đủ 14 tuổi"): 2–4 choices with the words that tell them apart;
* ``out_of_scope`` — a court case, a police matter, a private dispute or chit-chat, or nothing
  in the catalogue fits: said politely, with the feedback channel and the hotline.

Nothing is invented: every sentence about a procedure is read from its catalogue record and the
answer cites its national code and legal basis (``citations``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.assistant import index as assistant_index
from motcua.assistant.facts import Facts, FactsTable, due, facts_from_table, facts_of
from motcua.assistant.llm import rephrase
from motcua.assistant.retrieval import Analysis, Hit, core_name
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import current_versions
from motcua.core.errors import NotFound
from motcua.core.text import fold
from motcua.dossiers.actions.core import time_limit
from motcua.geo.models import Commune
from motcua.worktime import calc

ANSWER = "answer"
CLARIFY = "clarify"
OUT_OF_SCOPE = "out_of_scope"
BEHAVIOURS = (ANSWER, CLARIFY, OUT_OF_SCOPE)

MAX_CODES = 5
MIN_COVERAGE = 0.5  # below: the catalogue does not speak of what was asked
MIN_SCORE = 4.0  # BM25 points of the best procedure below which nothing fits
CLOSE = 0.93  # a second procedure this close to the first is an equal candidate
MAX_CHOICES = 4
MAX_QUESTION = 500
SAID_MORE_WORDS = 3  # an out-of-scope word in a longer question about a procedure
SAID_MORE_SCORE = 20.0
SAID_MORE_COVERAGE = 0.8
# Kinds whose phrase names what the question is about, whatever else it says: a question about
# a State body's internal process is not a procedure even when its other words ("công bố danh
# mục") match one; only a procedure whose name holds the phrase itself is answered.
DECISIVE_KINDS = frozenset({"internal"})


class BadQuestion(ValueError):
    """An empty or too long question (the caller answers 400 / exit code 2)."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class Choice:
    code: str
    name: str
    words: str  # what tells it apart from the other choices


@dataclass(frozen=True)
class Citation:
    code: str
    legal_basis: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "legal_basis": self.legal_basis}


@dataclass
class Reply:
    question: str
    behaviour: str
    codes: list[str]
    text: str
    citations: list[Citation] = field(default_factory=list)
    facts: Facts | None = None
    choices: list[Choice] = field(default_factory=list)
    others: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    reason: str = ""  # out_of_scope: court, police, private, chat or nothing
    ms: float = 0.0
    rephrased: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "behaviour": self.behaviour,
            "codes": self.codes[:MAX_CODES],
            "answer": self.text,
            "citations": [c.as_dict() for c in self.citations],
            "ms": round(self.ms, 2),
        }


def check_question(question: str) -> str:
    text = " ".join(question.split())
    if not text:
        raise BadQuestion("Hãy nhập câu hỏi.", "Enter a question.")
    if len(text) > MAX_QUESTION:
        raise BadQuestion(
            f"Câu hỏi dài quá {MAX_QUESTION} ký tự.",
            f"The question is longer than {MAX_QUESTION} characters.",
        )
    return text


# --------------------------------------------------------------------------- behaviour


def _distinct(hits: list[Hit]) -> list[Hit]:
    """One hit per name once "(thực hiện tại cấp tỉnh)" is set aside (the commune one first)."""
    seen: set[str] = set()
    out: list[Hit] = []
    for hit in hits:
        name = core_name(hit.record.name)
        if name not in seen:
            seen.add(name)
            out.append(hit)
    return out


def choose(analysis: Analysis, hits: list[Hit]) -> tuple[str, str, list[Hit]]:
    """(behaviour, out-of-scope reason, the hits to offer)."""
    best = hits[0] if hits else None
    if analysis.out_of_scope:
        kind = analysis.out_of_scope[0][1]
        # "ghi vào sổ hộ tịch việc ly hôn" says more than the out-of-scope phrase, and the
        # catalogue matches what it says: it is a procedure.
        phrase = analysis.out_of_scope[0][0]
        said_more = (
            best is not None
            and best.score >= SAID_MORE_SCORE
            and (
                (
                    f" {phrase} " in f" {core_name(best.record.name)} "
                    and best.coverage >= SAID_MORE_COVERAGE
                )
                or (
                    kind not in DECISIVE_KINDS
                    and len(analysis.other_words) >= SAID_MORE_WORDS
                    and best.coverage >= 0.99
                )
            )
        )
        if not said_more:
            return OUT_OF_SCOPE, kind, []
    weak = best is None or best.coverage < MIN_COVERAGE or best.score < MIN_SCORE
    if best is None or (analysis.code is None and (weak or analysis.only_filler)):
        return OUT_OF_SCOPE, "nothing", []
    if analysis.code is not None:
        return ANSWER, "", hits
    distinct = _distinct(hits)
    top = distinct[0]
    typed = f" {' '.join([analysis.folded, *(e.means for e in analysis.lexicon_hits)])} "
    if f" {core_name(top.record.name)} " in typed:
        return ANSWER, "", distinct  # the citizen named it exactly
    close = [h for h in distinct[:MAX_CHOICES] if h.score >= CLOSE * top.score]
    if len(close) >= 2:
        return CLARIFY, "", close
    return ANSWER, "", distinct


def _distinguishing(choices: list[Hit], analysis: Analysis) -> list[str]:
    names = [core_name(h.record.name).split() for h in choices]
    common = set(names[0]).intersection(*map(set, names[1:]))
    asked = set(analysis.folded.split())
    out: list[str] = []
    for hit, words in zip(choices, names, strict=True):
        original = hit.record.name
        differing = [w for w in words if w not in common and w not in asked]
        out.append(_original_words(original, differing) or original)
    return out


def _original_words(name: str, folded_words: list[str]) -> str:
    """The words of ``name`` (accented, in order) whose folded form is in ``folded_words``."""
    wanted = set(folded_words)
    words = [w for w in name.replace("(", " ").replace(")", " ").split() if fold(w) in wanted]
    return " ".join(words[:8])


# --------------------------------------------------------------------------- facts


def _version(province_id: int, code: str) -> ProcedureVersion:
    version = (
        current_versions(province_id)
        .filter(procedure__code_national=code)
        .select_related("procedure", "field")
        .first()
    )
    if version is None:
        raise NotFound("Không tìm thấy thủ tục", "Procedure not found")
    return version


# Facts of a procedure are the same until the catalogue changes: kept per process, keyed by the
# index's fingerprint, the commune and the language; only the due date is computed per question.
_FACTS: dict[tuple[object, ...], tuple[Facts, calc.TimeLimit | None]] = {}
MAX_CACHED_FACTS = 2000


def cached_facts(
    province_id: int,
    code: str,
    *,
    fingerprint: object,
    commune: Commune | None,
    now: datetime | None,
) -> Facts:
    key = (fingerprint, province_id, code, commune.pk if commune else None, get_language())
    entry = _FACTS.get(key)
    if entry is None:
        version = _version(province_id, code)
        entry = (facts_of(version, commune=commune, now=now), time_limit(version))  # reads
        if len(_FACTS) >= MAX_CACHED_FACTS:
            _FACTS.clear()
        _FACTS[key] = entry
        return entry[0]
    facts, limit = entry
    return replace(facts, due_if_filed_now=due(limit, province_id, now))


def _facts_text(facts: Facts) -> str:
    lines = [
        _("Thủ tục phù hợp nhất: {name} (mã {code}).").format(name=facts.name, code=facts.code)
    ]
    if facts.bring:
        lines.append(_("Cần mang:"))
        for name, held in facts.bring:
            if held:
                lines.append(
                    "- "
                    + _("{name} — không phải mang nếu đã có trong {db} (R-REUSE)").format(
                        name=name, db=held
                    )
                )
            else:
                lines.append(f"- {name}")
    lines.append(_("Phí, lệ phí: {fee}").format(fee="; ".join(facts.fee) or _("không thu")))
    limit = _("Thời hạn giải quyết: {limit}").format(limit=facts.time_limit)
    if facts.due_if_filed_now is not None:
        limit += " " + _("(nộp ngay bây giờ: hẹn trả {due:%H:%M} ngày {due:%d/%m/%Y})").format(
            due=facts.due_if_filed_now
        )
    lines.append(limit)
    if facts.where:
        lines.append(_("Cơ quan giải quyết: {where}").format(where=facts.where))
    if facts.centres:
        lines.append(
            _(
                "Không phụ thuộc địa giới hành chính: nộp tại bất kỳ Trung tâm Phục vụ hành chính "
                "công nào, ví dụ {centres}."
            ).format(centres="; ".join(facts.centres))
        )
    lines.append(facts.online)
    if facts.legal_basis:
        lines.append(_("Căn cứ pháp lý: {basis}").format(basis=facts.legal_basis))
    return "\n".join(lines)


def out_of_scope_text(reason: str) -> str:
    hotline = getattr(settings, "MOTCUA_ASSISTANT_HOTLINE", "1022")
    lead = {
        "court": _("Việc này do Tòa án giải quyết, không phải một thủ tục hành chính của tỉnh."),
        "police": _("Việc này cần trình báo cơ quan Công an, không phải một thủ tục hành chính."),
        "private": _("Đây là việc dân sự giữa các bên, không phải một thủ tục hành chính."),
        "labour": _(
            "Tranh chấp về tiền lương, việc làm với người sử dụng lao động do hòa giải viên lao "
            "động, Hội đồng trọng tài lao động hoặc Tòa án giải quyết, không phải một thủ tục "
            "hành chính."
        ),
        "internal": _(
            "Đây là văn bản, quy trình nội bộ của cơ quan nhà nước, không phải một thủ tục hành "
            "chính người dân thực hiện."
        ),
        "chat": _("Xin chào! Tôi chỉ trả lời về thủ tục hành chính của tỉnh."),
    }.get(reason, _("Tôi chưa tìm thấy thủ tục hành chính nào phù hợp với câu hỏi."))
    return " ".join(
        [
            lead,
            _(
                "Bạn có thể gửi phản ánh, kiến nghị tại {url} hoặc gọi đường dây nóng {hotline}."
            ).format(url=reverse("portal:petition_new"), hotline=hotline),
        ]
    )


# --------------------------------------------------------------------------- entry point


def ask(
    question: str,
    *,
    province: int | None = None,
    commune: Commune | None = None,
    now: datetime | None = None,
    with_facts: bool = True,
) -> Reply:
    """Answer ``question`` from the catalogue of ``province`` (the configured one by default)."""
    started = time.perf_counter()
    text = check_question(question)
    province_id = province if province is not None else settings.MOTCUA_PROVINCE_CODE
    retriever = assistant_index.retriever(province_id)
    analysis, hits = retriever.search(text, limit=12, commune_known=commune is not None)
    behaviour, reason, offered = choose(analysis, hits)
    reply = Reply(question=text, behaviour=behaviour, codes=[], text="", reason=reason)
    if behaviour == OUT_OF_SCOPE:
        reply.text = out_of_scope_text(reason)
    elif behaviour == CLARIFY:
        words = _distinguishing(offered, analysis)
        reply.choices = [
            Choice(h.record.code, h.record.name, w) for h, w in zip(offered, words, strict=True)
        ]
        reply.codes = [h.record.code for h in offered]
        # The ranking goes on after the choices (at most MAX_CODES codes in all).
        rest = [h.record.code for h in _distinct(hits) if h.record.code not in reply.codes]
        reply.codes += rest[: max(0, MAX_CODES - len(reply.codes))]
        reply.text = "\n".join(
            [_("Câu hỏi phù hợp với nhiều thủ tục. Bạn cần thủ tục nào?")]
            + [f"- {c.name} ({c.code}): {c.words}" for c in reply.choices]
        )
        reply.citations = _citations(province_id, [c.code for c in reply.choices], retriever.facts)
    else:
        reply.codes = [h.record.code for h in offered[:MAX_CODES]]
        reply.others = [(h.record.code, h.record.name) for h in offered[1:MAX_CODES]]
        if with_facts:
            table = retriever.facts if isinstance(retriever.facts, FactsTable) else None
            stored = (
                facts_from_table(table, reply.codes[0], commune=commune, now=now)
                if table is not None
                else None
            )
            reply.facts = stored or cached_facts(
                province_id,
                reply.codes[0],
                fingerprint=retriever.fingerprint,
                commune=commune,
                now=now,
            )
            reply.text = _facts_text(reply.facts)
            reply.citations = [Citation(reply.facts.code, reply.facts.legal_basis)]
        else:
            reply.text = offered[0].record.name
            reply.citations = _citations(province_id, reply.codes[:1], retriever.facts)
    if reply.behaviour == ANSWER and settings.MOTCUA_ASSISTANT_LLM_URL:
        reply = rephrase(reply)
    reply.ms = (time.perf_counter() - started) * 1000
    return reply


def _citations(province_id: int, codes: list[str], table: object = None) -> list[Citation]:
    """The codes with their legal basis: from the index's facts table, else read now."""
    if isinstance(table, FactsTable):
        known = [(code, table.legal_basis(code)) for code in codes]
        if all(basis is not None for _code, basis in known):
            return [Citation(code, basis) for code, basis in known if basis is not None]
    basis = dict(
        current_versions(province_id)
        .filter(procedure__code_national__in=codes)
        .values_list("procedure__code_national", "legal_basis")
    )
    return [Citation(code, basis[code]) for code in codes if code in basis]
