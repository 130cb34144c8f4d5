"""The rating page behind the signed link (SMS, counter QR, portal): /danh-gia/<token>/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core import idempotency
from motcua.core.errors import MotcuaError
from motcua.dossiers.states import State
from motcua.feedback.api import dossier_of_token, rate_once
from motcua.feedback.models import Rating, Score


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        dossier, channel = dossier_of_token(token)
    except MotcuaError as exc:
        return render(request, "feedback/rate.html", {"error": exc.message}, status=404)
    # One key per showing of the form: a double click or a resend records one rating and
    # answers the thanks again (issue #12), not "already rated".
    key = request.POST.get(idempotency.FORM_FIELD) or idempotency.new_key()
    context: dict[str, Any] = {"dossier": dossier, "scores": Score.choices, "key": key}
    existing = Rating.objects.filter(dossier=dossier).first()
    if existing is not None and request.method == "GET":
        context["done"] = existing
        return render(request, "feedback/rate.html", context)
    if dossier.state != State.RETURNED:
        context["error"] = _(
            "Hồ sơ chưa trả kết quả nên chưa đánh giá được. Hãy đánh giá sau khi nhận kết quả."
        )
        return render(request, "feedback/rate.html", context, status=409)
    if request.method == "POST":
        raw = request.POST.get("score", "")
        context["comment"] = request.POST.get("comment", "")[:1000]
        if not raw.isdigit() or not 1 <= int(raw) <= 5:
            context["field_error"] = _("Hãy chọn một mức độ hài lòng.")
            return render(request, "feedback/rate.html", context, status=422)
        try:
            context["done"] = rate_once(
                dossier,
                channel,
                key=key if request.POST.get(idempotency.FORM_FIELD) else None,
                score=int(raw),
                comment=context["comment"],
            )
        except MotcuaError as exc:
            context["error"] = exc.message
            return render(request, "feedback/rate.html", context, status=409)
        context["thanks"] = True
    return render(request, "feedback/rate.html", context)
