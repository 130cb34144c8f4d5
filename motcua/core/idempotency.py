"""Idempotency keys for creates (issue #12 items 2 and 6).

A client that lost the reply to ``POST /api/v1/dossiers`` (a counter's network dropped, a mobile
app retried) sends the same ``Idempotency-Key`` header again: it gets the dossier created the
first time, never a second one. The key is remembered in the create's own transaction, so the
object and its key commit together; two concurrent requests with one key create one object (the
second's unique-key violation rolls its work back, and it answers the first's object). The same
key with a different body is refused: it is a client bug, not a retry.

A create too long for one transaction (a report rendered for seconds, issue #12 item 1) uses
:func:`claim` instead: the key is recorded first in a short transaction of its own, the work runs
outside any transaction, and :func:`settle` writes the object's id in the transaction that
stores the object. A retry meanwhile learns that the work is under way; a claim whose process
died is taken over after :data:`CLAIM_TTL`; a failed create releases its claim.

Portal forms carry their key in a hidden field (:data:`FORM_FIELD`), a new random one each time
the form is shown: a double click or a browser's resend of the same page creates one object.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction

from motcua.core.actions import alongside
from motcua.core.clock import now
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


#: A claim without a result after this long is taken to belong to a process that died between
#: the claim and the result (a restart, kill -9): a retry with the same key takes it over.
CLAIM_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class Claim:
    """The state of a key for a long create (:func:`claim`). ``mine``: this request must do the
    work and :func:`settle` it; otherwise ``object_id`` is the finished object, or "" while
    another request is still doing it."""

    record_id: int
    object_id: str
    mine: bool
    #: When this request claimed (or took over) the key: only that owner may release it.
    since: datetime | None = None


def claim(*, actor: str, scope: str, key: str, body: Any) -> Claim:
    """Record (actor, scope, key) before a long create, in its own short transaction: the first
    request gets the claim; a retry gets the finished object's id, or learns that the work is
    under way; the same key with another body is refused (:class:`KeyReused`)."""
    check_key(key)
    print_ = fingerprint(body)
    for _ in range(3):
        record = IdempotencyRecord.objects.filter(actor=actor, scope=scope, key=key).first()
        if record is None:
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        actor=actor, scope=scope, key=key, fingerprint=print_, object_id=""
                    )
            except IntegrityError:
                continue  # a concurrent twin claimed it first: read its claim
            return Claim(record.pk, "", mine=True, since=record.created_at)
        if record.fingerprint != print_:
            _prior(actor, scope, key, print_)  # raises KeyReused
        if record.object_id:
            return Claim(record.pk, record.object_id, mine=False)
        moment = now()
        taken = IdempotencyRecord.objects.filter(
            pk=record.pk, object_id="", created_at__lt=moment - CLAIM_TTL
        ).update(created_at=moment)
        return Claim(record.pk, "", mine=bool(taken), since=moment if taken else None)
    raise RuntimeError("idempotency claim neither created nor found")  # pragma: no cover


def settle(claim_: Claim, object_id: Any) -> bool:
    """Write the created object's id into the claim; call it in the transaction that stores
    the object, so both commit together. False when another request settled it first (it took
    the claim over): the caller rolls its object back and answers that one. The first request
    to finish wins, whether it holds the claim now or held it before a takeover."""
    return bool(
        IdempotencyRecord.objects.filter(pk=claim_.record_id, object_id="").update(
            object_id=str(object_id)
        )
    )


def release(claim_: Claim) -> None:
    """Forget an unsettled claim after the create failed: a retry runs the create again (and
    meets the same refusal, if it was one). A claim another request has taken over since is
    left to it."""
    if claim_.since is None:
        return  # not this request's claim
    IdempotencyRecord.objects.filter(
        pk=claim_.record_id, object_id="", created_at=claim_.since
    ).delete()


def settled(claim_: Claim) -> str:
    """The object id of a claim now (after :func:`settle` lost to another request)."""
    return (
        IdempotencyRecord.objects.filter(pk=claim_.record_id)
        .values_list("object_id", flat=True)
        .first()
        or ""
    )
