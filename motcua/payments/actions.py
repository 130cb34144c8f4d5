"""The only writers of payment orders (R-PAY-01..09).

* :func:`do_create_payment_order` — the fee of a dossier from the catalogue, as an order with
  its ``MaThamChieu`` (R-PAY-09);
* :func:`do_start_online_payment` — INIT at the payment platform (R-PAY-05/06): a synchronous
  call, because the payer is waiting for the payment page; made outside any transaction;
* :func:`do_apply_confirmation` — a confirmation from the platform (server callback or the
  browser's return, both signed, R-PAY-07): verified, amount checked, idempotent; a paid order
  gets a signed e-receipt and resumes a dossier that waited for the payment (R-PAY-02).
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from pydantic import ValidationError

from contracts import payment as c
from contracts.common import format_ts
from motcua.accounts.models import User
from motcua.catalog.fees import format_vnd
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.documents.forms import Issuer
from motcua.documents.issuing import DocumentRequest, issue_signed_document
from motcua.documents.models import DocumentKind, SignedDocument
from motcua.documents.result_pdf import ReceiptData, ReceiptLine, render_receipt
from motcua.dossiers.actions import write_recorded_payment
from motcua.dossiers.actions.core import record_event
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import OPEN, State
from motcua.payments.models import (
    CallbackOutcome,
    OrderStatus,
    PaymentCallback,
    PaymentChannel,
    PaymentOrder,
)
from motcua.payments.platform import PaymentPlatformError, platform
from motcua.payments.quotes import quote_for_dossier
from motcua.worktime.calc import TZ

__all__ = [
    "do_apply_confirmation",
    "do_create_payment_order",
    "do_issue_receipt",
    "do_start_online_payment",
]

PAYABLE = frozenset({*OPEN, State.AWAITING_PAYMENT})


@action
def do_create_payment_order(dossier: Dossier, *, acting_user: User | None) -> PaymentOrder:
    """The dossier's fee as a payment order; an unpaid order for the same amount is reused."""
    if not dossier.code or State(dossier.state) not in PAYABLE:
        raise RuleViolation(
            "Hồ sơ không ở trạng thái cần nộp phí, lệ phí.",
            "The dossier is not waiting for a payment.",
        )
    quote = quote_for_dossier(dossier)
    if quote.total <= 0:
        raise RuleViolation(
            "Thủ tục này không phải nộp phí, lệ phí.", "Nothing to pay for this procedure."
        )
    orders = PaymentOrder.objects.filter(dossier=dossier)
    if orders.filter(status=OrderStatus.PAID, amount=quote.total).exists():
        raise RuleViolation(
            "Hồ sơ đã được thanh toán phí, lệ phí.", "The fee of this dossier is already paid."
        )
    pending = orders.filter(status=OrderStatus.PENDING, amount=quote.total).first()
    if pending is not None:
        return pending
    return PaymentOrder.objects.create(
        dossier=dossier,
        reference=_free_reference(dossier.code),
        amount=quote.total,
        description=f"Nop phi, le phi ho so {dossier.code}",
        lines=[{"description": line.description, "amount": line.amount} for line in quote.lines],
    )


def _free_reference(code: str) -> str:
    """R-PAY-09 ``"dvc" + code + yyyyMMddHHmmss``; a second order of the same dossier within the
    same second takes the next free second, so references stay unique."""
    moment = now()
    for offset in range(120):
        reference = c.reference_for(code, format_ts(moment + timedelta(seconds=offset)))
        if not PaymentOrder.objects.filter(reference=reference).exists():
            return reference
    raise RuleViolation(
        "Đang có quá nhiều yêu cầu thanh toán cho hồ sơ này; vui lòng thử lại sau.",
        "Too many payment orders for this dossier; try again later.",
    )


def _init_request(
    order: PaymentOrder, *, return_url: str, notify_url: str, ip: str
) -> c.InitRequest:
    dossier = order.dossier
    version = dossier.procedure_version
    unit = dossier.competent_unit
    return c.InitRequest(
        MaDoiTac=settings.MOTCUA_PAYMENT_MERCHANT,
        MaThamChieu=order.reference,
        SoTien=order.amount,
        ThongTinGiaoDich=order.description,
        ThoiGianGD=order.init_ts,
        Ip=ip or "127.0.0.1",
        UrlTraVe=return_url,
        UrlThongBao=notify_url,
        ThongTinBienLai=c.Receipt(
            MaDVC=f"{dossier.procedure_code}.01",
            TenDVC=version.name[:250],
            MaTTHC=dossier.procedure_code,
            TenTTHC=version.name[:250],
            MaDonVi=unit.eid_code,
            TenDonVi=unit.name,
            MaHoSo=dossier.code,
            TKThuHuong=settings.MOTCUA_FEE_ACCOUNT,
            MaNHThuHuong=settings.MOTCUA_FEE_BANK_BIN,
            TenTKThuHuong=settings.MOTCUA_FEE_ACCOUNT_NAME,
            HoTenNguoiNop=dossier.applicant_name,
            SoCMNDNguoiNop=dossier.applicant_id_number,
            DiaChiNguoiNop=dossier.applicant_address,
            NoiDungThanhToan=order.description,
            PhiLePhi=[
                c.FeeLine(TenPhiLePhi=line["description"][:200], SoTien=line["amount"])
                for line in order.lines
                if line["amount"] > 0
            ],
            DSKhoanNop=[c.PaymentItem(NoiDung=order.description, SoTien=order.amount)],
        ),
    )


