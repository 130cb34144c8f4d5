""" "Hồ sơ của tôi": a logged-in citizen's dossiers and drafts, each with its public timeline
(the same wording as the public tracking page) and, once returned, the rating form."""

from __future__ import annotations

import contextlib
import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import MotcuaError, NotFound
from motcua.core.uploads import JPEG, PDF, PNG, sniff
from motcua.documents.models import SignedDocument
from motcua.dossiers.actions import do_return_result
from motcua.dossiers.models import Channel, Delivery, Dossier
from motcua.dossiers.results import signed_result_of
from motcua.dossiers.selectors import access_dossier, dossiers_visible_to
from motcua.dossiers.states import BADGE, CITIZEN_TEXT, LABEL_VI, State
from motcua.feedback.actions import can_rate
from motcua.feedback.models import Rating, RatingChannel
from motcua.feedback.tokens import make_token
from motcua.payments.quotes import fee_notice
from motcua.payments.selectors import orders_of_dossier
from motcua.portal.auth import citizen_required
from motcua.portal.models import Draft
from motcua.portal.tracking import PUBLIC_STEPS, reference_of


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


def delivery_message(dossier: Dossier) -> str:
    """What the citizen should do now, for the way they chose to receive the result."""
    state = State(dossier.state)
    if state not in (State.RESULT_READY, State.RETURNED):
        return CITIZEN_TEXT[state]
    address = dossier.applicant_address or "—"
    unit = dossier.return_unit.name
    messages = {
        (State.RESULT_READY, Delivery.ONLINE): _(
            "Kết quả điện tử đã có. Tải kết quả đã ký số ở dưới; sau khi tải, bạn có thể "
            "đánh giá ngay."
        ),
        (State.RESULT_READY, Delivery.POST): _(
            "Đã có kết quả; kết quả sẽ được gửi qua bưu chính đến địa chỉ: {address}."
        ),
        (State.RESULT_READY, Delivery.COUNTER): _(
            "Đã có kết quả. Mời bạn đến {unit} nhận kết quả, mang theo Giấy tiếp nhận hồ sơ "
            "và giấy tờ tùy thân."
        ),
        (State.RETURNED, Delivery.ONLINE): _(
            "Bạn đã nhận kết quả trực tuyến. Bạn có thể tải lại bất cứ lúc nào."
        ),
        (State.RETURNED, Delivery.POST): _(
            "Kết quả đã được gửi qua bưu chính đến địa chỉ: {address}."
        ),
        (State.RETURNED, Delivery.COUNTER): _("Bạn đã nhận kết quả tại {unit}."),
    }
    text = messages.get((state, Delivery(dossier.result_delivery)), CITIZEN_TEXT[state])
    return text.format(address=address, unit=unit)


def next_steps(dossier: Dossier) -> str:
    """After an online submission: what happens next, by delivery method."""
    method = dossier.result_delivery
    if method == Delivery.ONLINE:
        then = _("Khi có kết quả, bạn tải kết quả điện tử đã ký số tại trang hồ sơ.")
    elif method == Delivery.POST:
        then = _("Khi có kết quả, kết quả được gửi qua bưu chính đến địa chỉ bạn đã khai.")
    else:
        then = _("Khi có kết quả, bạn nhận tại {unit}.").format(unit=dossier.return_unit.name)
    first = _(
        "{unit} sẽ kiểm tra và tiếp nhận hồ sơ; bạn nhận tin nhắn và thông báo khi hồ sơ được "
        "tiếp nhận, kèm mã hồ sơ chính thức."
    ).format(unit=dossier.receiving_unit.name)
    return f"{first} {then}"


@citizen_required
def submitted(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The confirmation after an online submission: a reference to quote and track at once,
    before an officer has received the dossier (issue #14 item 3)."""
    user = _citizen(request)
    try:
        dossier = access_dossier(user, dossier_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    context = {
        "dossier": dossier,
        "reference": reference_of(dossier),
        "next_steps": next_steps(dossier),
        "state_label": LABEL_VI[State(dossier.state)],
    }
    return render(request, "portal/account/submitted.html", context)


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
        "state_plain": delivery_message(dossier),
        "reference": reference_of(dossier) if dossier.channel == Channel.ONLINE else "",
        "badge": BADGE.get(state, ""),
        "steps": steps,
        "components": list(dossier.components.all()),
        "rating": Rating.objects.filter(dossier=dossier).first(),
        "rating_token": make_token(dossier, RatingChannel.PORTAL) if can_rate(dossier) else "",
        "result": _signed_result(dossier),
        "orders": list(orders_of_dossier(dossier)),
        "can_pay": dossier.state == State.AWAITING_PAYMENT,
        "fee": fee_notice(dossier),
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
    if dossier.state == State.RESULT_READY and dossier.result_delivery == Delivery.ONLINE:
        # Downloading an online result is receiving it (R-RES-01): the dossier is returned,
        # and the citizen may rate it at once (R-SAT-01).
        # A concurrent download may have returned it first: the file is served all the same.
        with contextlib.suppress(MotcuaError):
            do_return_result(dossier, acting_user=None, at_unit=None, method=Delivery.ONLINE)
    with document.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{dossier.code}.pdf"'
    return response


@citizen_required
def component_file(request: HttpRequest, dossier_id: uuid.UUID, component_id: int) -> HttpResponse:
    """The citizen opens a document they uploaded (or had scanned) in their own dossier
    (issue #14): only the applicant's own dossier (``access_dossier`` scopes it; missing and
    forbidden look the same), shown inline, never cached, never sniffed as HTML."""
    user = _citizen(request)
    try:
        dossier = access_dossier(user, dossier_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    component = dossier.components.filter(pk=component_id).exclude(file="").first()
    if component is None:
        raise Http404
    with component.file.open("rb") as handle:
        content = handle.read()
    content_type = sniff(content[:16])
    if content_type is None:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    extension = {PDF: "pdf", JPEG: "jpg", PNG: "png"}[content_type]
    response["Content-Disposition"] = f'inline; filename="giay-to-{component.pk}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
