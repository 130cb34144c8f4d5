"""Payment pages for the payer (/thanh-toan/…) and the platform's callback endpoint.

The views parse, call one action or selector, and render. The server callback is a JSON POST
from the platform (no session, no CSRF token: its checksum is the authentication, R-PAY-07).
"""

from __future__ import annotations

import io
import json
import uuid

import segno
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from motcua.catalog.fees import format_vnd
from motcua.core.errors import MotcuaError, NotFound
from motcua.dossiers.selectors import access_dossier
from motcua.payments.actions import (
    do_apply_confirmation,
    do_create_payment_order,
    do_start_online_payment,
)
from motcua.payments.models import CallbackOutcome, OrderStatus, PaymentOrder
from motcua.payments.selectors import beneficiary, order_by_id, transfer_code, vietqr_payload


def _order(order_id: uuid.UUID) -> PaymentOrder:
    try:
        return order_by_id(order_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "127.0.0.1")


@login_required
@require_POST
def create_for_dossier(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The applicant (or an officer in scope) asks to pay a dossier's fee."""
    try:
        dossier = access_dossier(request.user, dossier_id)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        order = do_create_payment_order(dossier, acting_user=request.user)  # type: ignore[arg-type]
    except MotcuaError as exc:
        return render(request, "payments/error.html", {"error": exc.message}, status=409)
    return redirect("payments:order", order_id=order.pk)


@require_GET
def order_page(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = _order(order_id)
    payload = vietqr_payload(order) if order.status == OrderStatus.PENDING else ""
    return render(
        request,
        "payments/order.html",
        {
            "order": order,
            "dossier": order.dossier,
            "amount": format_vnd(order.amount),
            "lines": [(x["description"], format_vnd(x["amount"])) for x in order.lines],
            "qr_svg": segno.make_qr(payload, error="m").svg_inline(scale=4, border=4)
            if payload
            else "",
            "transfer_code": transfer_code(order),
            "beneficiary": beneficiary(),
            "error": request.GET.get("loi") == "1",
        },
    )


@require_POST
def start_online(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    """ "Thanh toán qua Cổng thanh toán": INIT, then off to the platform's payment page."""
    order = _order(order_id)
    return_url = request.build_absolute_uri(reverse("payments:return", args=[order.pk]))
    notify_url = request.build_absolute_uri(reverse("payments:callback"))
    try:
        url = do_start_online_payment(
            order, return_url=return_url, notify_url=notify_url, ip=_client_ip(request)
        )
    except MotcuaError as exc:
        return render(
            request, "payments/error.html", {"error": exc.message, "order": order}, status=502
        )
    return HttpResponseRedirect(url, status=303)


@require_GET
def return_page(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    """The browser comes back with the signed confirmation fields; they are applied exactly as
    the server callback is (whichever arrives first wins, the other changes nothing)."""
    order = _order(order_id)
    outcome = ""
    if request.GET.get("MaXacThuc"):
        fields = {k: request.GET[k] for k in request.GET}
        if fields.get("MaThamChieu") == order.reference:
            outcome = do_apply_confirmation(fields, source="return").outcome
        else:
            outcome = CallbackOutcome.BAD_CHECKSUM
        order.refresh_from_db()
    return render(
        request,
        "payments/return.html",
        {
            "order": order,
            "amount": format_vnd(order.amount),
            "rejected": outcome == CallbackOutcome.BAD_CHECKSUM,
        },
    )


@csrf_exempt
@require_POST
def callback(request: HttpRequest) -> JsonResponse:
    """Server-to-server confirmation from the platform (R-PAY-07)."""
    try:
        fields = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return JsonResponse({"error_code": "-2", "message": "Dữ liệu không hợp lệ"}, status=400)
    if not isinstance(fields, dict):
        return JsonResponse({"error_code": "-2", "message": "Dữ liệu không hợp lệ"}, status=400)
    logged = do_apply_confirmation(fields, source="callback")
    if logged.outcome == CallbackOutcome.BAD_CHECKSUM:
        return JsonResponse({"error_code": "-1", "message": "Sai mã xác thực"}, status=400)
    if logged.outcome == CallbackOutcome.UNKNOWN_ORDER:
        return JsonResponse({"error_code": "-4", "message": "Không tìm thấy giao dịch"}, status=404)
    return JsonResponse({"error_code": "0", "message": logged.get_outcome_display()})


@require_GET
def vietqr_png(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = _order(order_id)
    if order.status != OrderStatus.PENDING:
        raise Http404("Yêu cầu thanh toán không còn chờ thanh toán")
    buffer = io.BytesIO()
    segno.make_qr(vietqr_payload(order), error="m").save(buffer, kind="png", scale=8, border=4)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@require_GET
def receipt_pdf(request: HttpRequest, order_id: uuid.UUID) -> FileResponse:
    order = _order(order_id)
    if order.receipt is None:
        raise Http404("Chưa có biên lai")
    return FileResponse(
        order.receipt.file.open("rb"),
        content_type="application/pdf",
        filename=f"bien-lai-{order.reference}.pdf",
    )
