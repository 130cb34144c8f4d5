"""National portal sync, the dossier side (issue #7 item 5, DOMAIN §9.1).

* :func:`portal_dossier_fields` — the R-SYNC dossier fields (§9.1 table) of a dossier, for the
  transition core to put in each ``portal.step`` message as ``payload["dossier"]`` (the exchange
  builds the portal's create/update record from the payload alone, so that a retry sends the
  same body under the same idempotency key).
* :func:`reconcile_portal` — the scheduled job comparing each dossier's local state with what the
  portal holds, reporting drift and repairing it: steps whose message was lost are enqueued
  again, dead letters of the dossier are replayed in order.

R-STATE-02 is applied by the exchange (``motcua.exchange.portal.reported_status``): messages
keep the local national code, the portal is told 5/6/8 as 9 with the production step wording,
and the reconcile job compares the portal with that reported code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction

from motcua.core.clock import now, to_local
from motcua.core.models import OutboxMessage
from motcua.core.outbox import enqueue
from motcua.dossiers.models import (
    CHANNEL_CODE,
    ApplicantKind,
    Channel,
    Dossier,
    DossierComponent,
    DossierEvent,
)
from motcua.dossiers.states import NATIONAL_CODE, State
from motcua.exchange.errors import ExchangeError

if TYPE_CHECKING:
    from motcua.exchange.portal import PortalClient

# The portal client (httpx, pydantic) is imported when a reconciliation runs, not at start-up
# (issue #12 part 10).

log = logging.getLogger(__name__)

TOPIC = "portal.step"


def _stamp(moment: datetime | None) -> str | None:
    """R-SYNC-03: yyyyMMddHHmmss, local time."""
    return to_local(moment).strftime("%Y%m%d%H%M%S") if moment else None


def portal_step(dossier: Dossier, event: DossierEvent) -> dict[str, Any]:
    """The process-step record the national portal receives for each step (R-SYNC-05)."""
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": event.actor_name[:50],
        "ChucDanh": event.actor_title,
        "ThoiDiemXuLy": _stamp(event.at) or "",
        "PhongBanXuLy": event.unit.name if event.unit else "",
        "NoiDungXuLy": event.reason or event.kind,
        "TrangThai": NATIONAL_CODE[State(event.to_state)] if event.to_state else None,
        "NgayBatDau": _stamp(event.at) or "",
        "NgayKetThucTheoQuyDinh": _stamp(event.step_deadline or dossier.due_at_original) or "",
    }


def portal_dossier_fields(
    dossier: Dossier, *, components: list[DossierComponent] | None = None
) -> dict[str, Any]:
    """The §9.1 dossier record of ``dossier`` (without ``TrangThaiHoSo``, which the message
    carries). Data reuse shows as ``DuocLayTuKhoDMQG`` on the component and the database in
    ``DSKetNoiCSDL`` (R-REUSE-05). ``components``: the checklist rows when the caller holds them
    as written (the one-step receipt); otherwise they are read."""
    version = dossier.procedure_version
    if components is None:
        components = list(dossier.components.all())
    databases = sorted(
        {c.source.removeprefix("database:") for c in components if c.source.startswith("database:")}
    )
    person = dossier.applicant_kind == ApplicantKind.PERSON
    id_number = dossier.applicant_id_number
    fields: dict[str, Any] = {
        "MaTTHC": dossier.procedure_code,
        "TenTTHC": version.name[:500],
        "MaLinhVuc": version.field.national_code or version.field.code,
        "TenLinhVuc": version.field.name,
        "KenhThucHien": str(CHANNEL_CODE[Channel(dossier.channel)]),
        "ChuHoSo": dossier.applicant_name,
        "SoGiayToChuHoSo": id_number,
        "LoaiDoiTuong": "1" if person else "2",
        "Email": dossier.applicant_email or None,
        "SoDienThoai": dossier.applicant_phone or None,
        "TrichYeuHoSo": (dossier.summary or version.name)[:1000],
        "NgayNopHoSo": _stamp(dossier.submitted_at),
        "NgayTiepNhan": _stamp(dossier.received_at),
        "NgayHenTra": _stamp(dossier.due_at_current),
        "NgayKetThucXuLy": _stamp(dossier.result_at),
        "NgayTra": _stamp(dossier.returned_at),
        "DonViXuLy": dossier.competent_unit.name,
        "NoiNopHoSo": dossier.receiving_unit.eid_code,
        "HoSoCoThanhPhanSoHoa": "1" if any(c.digitization for c in components) else "0",
        "DinhDanhCHS": (
            [{"LoaiDinhDanh": "1" if len(id_number) == 12 else "2", "SoDinhDanh": id_number}]
            if person and len(id_number) in (9, 12)
            else []
        ),
        "DSKetNoiCSDL": [{"MaCSDL": db} for db in databases],
        "TaiLieuNop": [
            {
                "TepDinhKemId": str(c.pk),
                "TenTepDinhKem": c.name[:250],
                "MaThanhPhanHoSo": str(c.catalog_component_id or ""),
                "DuocSoHoa": "1" if c.digitization else "0",
                "DuocLayTuKhoDMQG": "1" if c.source.startswith("database:") else "0",
            }
            for c in components
            if c.provided
        ],
    }
    return {k: v for k, v in fields.items() if v not in (None, "")}


# --------------------------------------------------------------------------- reconcile


@dataclass
class Drift:
    code: str
    local_status: int
    portal_status: int | None
    missing_steps: int
    repaired: str


@dataclass
class ReconcileReport:
    checked: int = 0
    in_flight: int = 0
    in_sync: int = 0
    drift: list[Drift] = field(default_factory=list)
    unreachable: int = 0

    def summary(self) -> str:
        return (
            f"checked={self.checked} in_sync={self.in_sync} in_flight={self.in_flight} "
            f"drift={len(self.drift)} unreachable={self.unreachable}"
        )


def reconcile_portal(
    *, since: timedelta = timedelta(days=3), limit: int = 500, client: PortalClient | None = None
) -> ReconcileReport:
    """Compare the dossiers changed within ``since`` with the portal (R-SYNC-04) and repair.

    A dossier with messages still pending is *in flight*, not drift. Otherwise, every state
    change in its event trail should be on the portal under its idempotency key
    ``portal:<dossier id>:<event seq>``: a dead letter of it is replayed; a step with no message
    at all (lost before the outbox, or deleted) is enqueued again. The portal's status must then
    equal the local national code; what cannot be repaired is reported for the operators.
    """
    # The portal client (httpx, pydantic) loads when a reconciliation runs (issue #12 part 10).
    from motcua.exchange.portal import HttpPortalClient, reported_status  # noqa: PLC0415 - the portal client loads when a reconciliation runs

    portal = client or HttpPortalClient()
    report = ReconcileReport()
    dossiers = Dossier.objects.filter(code__isnull=False, updated_at__gte=now() - since).order_by(
        "-updated_at"
    )[:limit]
    for dossier in dossiers:
        assert dossier.code is not None
        report.checked += 1
        messages = OutboxMessage.objects.filter(topic=TOPIC, key=dossier.code)
        if messages.filter(status=OutboxMessage.Status.PENDING).exists():
            report.in_flight += 1
            continue
        local = NATIONAL_CODE[State(dossier.state)]
        try:
            view = portal.status_of(dossier.code)
        except ExchangeError as exc:
            log.warning("reconcile: portal unreachable for %s: %s", dossier.code, exc.detail)
            report.unreachable += 1
            continue
        steps = list(
            dossier.events.filter(kind__startswith="dossier:state:")
            .exclude(to_state="")
            .exclude(from_state="")  # the submission itself is a record, never a message
            .order_by("seq")
        )
        # Before receipt a counter dossier had no code, so nothing was sent (R-SYNC-04 starts
        # at 2); an online dossier coded before receipt has no RECEIVED step to skip to.
        first = next((i for i, e in enumerate(steps) if e.to_state == State.RECEIVED), 0)
        steps = steps[first:]
        missing = [e for e in steps if f"portal:{dossier.pk}:{e.seq}" not in view.keys]
        if not missing and view.status == reported_status(local):
            report.in_sync += 1
            continue
        repaired: list[str] = []
        # Re-send in step order: a dead or missing message is (re)written at the end of the
        # key's queue, together with every later one, so the portal sees 2 before 4 again.
        with transaction.atomic():
            for event in missing:
                key = f"portal:{dossier.pk}:{event.seq}"
                old = messages.filter(idempotency_key=key).first()
                if old is not None and old.status == OutboxMessage.Status.DELIVERED:
                    repaired.append(f"unrepairable:{event.seq}")
                    continue
                payload = (
                    old.payload
                    if old is not None
                    else {
                        "status": NATIONAL_CODE[State(event.to_state)],
                        "step": portal_step(dossier, event),
                        "dossier": portal_dossier_fields(dossier),
                    }
                )
                if old is not None:
                    old.delete()  # its identical copy goes to the back of the queue
                enqueue(topic=TOPIC, key=dossier.code, payload=payload, idempotency_key=key)
                repaired.append(f"{'requeued' if old else 'enqueued'}:{event.seq}")
        report.drift.append(
            Drift(
                code=dossier.code,
                local_status=local,
                portal_status=view.status,
                missing_steps=len(missing),
                repaired=",".join(repaired) or "báo cáo: cần người vận hành xem xét",
            )
        )
    if report.drift:
        log.warning("portal reconcile: %s", report.summary())
    return report


def run_reconcile() -> None:
    """Scheduled entry point (config/jobs.py)."""
    reconcile_portal()
