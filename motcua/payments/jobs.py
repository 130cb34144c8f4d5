"""Daily reconciliation: the platform's report of a day against our orders (R-PAY-04 [I]).

Every difference is flagged as a :class:`ReconciliationIssue`, never silently fixed: a
transaction we never ordered (``unknown``), an order the platform does not know (``missing``),
another amount (``amount``), or paid on one side only (``status``). An officer resolves them.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from contracts import payment as c
from motcua.core.clock import now
from motcua.payments.models import (
    IssueKind,
    OrderStatus,
    PaymentChannel,
    PaymentOrder,
    ReconciliationIssue,
    ReconciliationRun,
)
from motcua.payments.platform import platform

__all__ = ["reconcile_day"]


def reconcile_day(day: date) -> ReconciliationRun:
    """Fetch the report of ``day`` (outside the transaction), then record matches and flags."""
    report = platform().reconciliation(day)
    return _record(day, report.DanhSach, report.TongTienDaThanhToan)


@transaction.atomic
def _record(day: date, transactions: list[c.Transaction], total_paid: int) -> ReconciliationRun:
    stamp = day.strftime("%Y%m%d")
    ours = {
        o.reference: o
        for o in PaymentOrder.objects.filter(
            channel=PaymentChannel.PAYGOV, init_ts__startswith=stamp
        )
    }
    reported_refs = {t.MaThamChieu for t in transactions}
    known = {o.reference: o for o in PaymentOrder.objects.filter(reference__in=reported_refs)}
    run = ReconciliationRun.objects.create(
        day=day, ran_at=now(), reported=len(transactions), reported_total_paid=total_paid
    )
    issues: list[ReconciliationIssue] = []

    def flag(kind: IssueKind, ref: str, order: PaymentOrder | None, exp: str, rep: str) -> None:
        issues.append(
            ReconciliationIssue(
                run=run, kind=kind, reference=ref, order=order, expected=exp, reported=rep
            )
        )

    matched = 0
    for tx in transactions:
        order = known.get(tx.MaThamChieu)
        if order is None:
            flag(IssueKind.UNKNOWN, tx.MaThamChieu, None, "", f"{tx.SoTien} {tx.TrangThai}")
            continue
        reported_paid = tx.TrangThai == "PAID" and tx.MaLoi == "00"
        ours_paid = order.status == OrderStatus.PAID
        if tx.SoTien != order.amount:
            flag(IssueKind.AMOUNT, tx.MaThamChieu, order, str(order.amount), str(tx.SoTien))
        elif reported_paid != ours_paid:
            flag(IssueKind.STATUS, tx.MaThamChieu, order, order.status, tx.TrangThai)
        elif ours_paid and order.transaction_id != tx.MaGiaoDich:
            flag(
                IssueKind.STATUS, tx.MaThamChieu, order, order.transaction_id or "",
                tx.MaGiaoDich or "",
            )  # fmt: skip
        else:
            matched += 1
    for ref, order in ours.items():
        if ref not in reported_refs:
            flag(IssueKind.MISSING, ref, order, f"{order.amount} {order.status}", "")
    ReconciliationIssue.objects.bulk_create(issues)
    run.matched = matched
    run.flagged = len(issues)
    run.save(update_fields=["matched", "flagged"])
    return run
