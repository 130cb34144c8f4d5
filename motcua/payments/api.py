"""/api/v1/payments: the state of a payment order (for apps polling after the platform page).

The order id is the payer's capability (see ``selectors.order_by_id``); the reply carries no
personal data.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from motcua.core.schemas import ErrorOut
from motcua.payments.selectors import order_by_id, transfer_code, vietqr_payload

router = Router(tags=["payments"])


class OrderOut(Schema):
    id: uuid.UUID
    dossier_code: str
    reference: str
    amount: int
    status: str
    channel: str
    paid_at: datetime | None
    paid_online: bool
    vietqr: str
    transfer_code: str
    receipt_url: str | None


@router.get("/orders/{order_id}", response={200: OrderOut, 404: ErrorOut}, auth=None)
def get_order(request: HttpRequest, order_id: uuid.UUID) -> OrderOut:
    order = order_by_id(order_id)
    pending = order.status == "pending"
    return OrderOut(
        id=order.pk,
        dossier_code=order.dossier.code or "",
        reference=order.reference,
        amount=order.amount,
        status=order.status,
        channel=order.channel,
        paid_at=order.paid_at,
        paid_online=order.is_paid_online,
        vietqr=vietqr_payload(order) if pending else "",
        transfer_code=transfer_code(order),
        receipt_url=f"/thanh-toan/{order.pk}/bien-lai.pdf" if order.receipt_id else None,
    )
