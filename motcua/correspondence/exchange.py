"""Sending documents through the national document axis (R-DOC-13) by the outbox.

The release writes the package and one ``docaxis.send`` outbox row in its own transaction
(idempotency key per document and business type), so a package is never lost with a committed
release nor sent for a rolled-back one; a retry sends the very same bytes under the same key,
and the axis delivers it once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage

from contracts import docaxis as c
from motcua.exchange.errors import ExchangeRejected
from motcua.exchange.http import call
from motcua.exchange.routing import Envelope

SYSTEM = "docaxis"
TOPIC = "docaxis.send"


def status_code(name: str) -> str:
    """R-DOC-14: the configured code of a status (``arrived`` → ``01`` by default) [I]."""
    return str(settings.MOTCUA_DOCAXIS_STATUS_CODES[name])


def send_package(envelope: Envelope) -> None:
    """Deliver one package (handler of ``docaxis.send``); runs in a worker thread, reads only
    the stored package file, never the database."""
    payload = envelope.payload
    with default_storage.open(str(payload["package"]), "rb") as handle:
        xml = handle.read().decode("utf-8")
    request = c.SendRequest(
        sender=str(payload["sender"]),
        to=[str(code) for code in payload["to"]],
        document_id=str(payload["document_id"]),
        business_type=int(payload.get("business_type", 0)),
        package=xml,
        idempotency_key=envelope.idempotency_key,
    )
    body = call(
        SYSTEM,
        "POST",
        c.SEND_PATH,
        body=request.model_dump(exclude_none=True),
        idempotency_key=envelope.idempotency_key,
    )
    reply = c.SendResponse.model_validate(body)
    if reply.error_code != c.ERR_OK:
        raise ExchangeRejected(SYSTEM, reply.message, error_code=reply.error_code)


STATUS_TOPIC = "docaxis.status"


def send_status(envelope: Envelope) -> None:
    """Deliver one status message to the sender of a document (R-DOC-14)."""
    payload = envelope.payload
    request = c.StatusRequest(
        organ_id=str(payload["organ_id"]),
        to=str(payload["to"]),
        document_id=str(payload["document_id"]),
        code=str(payload["code"]),
        description=str(payload.get("description", ""))[:500],
        idempotency_key=envelope.idempotency_key,
    )
    body = call(
        SYSTEM,
        "POST",
        c.STATUS_PATH,
        body=request.model_dump(exclude_none=True),
        idempotency_key=envelope.idempotency_key,
    )
    reply = c.Reply.model_validate(body)
    if reply.error_code != c.ERR_OK:
        raise ExchangeRejected(SYSTEM, reply.message, error_code=reply.error_code)


def fetch_inbox(organ_id: str) -> list[c.InboxItem]:
    """The packages waiting for ``organ_id`` on the axis (outside any transaction)."""
    body = call(SYSTEM, "GET", c.INBOX_PATH, params={"organ_id": organ_id})
    return c.Inbox.model_validate(body).items


def acknowledge(package_id: str, organ_id: str) -> None:
    """Tell the axis the package was taken (after our transaction committed)."""
    call(SYSTEM, "POST", c.ACK_PATH.format(package_id=package_id), body={"organ_id": organ_id})


def fetch_statuses(organ_id: str) -> list[c.StatusItem]:
    """Status messages the receivers sent to ``organ_id`` (R-DOC-14)."""
    body = call(SYSTEM, "GET", c.STATUS_PATH, params={"organ_id": organ_id})
    return c.Statuses.model_validate(body).items
