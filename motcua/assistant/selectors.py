"""Writes and reads of the question log (for the operations centre)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max
from django.utils import timezone

from motcua.assistant.answer import OUT_OF_SCOPE, Reply
from motcua.assistant.models import AskedQuestion
from motcua.core.text import fold, nfc

# A run of 9+ digits, spaces, dots or dashes between them allowed: CMND (9), CCCD (12), phone
# numbers (10-11, "090 123 4567", "+84 90.123.4567"). Shorter numbers (a year, "14 tuổi", a
# procedure code "1.001193") stay.
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s.\-]?\d){8,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CODE = re.compile(r"^\d\.\d{6}$")
MASK = "***"


def mask(text: str) -> str:
    """``text`` with ID-like and phone-like numbers and e-mail addresses replaced by ***."""

    def number(match: re.Match[str]) -> str:
        return match.group(0) if _CODE.match(match.group(0)) else MASK

    return _LONG_NUMBER.sub(number, _EMAIL.sub(MASK, nfc(text)))


def log_question(reply: Reply, *, province_code: int, channel: str) -> AskedQuestion:
    text = mask(reply.question)[:500]
    return AskedQuestion.objects.create(
        province_code=province_code,
        text=text,
        folded=fold(text)[:500],
        behaviour=reply.behaviour,
        reason=reply.reason,
        codes=reply.codes[:5],
        channel=channel,
    )


@dataclass(frozen=True)
class QuestionCount:
    text: str
    count: int
    last_asked: datetime


def _counted(since: datetime | None, limit: int, **filters: object) -> list[QuestionCount]:
    since = since or timezone.now() - timedelta(days=30)
    rows = (
        AskedQuestion.objects.filter(asked_at__gte=since, **filters)
        .values("folded")
        .annotate(n=Count("id"), last=Max("asked_at"), text=Max("text"))
        .order_by("-n", "-last")[:limit]
    )
    return [QuestionCount(r["text"], r["n"], r["last"]) for r in rows]


def most_asked(
    province_code: int, *, since: datetime | None = None, limit: int = 10
) -> list[QuestionCount]:
    """The questions asked most often (grouped without diacritics) in the last 30 days."""
    return _counted(since, limit, province_code=province_code)


def unanswered(
    province_code: int, *, since: datetime | None = None, limit: int = 10
) -> list[QuestionCount]:
    """Questions the catalogue had nothing for (not the refused court cases or chit-chat): the
    lexicon or the catalogue may be missing a word."""
    return _counted(
        since, limit, province_code=province_code, behaviour=OUT_OF_SCOPE, reason="nothing"
    )
