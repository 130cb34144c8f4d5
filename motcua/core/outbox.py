"""Writing to the outbox. Call inside the transaction of the change that causes the message."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from motcua.core.clock import now
from motcua.core.models import OutboxMessage
from motcua.core.rawsql import insert_together

_local = threading.local()


def enqueue(
    *, topic: str, key: str, payload: dict[str, Any], idempotency_key: str
) -> OutboxMessage:
    """Record a message for delivery. Must run inside the caller's transaction: if the change
    rolls back, so does the message (no lost and no phantom messages). Inside ``batched()`` the
    row is written when the block ends, together with the block's other messages."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue() must run inside the transaction of the change it reports")
    message = OutboxMessage(
        topic=topic,
        key=key,
        payload=payload,
        idempotency_key=idempotency_key,
        next_attempt_at=now(),
    )
    pending: list[OutboxMessage] | None = getattr(_local, "pending", None)
    if pending is not None:
        pending.append(message)
    else:
        message.save(force_insert=True)
    return message


@contextmanager
def batched() -> Iterator[None]:
    """The messages enqueued in the block go in one INSERT when it ends (still inside the
    caller's transaction). On an exception nothing is written: the transaction rolls back
    anyway. Nested blocks join the outer one. Per thread."""
    if getattr(_local, "pending", None) is not None:
        yield
        return
    _local.pending = []
    try:
        yield
        messages: list[OutboxMessage] = _local.pending
    finally:
        _local.pending = None
    if messages:
        insert_together(messages)
