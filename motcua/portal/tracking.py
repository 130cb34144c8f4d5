"""Public tracking of a dossier: its code plus something only the applicant knows (the last four
digits of the phone number given at receipt), so codes cannot be enumerated; rate-limited per
address. The QR code on Form 01 opens this page with the code filled in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core import limits
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import LABEL_VI, PUBLIC_STATE_STEPS, State
from motcua.feedback.actions import can_rate
from motcua.feedback.models import RatingChannel
from motcua.feedback.tokens import make_token

WINDOW_SECONDS = 15 * 60
#: The steps the public sees: every state's (``dossiers.states.STATES``) and these.
PUBLIC_STEPS = {
    **PUBLIC_STATE_STEPS,
    "dossier:payment:paid": "Đã thanh toán phí, lệ phí trực tuyến",
    "dossier:deadline:extended": "Hẹn lại ngày trả kết quả",
    "dossier:deadline:redated": "Điều chỉnh ngày hẹn theo lịch làm việc",
}


def track(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("ma") or request.GET.get("ma") or "").strip().upper()[:60]
    digits = (request.POST.get("so") or "").strip()[-4:]
    context: dict[str, Any] = {"code": code}
    if request.method != "POST":
        return render(request, "portal/track.html", context)
    # The attempt is counted atomically BEFORE the lookup (issue #12 item 6): concurrent
    # guesses cannot pass the limit; a successful lookup gives its attempt back.
    if not limits.take(
        "track", request, limit=settings.MOTCUA_TRACKING_ATTEMPTS, window_seconds=WINDOW_SECONDS
    ):
        context["error"] = _("Bạn đã tra cứu sai quá nhiều lần. Hãy thử lại sau 15 phút.")
        return render(request, "portal/track.html", context, status=429)
    dossier = None
    if code and len(digits) == 4 and digits.isdigit():
        dossier = (
            Dossier.objects.select_related("procedure_version", "return_unit", "competent_unit")
            .filter(code=code, applicant_phone__endswith=digits)
            .first()
        )
    if dossier is None:
        context["error"] = _(
            "Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này. Hãy kiểm tra lại Giấy "
            "tiếp nhận hồ sơ."
        )
        return render(request, "portal/track.html", context, status=404)
    limits.give_back("track", request, window_seconds=WINDOW_SECONDS)
    context.update(
        dossier=dossier,
        state_label=LABEL_VI[State(dossier.state)],
        steps=[
            (e.at, PUBLIC_STEPS.get(e.kind, ""), e.unit.name if e.unit else "")
            for e in dossier.events.select_related("unit").order_by("seq")
            if e.kind in PUBLIC_STEPS
        ],
        # Who proved the phone digits may rate a returned dossier once (R-SAT-01).
        rating_token=make_token(dossier, RatingChannel.PORTAL) if can_rate(dossier) else "",
    )
    return render(request, "portal/track.html", context)
