"""/tro-ly/: the assistant's chat panel. A plain GET form without JavaScript; with htmx the
answer is swapped in below the form. The same :func:`motcua.assistant.answer.ask` as the API and
the CLI."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.assistant.answer import BadQuestion, Reply, ask
from motcua.assistant.selectors import log_question
from motcua.core.htmx import wants_fragment
from motcua.geo.models import Commune

EXAMPLES = (
    "làm giấy khai sinh cho con cần gì",
    "sổ đỏ mất thì làm lại ở đâu",
    "cccd het han",
)


def chat(request: HttpRequest) -> HttpResponse:
    question = request.GET.get("q", "")
    commune_code = request.GET.get("xa", "")
    commune = (
        Commune.objects.filter(code=int(commune_code)).first() if commune_code.isdigit() else None
    )
    reply: Reply | None = None
    error = ""
    if question.strip():
        try:
            reply = ask(question, commune=commune)
        except BadQuestion as exc:
            error = exc.message if request.LANGUAGE_CODE.startswith("vi") else exc.message_en
        else:
            log_question(reply, province_code=settings.MOTCUA_PROVINCE_CODE, channel="portal")
    elif "q" in request.GET:
        error = BadQuestion("Hãy nhập câu hỏi.", "Enter a question.").message
    context = {
        "question": question,
        "reply": reply,
        "error": error,
        "examples": EXAMPLES,
        "commune": commune,
    }
    if wants_fragment(request):
        return render(request, "assistant/partials/reply.html", context)
    return render(request, "assistant/chat.html", context)
