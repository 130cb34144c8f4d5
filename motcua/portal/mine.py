""" "Hồ sơ của tôi": a logged-in citizen's dossiers and drafts, each with its public timeline
(the same wording as the public tracking page) and, once returned, the rating form."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.models import User
from motcua.core.errors import NotFound
from motcua.documents.models import SignedDocument
from motcua.dossiers.models import Dossier
from motcua.dossiers.results import signed_result_of
from motcua.dossiers.selectors import access_dossier, dossiers_visible_to
from motcua.dossiers.states import BADGE, CITIZEN_TEXT, LABEL_VI, State
from motcua.feedback.actions import can_rate
from motcua.feedback.models import Rating, RatingChannel
from motcua.feedback.tokens import make_token
from motcua.payments.selectors import orders_of_dossier
from motcua.portal.auth import citizen_required
from motcua.portal.models import Draft
from motcua.portal.tracking import PUBLIC_STEPS


def _citizen(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@citizen_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    user = _citizen(request)
    dossiers = dossiers_visible_to(user).order_by("-submitted_at")[:200]
    rows = [
        (d, LABEL_VI[State(d.state)], CITIZEN_TEXT[State(d.state)], BADGE.get(State(d.state), ""))
        for d in dossiers
    ]
    drafts = list(Draft.objects.filter(citizen=user, submitted_at=None))
    return render(request, "portal/account/mine.html", {"rows": rows, "drafts": drafts})


@citizen_required
def dossier_detail(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    user = _citizen(request)
    try:
        dossier = access_dossier(user, dossier_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    state = State(dossier.state)
    steps = [
        (e.at, PUBLIC_STEPS[e.kind], e.unit.name if e.unit else "", e.reason)
        for e in dossier.events.select_related("unit").order_by("seq")
        if e.kind in PUBLIC_STEPS
    ]
    context = {
        "dossier": dossier,
        "state_label": LABEL_VI[state],
        "state_plain": CITIZEN_TEXT[state],
        "badge": BADGE.get(state, ""),
        "steps": steps,
        "components": list(dossier.components.all()),
        "rating": Rating.objects.filter(dossier=dossier).first(),
        "rating_token": make_token(dossier, RatingChannel.PORTAL) if can_rate(dossier) else "",
        "result": _signed_result(dossier),
        "orders": list(orders_of_dossier(dossier)),
        "can_pay": dossier.state == State.AWAITING_PAYMENT,
    }
    return render(request, "portal/account/dossier.html", context)


def _signed_result(dossier: Dossier) -> SignedDocument | None:
    if dossier.state not in (State.RESULT_READY, State.RETURNED):
        return None
    try:
        return signed_result_of(dossier)
    except NotFound:
        return None


@citizen_required
def result_pdf(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The applicant downloads their signed result (R-RES-03, Decree 45/2020 Art. 14)."""
    user = _citizen(request)
    try:
        dossier = access_dossier(user, dossier_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    document = _signed_result(dossier)
    if document is None:
        raise Http404
    with document.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{dossier.code}.pdf"'
    return response
