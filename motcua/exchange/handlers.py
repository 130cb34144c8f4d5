"""The built-in outbox topics: ``portal.step`` (R-SYNC-01..05), ``sms.send``, ``email.send``.

Other apps add topics with :func:`motcua.exchange.routing.register_handler`.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.mail import EmailMessage
from pydantic import ValidationError

from contracts import portal as c
from motcua.exchange.errors import ExchangeError, ExchangeRejected
from motcua.exchange.portal import (
    REPORTED_AS_RELEASED,
    HttpPortalClient,
    PortalClient,
    reported_status,
)
from motcua.exchange.routing import Envelope, register_handler
from motcua.exchange.sms import HttpSmsClient

#: Optional step fields sent as "" by the step builder: omitted instead (the contract wants a
#: 14-digit timestamp or nothing).
_OPTIONAL_STEP_FIELDS = (
    "ChucDanh",
    "PhongBanXuLy",
    "NoiDungXuLy",
    "NgayBatDau",
    "NgayKetThucTheoQuyDinh",
)


def portal_records(envelope: Envelope) -> tuple[c.DossierSync, c.ProcessStep]:
    """The dossier record and the process step of one ``portal.step`` message.

    Built from the payload only, never from the database at send time: a retry must send the
    very same body under the same idempotency key. ``payload["dossier"]`` (R-SYNC dossier fields,
    filled by ``motcua.dossiers.sync.portal_dossier_fields`` when the transition writes the
    message) is optional; without it the record carries the code, the status and, for a
    receipt, ``NgayTiepNhan``.

    The payload keeps the local national code (R-STATE-01); the portal is sent
    :func:`reported_status` of it: 5/6/8 as 9 with the production step wording (R-STATE-02).
    """
    payload = envelope.payload
    local = int(payload["status"])
    status = reported_status(local)
    step_fields: dict[str, Any] = dict(payload.get("step") or {})
    for name in _OPTIONAL_STEP_FIELDS:
        if not step_fields.get(name):
            step_fields.pop(name, None)
    if status != local:
        wording = REPORTED_AS_RELEASED[local]
        detail = str(step_fields.get("NoiDungXuLy") or "")
        step_fields["NoiDungXuLy"] = f"{wording}: {detail}" if detail else wording
    step_fields.setdefault("MaHoSo", envelope.key)
    step_fields["TrangThai"] = status
    step_fields["NguoiXuLy"] = str(step_fields.get("NguoiXuLy") or "")[:50]
    dossier_fields: dict[str, Any] = {
        k: v for k, v in dict(payload.get("dossier") or {}).items() if v not in ("", None)
    }
    dossier_fields["MaHoSo"] = envelope.key
    dossier_fields["TrangThaiHoSo"] = status
    if status == c.NationalStatus.NEW and "NgayTiepNhan" not in dossier_fields:
        dossier_fields["NgayTiepNhan"] = step_fields.get("ThoiDiemXuLy")
    try:
        return c.DossierSync.model_validate(dossier_fields), c.ProcessStep.model_validate(
            step_fields
        )
    except ValidationError as exc:
        raise ExchangeRejected(
            "portal", f"bản tin không đúng hợp đồng: {exc.errors()[0]['msg']}", error_code="local"
        ) from None


def sync_to_portal(envelope: Envelope, client: PortalClient | None = None) -> None:
    """Deliver one state change (R-SYNC-04): create the dossier on its first message, update it
    afterwards (either way round when the portal says otherwise, R-SYNC-02), then push the
    process step (R-SYNC-05). Both calls carry the message's idempotency key (the portal keys
    create, update and steps separately), so re-running the whole message after a lost reply
    changes nothing twice."""
    portal = client or HttpPortalClient()
    record, step = portal_records(envelope)
    key = envelope.idempotency_key
    first = bool(envelope.payload.get("first", record.TrangThaiHoSo in c.INITIAL_STATUSES))
    reply = portal.create(record, idempotency_key=key) if first else None
    if reply is None or reply.error_code == c.ERR_EXISTS:
        reply = portal.update(record, idempotency_key=key)
        if reply.error_code == c.ERR_NOT_FOUND:
            reply = portal.create(record, idempotency_key=key)
    if not reply.ok:
        raise ExchangeRejected("portal", reply.message, error_code=reply.error_code)
    portal.push_steps([step], idempotency_key=key)


def send_sms(envelope: Envelope) -> None:
    payload = envelope.payload
    HttpSmsClient().send(
        str(payload["phone"]), str(payload["text"]), idempotency_key=envelope.idempotency_key
    )


def message_id(idempotency_key: str) -> str:
    """RFC 5322 msg-id for an idempotency key: its local part is a dot-atom, so the key's
    colons (``email:<uuid>:<seq>``) become dots; still one Message-ID per key."""
    local = re.sub(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]", ".", idempotency_key).strip(".")
    return f"<{re.sub(r'[.]{2,}', '.', local)}@motcua>"


def send_email(envelope: Envelope) -> None:
    """E-mail through Django's configured backend; the idempotency key becomes the Message-ID
    so a receiving server can drop a duplicate."""
    payload = envelope.payload
    message = EmailMessage(
        subject=str(payload.get("subject", "")),
        body=str(payload.get("body", "")),
        to=[str(payload["to"])],
        headers={"Message-ID": message_id(envelope.idempotency_key)},
    )
    try:
        message.send(fail_silently=False)
    except OSError as exc:
        raise ExchangeError("email", str(exc)) from None


register_handler("portal.step", sync_to_portal, system="portal", ordered=True)
register_handler("sms.send", send_sms, system="sms")
register_handler("email.send", send_email, system="email")
