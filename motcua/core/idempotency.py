"""Idempotency keys for creates (issue #12 items 2 and 6).

A client that lost the reply to ``POST /api/v1/dossiers`` (a counter's network dropped, a mobile
app retried) sends the same ``Idempotency-Key`` header again: it gets the dossier created the
first time, never a second one. The key is remembered in the create's own transaction, so the
object and its key commit together; two concurrent requests with one key create one object (the
second's unique-key violation rolls its work back, and it answers the first's object). The same
key with a different body is refused: it is a client bug, not a retry.

Portal forms carry their key in a hidden field (:data:`FORM_FIELD`), a new random one each time
the form is shown: a double click or a browser's resend of the same page creates one object.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError

from motcua.core.actions import alongside
from motcua.core.errors import ValidationFailed
from motcua.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
#: The hidden field of a portal form that carries its key.
FORM_FIELD = "idempotency_key"
KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
T = TypeVar("T")


class KeyReused(ValidationFailed):
    code = "idempotency_key_reused"
    http_status = 422


def new_key() -> str:
    """A key for one showing of a form."""
    return uuid.uuid4().hex


def fingerprint(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    if not KEY.match(key):
        raise ValidationFailed(
            "Khóa Idempotency-Key phải dài 8–100 ký tự, gồm chữ, số và . _ : -",
            "Idempotency-Key must be 8-100 characters of letters, digits and . _ : -",
            field=HEADER,
        )
    return key


def _prior(actor: str, scope: str, key: str, print_: str) -> str | None:
    record = IdempotencyRecord.objects.filter(actor=actor, scope=scope, key=key).first()
    if record is None:
        return None
    if record.fingerprint != print_:
        raise KeyReused(
            "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.",
            "This Idempotency-Key was already used for a different request.",
            field=HEADER,
        )
    return record.object_id


def once(
    *,
    actor: str,
    scope: str,
    key: str | None,
    body: Any,
    create: Callable[[], T],
    object_id: Callable[[Any], Any],
    replay: Callable[[str], T],
) -> tuple[T, bool]:
    """Run ``create`` once per (actor, scope, key); (result, replayed). Without a key it just
    runs ``create``. ``create`` calls one action (``core.actions.action``); the key is written
    inside that action's transaction, so ``object_id`` receives what the *action* returns."""
    if not key:
        return create(), False
    check_key(key)
    print_ = fingerprint(body)
    prior = _prior(actor, scope, key, print_)
    if prior is not None:
        return replay(prior), True

    def remember(result: Any) -> None:
        IdempotencyRecord.objects.create(
            actor=actor, scope=scope, key=key, fingerprint=print_, object_id=str(object_id(result))
        )

    try:
        # The key is written in the action's own (durable) transaction: both or neither.
        with alongside(remember) as ride:
            result = create()
        if not ride.done:
            raise RuntimeError(f"idempotency.once({scope!r}): create() called no @action")
    except IntegrityError:
        prior = _prior(actor, scope, key, print_)  # a concurrent twin committed first
        if prior is None:
            raise
        return replay(prior), True
    return result, False
