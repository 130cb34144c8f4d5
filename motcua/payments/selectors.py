"""Reads of payment orders, and the VietQR code of an order."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier
from motcua.payments.models import OrderStatus, PaymentOrder
from motcua.payments.vietqr import BANK_NAMES, build_payload

__all__ = [
    "Beneficiary",
    "beneficiary",
    "order_by_id",
    "orders_of_dossier",
    "paid_online",
    "transfer_code",
    "vietqr_payload",
]


def order_by_id(order_id: uuid.UUID | str) -> PaymentOrder:
    """An order by its (unguessable) id, or NotFound. The id is the capability the payer holds:
    the counter may hand the payment link to an applicant without an account."""
    try:
        key = order_id if isinstance(order_id, uuid.UUID) else uuid.UUID(str(order_id))
    except ValueError:
        key = None
    order = (
        PaymentOrder.objects.select_related(
            "dossier__procedure_version", "dossier__competent_unit", "receipt"
        )
        .filter(pk=key)
        .first()
        if key
        else None
    )
    if order is None:
        raise NotFound("Không tìm thấy yêu cầu thanh toán", "Payment order not found")
    return order


def orders_of_dossier(dossier: Dossier) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(dossier=dossier).order_by("-created_at")


def paid_online(dossier: Dossier) -> bool:
    """R-PAY-04: paid online only through the platform with ``MaLoi = "00"``."""
    return PaymentOrder.objects.filter(
        dossier=dossier, status=OrderStatus.PAID, channel="paygov", error_code="00"
    ).exists()


def transfer_code(order: PaymentOrder) -> str:
    """The transfer content the fee office matches a bank transfer on (ASCII, ≤ 25)."""
    return f"MC{order.pk.hex[:12].upper()}"


def vietqr_payload(order: PaymentOrder) -> str:
    return build_payload(
        bank_bin=settings.MOTCUA_FEE_BANK_BIN,
        account=settings.MOTCUA_FEE_ACCOUNT,
        amount=order.amount,
        purpose=transfer_code(order),
    )


@dataclass(frozen=True)
class Beneficiary:
    """Who receives a VietQR transfer, as the payer reads it before paying (issue #14 item 4):
    the account holder, the bank, the account number. The bank BIN and the account are the very
    values of the payload's field 38 (the tests decode the QR and compare)."""

    holder: str
    bank: str
    bank_bin: str
    account: str


def beneficiary() -> Beneficiary:
    bank_bin = settings.MOTCUA_FEE_BANK_BIN
    return Beneficiary(
        holder=settings.MOTCUA_FEE_ACCOUNT_NAME,
        bank=BANK_NAMES.get(bank_bin, f"Ngân hàng mã BIN {bank_bin}"),
        bank_bin=bank_bin,
        account=settings.MOTCUA_FEE_ACCOUNT,
    )