def do_start_online_payment(
    order: PaymentOrder, *, return_url: str, notify_url: str, ip: str
) -> str:
    """INIT the order at the payment platform and return the payer's page (``UrlThanhToan``).

    Re-sending the same INIT (same ``ThoiGianGD``) gets the same page back, so a retry after a
    lost reply is safe. Not inside a transaction: the platform may be slow (STYLE).
    """
    if order.status != OrderStatus.PENDING:
        raise RuleViolation(
            "Yêu cầu thanh toán này không còn chờ thanh toán.", "This order is not pending."
        )
    if not order.init_ts:
        stamp = format_ts(now())
        with transaction.atomic(durable=True):  # each write its own transaction, the call none
            PaymentOrder.objects.filter(pk=order.pk, init_ts="").update(init_ts=stamp)
        order.refresh_from_db()
    request = _init_request(order, return_url=return_url, notify_url=notify_url, ip=ip)
    try:
        result = platform().init(request)
    except PaymentPlatformError as exc:
        raise RuleViolation(exc.message_vi, "The payment platform refused or failed.") from exc
    with transaction.atomic(durable=True):
        PaymentOrder.objects.filter(pk=order.pk).update(
            payment_url=result.UrlThanhToan, channel=PaymentChannel.PAYGOV, updated_at=now()
        )
    order.refresh_from_db()
    return result.UrlThanhToan


def _platform_time(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=TZ)
    except ValueError:
        return None


def _log(
    order: PaymentOrder | None,
    fields: dict[str, Any],
    *,
    source: str,
    checksum_ok: bool,
    outcome: CallbackOutcome,
) -> PaymentCallback:
    amount = str(fields.get("SoTien", ""))
    return PaymentCallback.objects.create(
        order=order,
        source=source,
        received_at=now(),
        reference=str(fields.get("MaThamChieu", ""))[:100],
        transaction_id=str(fields.get("MaGiaoDich", ""))[:100],
        error_code=str(fields.get("MaLoi", ""))[:10],
        amount=int(amount) if amount.isdigit() else None,
        checksum_ok=checksum_ok,
        outcome=outcome,
        payload={k: str(v)[:500] for k, v in fields.items()},
    )


