"""Writing to the outbox. Call inside the transaction of the change that causes the message."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from motcua.core.clock import now
from motcua.core.models import OutboxMessage


def enqueue(
    *, topic: str, key: str, payload: dict[str, Any], idempotency_key: str
) -> OutboxMessage:
    """Record a message for delivery. Must run inside the caller's transaction: if the change
    rolls back, so does the message (no lost and no phantom messages)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue() must run inside the transaction of the change it reports")
    return OutboxMessage.objects.create(
        topic=topic,
        key=key,
        payload=payload,
        idempotency_key=idempotency_key,
        next_attempt_at=now(),
    )
