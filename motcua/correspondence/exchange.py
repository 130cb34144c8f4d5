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
from motcua.exchange.outbox import Envelope

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