@action
def do_apply_confirmation(  # noqa: PLR0911 - one return per logged outcome
    fields: dict[str, Any], *, source: str
) -> PaymentCallback:
    """Apply a signed confirmation (R-PAY-07). Every call is logged; only a verified one with
    ``MaLoi = "00"`` and the exact amount marks the order paid, and only once: a replay, or the
    browser's return after the server callback, changes nothing."""
    try:
        callback = c.Callback.model_validate(fields)
    except ValidationError:
        return _log(
            None, fields, source=source, checksum_ok=False, outcome=CallbackOutcome.BAD_CHECKSUM
        )
    gateway = platform()
    if not gateway.callback_is_authentic(callback) or not hmac.compare_digest(
        callback.MaDoiTac.encode(), gateway.merchant.encode()
    ):
        return _log(
            None, fields, source=source, checksum_ok=False, outcome=CallbackOutcome.BAD_CHECKSUM
        )
    order = (
        PaymentOrder.objects.select_related("dossier")
        .filter(reference=callback.MaThamChieu)
        .first()
    )
    if order is None:
        return _log(
            None, fields, source=source, checksum_ok=True, outcome=CallbackOutcome.UNKNOWN_ORDER
        )
    if order.status == OrderStatus.PAID:
        same = order.transaction_id == callback.MaGiaoDich and callback.MaLoi == c.MALOI_SUCCESS
        outcome = CallbackOutcome.DUPLICATE if same else CallbackOutcome.CONFLICT
        return _log(order, fields, source=source, checksum_ok=True, outcome=outcome)
    if callback.SoTien != order.amount or callback.MaTienTe != "VND":
        PaymentOrder.objects.filter(pk=order.pk).exclude(status=OrderStatus.PAID).update(
            status=OrderStatus.MISMATCH,
            reported_amount=callback.SoTien,
            error_code=callback.MaLoi,
            version=F("version") + 1,
            updated_at=now(),
        )
        return _log(
            order, fields, source=source, checksum_ok=True, outcome=CallbackOutcome.AMOUNT_MISMATCH
        )
    if callback.MaLoi != c.MALOI_SUCCESS:
        if order.status == OrderStatus.FAILED:
            return _log(
                order, fields, source=source, checksum_ok=True, outcome=CallbackOutcome.DUPLICATE
            )
        PaymentOrder.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
            status=OrderStatus.FAILED, error_code=callback.MaLoi, version=F("version") + 1,
            updated_at=now(),
        )  # fmt: skip
        return _log(order, fields, source=source, checksum_ok=True, outcome=CallbackOutcome.FAILED)
    moment = now()
    paid_at = _platform_time(callback.ThoiGianGD) or moment
    try:
        with transaction.atomic():
            claimed = PaymentOrder.objects.filter(
                pk=order.pk, status__in=[OrderStatus.PENDING, OrderStatus.FAILED]
            ).update(
                status=OrderStatus.PAID,
                transaction_id=callback.MaGiaoDich,
                error_code=callback.MaLoi,
                channel=PaymentChannel.PAYGOV,
                paid_at=paid_at,
                reported_amount=callback.SoTien,
                version=F("version") + 1,
                updated_at=moment,
            )
    except IntegrityError:  # the same MaGiaoDich already paid another order
        claimed = 0
    if claimed != 1:  # someone else (the other confirmation) got there first
        order.refresh_from_db()
        same = order.transaction_id == callback.MaGiaoDich
        outcome = CallbackOutcome.DUPLICATE if same else CallbackOutcome.CONFLICT
        return _log(order, fields, source=source, checksum_ok=True, outcome=outcome)
    order.refresh_from_db()
    logged = _log(order, fields, source=source, checksum_ok=True, outcome=CallbackOutcome.ACCEPTED)
    _after_paid(order, moment)
    return logged


def _after_paid(order: PaymentOrder, moment: datetime) -> None:
    dossier = order.dossier
    record_event(
        dossier,
        "dossier:payment:paid",
        actor=None,
        unit=dossier.competent_unit,
        at=moment,
        reason=(
            f"Đã thanh toán trực tuyến {format_vnd(order.amount)} "
            f"(mã giao dịch {order.transaction_id})"
        ),
        legal_basis="Nghị định 118/2025/NĐ-CP Điều 24 (R-PAY-01, R-PAY-04)",
        payload={
            "reference": order.reference,
            "transaction_id": order.transaction_id,
            "amount": order.amount,
            "channel": order.channel,
            "online": order.is_paid_online,
        },
    )
    _write_receipt(order)
    dossier.refresh_from_db()
    if dossier.state == State.AWAITING_PAYMENT:
        write_recorded_payment(dossier, acting_user=None, reference=order.reference)


@action
def do_issue_receipt(order: PaymentOrder) -> SignedDocument:
    """The signed e-receipt of a paid order (not Form 07, R-FORM-04)."""
    return _write_receipt(order)


def _write_receipt(order: PaymentOrder) -> SignedDocument:
    """``do_issue_receipt``'s writes in the caller's transaction (a paying confirmation)."""
    if order.status != OrderStatus.PAID or order.paid_at is None:
        raise RuleViolation("Chưa thanh toán, chưa có biên lai.", "Not paid yet: no receipt.")
    dossier = order.dossier
    unit = dossier.competent_unit
    paid_at = order.paid_at

    def render(url: str) -> bytes:
        return render_receipt(
            ReceiptData(
                issuer=Issuer(
                    unit.name, unit.province.name, unit.parent.name if unit.parent else ""
                ),
                number=f"BL-{order.reference}",
                reference=order.reference,
                transaction_id=order.transaction_id or "",
                channel=str(PaymentChannel(order.channel).label) if order.channel else "",
                dossier_code=dossier.code or "",
                procedure_name=dossier.procedure_version.name,
                payer_name=dossier.applicant_name,
                payer_id_number=dossier.applicant_id_number,
                paid_at=paid_at,
                total=order.amount,
                verify_url=url,
                lines=[ReceiptLine(x["description"], x["amount"]) for x in order.lines],
            )
        )

    document = issue_signed_document(
        DocumentRequest(
            kind=DocumentKind.RECEIPT,
            owner_unit=unit,
            subject_id_number=dossier.applicant_id_number,
            subject_name=dossier.applicant_name,
            reference=order.reference,
            procedure_code=dossier.procedure_code,
            title=f"Biên lai thu phí, lệ phí hồ sơ {dossier.code}",
            reason="Biên lai thu phí, lệ phí điện tử",
        ),
        render,
    )
    PaymentOrder.objects.filter(pk=order.pk).update(receipt=document)
    order.receipt = document
    return document
