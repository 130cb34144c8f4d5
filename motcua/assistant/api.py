"""/api/v1/assistant/ask: the procedure assistant, the same answers as the portal and the CLI."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema

from motcua.assistant.answer import BadQuestion, Reply, ask
from motcua.assistant.selectors import log_question
from motcua.core.errors import ValidationFailed
from motcua.core.schemas import ErrorOut
from motcua.geo.models import Commune

router = Router(tags=["assistant"])


class AskIn(Schema):
    q: str
    commune: int | None = None  # the citizen's commune code: nearest centre, commune boost


class CitationOut(Schema):
    code: str
    legal_basis: str


class ChoiceOut(Schema):
    code: str
    name: str
    words: str


class ComponentOut(Schema):
    name: str
    held_by: str  # the national database that already holds it (R-REUSE), or ""


class FactsOut(Schema):
    code: str
    name: str
    url: str
    apply_url: str
    field: str
    level: str
    bring: list[ComponentOut]
    fee: list[str]
    time_limit: str
    due_if_filed_now: str | None
    where: str
    centres: list[str]
    online: str
    legal_basis: str


class AskOut(Schema):
    question: str
    behaviour: str
    codes: list[str]
    answer: str
    citations: list[CitationOut]
    ms: float
    facts: FactsOut | None
    choices: list[ChoiceOut]


_SPECIAL = {"bring", "due_if_filed_now"}


def reply_out(reply: Reply) -> dict[str, object]:
    facts = reply.facts
    return {
        **reply.as_dict(),
        "facts": None
        if facts is None
        else {
            **{k: getattr(facts, k) for k in FactsOut.model_fields if k not in _SPECIAL},
            "bring": [{"name": n, "held_by": h} for n, h in facts.bring],
            "due_if_filed_now": due.isoformat() if (due := facts.due_if_filed_now) else None,
        },
        "choices": [{"code": c.code, "name": c.name, "words": c.words} for c in reply.choices],
    }


def commune_of(code: int | None) -> Commune | None:
    return None if code is None else Commune.objects.filter(code=code).first()


@router.get("/ask", response={200: AskOut, 422: ErrorOut}, summary="Hỏi trợ lý thủ tục")
def ask_endpoint(request: HttpRequest, params: Query[AskIn]) -> dict[str, object]:
    """Trả lời câu hỏi về thủ tục hành chính chỉ từ danh mục thủ tục và lịch làm việc: `answer`
    (thủ tục phù hợp nhất và thông tin của nó), `clarify` (2–4 lựa chọn) hoặc `out_of_scope`.

    Answers a question from the catalogue and the calendar only; every fact cites the procedure
    code and its legal basis. Questions are logged without personal data."""
    province = settings.MOTCUA_PROVINCE_CODE
    try:
        reply = ask(params.q, province=province, commune=commune_of(params.commune))
    except BadQuestion as exc:
        raise ValidationFailed(exc.message, exc.message_en, field="q") from exc
    log_question(reply, province_code=province, channel="api")
    return reply_out(reply)
