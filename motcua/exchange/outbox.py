"""Outbox delivery: claim due rows, call the handler of their topic, record the outcome
(DESIGN §4 "Outbox", STYLE "Transactions and the outbox", issue #7 item 2).

* **Claim.** One conditional ``UPDATE`` moves the due rows' ``next_attempt_at`` to a lease token
  in the future (``… WHERE status='pending' AND next_attempt_at <= now``); the rows that carry
  this worker's token afterwards are its own. A second worker's ``UPDATE`` no longer matches
  them, on SQLite (one writer at a time) and PostgreSQL (the row is re-checked after the lock)
  alike. A worker that dies leaves its rows to be taken again when the lease ends; the receiver
  deduplicates by idempotency key, so that second delivery has no second effect.
* **Order per key.** Only the oldest undelivered message of a (topic, key) is due: a dossier's
  status 4 is never sent while its status 2 is pending. For *ordered* topics (the portal) a
  dead letter also holds back the later messages of its key until an operator replays it,
  because the portal would refuse them (``"-3"``) anyway.
* **Outcome.** Delivered; or retried with exponential backoff and jitter; or dead-lettered after
  ``MOTCUA_OUTBOX_MAX_ATTEMPTS`` — at once for a permanent error (the request itself is wrong).
* **No transaction around HTTP.** Claims and outcomes are short autocommit writes; the calls run
  between them, several at once in threads that never touch the database.
"""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, TextField, Value
from django.db.models.functions import Concat

from motcua.core.clock import now
from motcua.core.models import OutboxMessage
from motcua.exchange.errors import CircuitOpen, ExchangeError
from motcua.exchange.http import breakers

log = logging.getLogger(__name__)

PENDING = OutboxMessage.Status.PENDING
DELIVERED = OutboxMessage.Status.DELIVERED
DEAD = OutboxMessage.Status.DEAD


@dataclass(frozen=True)
class Envelope:
    """What a handler gets: the message's data, never the model (handlers run in threads that
    must not touch the database)."""

    id: int
    topic: str
    key: str
    payload: dict[str, Any]
    idempotency_key: str
    attempts: int


Handler = Callable[[Envelope], None]


@dataclass(frozen=True)
class Route:
    topic: str
    handler: Handler
    system: str
    ordered: bool


_routes: dict[str, Route] = {}


#: Reactions to a delivered message, called after its outcome is recorded (apps above
#: ``exchange`` register theirs in AppConfig.ready: ``insights`` counts the synced dossiers).
DELIVERY_HOOKS: list[Handler] = []


def register_handler(topic: str, handler: Handler, *, system: str, ordered: bool = False) -> None:
    """Deliver messages of ``topic`` with ``handler``, which raises :class:`ExchangeError` on
    failure. ``system`` names the circuit breaker consulted before claiming; ``ordered`` makes a
    dead letter hold back the later messages of the same key."""
    _routes[topic] = Route(topic, handler, system, ordered)


def routes() -> dict[str, Route]:
    from motcua.exchange import handlers  # noqa: F401 - registers the built-in topics

    return dict(_routes)


@dataclass
class DeliveryReport:
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    deferred: int = 0
    errors: dict[str, int] = field(default_factory=dict)


def backoff(attempts: int) -> timedelta:
    """Exponential backoff with jitter: base·2^(n-1), capped, times a random 0.5–1.0 ("equal
    jitter"), so retries of a failed batch do not all land on the same second."""
    base = settings.MOTCUA_OUTBOX_BACKOFF_BASE_S
    cap = settings.MOTCUA_OUTBOX_BACKOFF_CAP_S
    seconds = min(cap, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=seconds * random.uniform(0.5, 1.0))  # noqa: S311 - jitter


def _due(moment: datetime, topics: list[str], ordered: list[str]) -> Any:
    earlier = OutboxMessage.objects.filter(
        topic=OuterRef("topic"), key=OuterRef("key"), id__lt=OuterRef("id")
    ).filter(Q(status=PENDING) | Q(status=DEAD, topic__in=ordered))
    return (
        OutboxMessage.objects.filter(status=PENDING, next_attempt_at__lte=moment, topic__in=topics)
        .filter(~Exists(earlier))
        .order_by("next_attempt_at", "id")
    )


def claim(limit: int) -> tuple[list[OutboxMessage], datetime]:
    """Claim up to ``limit`` due messages for this worker; returns them and the lease token."""
    moment = now()
    table = routes()
    blocked = breakers.open_systems()
    topics = [t for t, r in table.items() if r.system not in blocked]
    if not topics:
        return [], moment
    ordered = [t for t, r in table.items() if r.ordered]
    ids = list(_due(moment, topics, ordered).values_list("id", flat=True)[:limit])
    if not ids:
        return [], moment
    # A token unique to this claim: the lease end plus random microseconds.
    token = moment + timedelta(
        seconds=settings.MOTCUA_OUTBOX_LEASE_S, microseconds=secrets.randbelow(999_999)
    )
    OutboxMessage.objects.filter(id__in=ids, status=PENDING, next_attempt_at__lte=moment).update(
        next_attempt_at=token, attempts=F("attempts") + 1
    )
    claimed = list(
        OutboxMessage.objects.filter(id__in=ids, status=PENDING, next_attempt_at=token).order_by(
            "id"
        )
    )
    return claimed, token


def _run(route: Route, envelope: Envelope) -> ExchangeError | None:
    try:
        route.handler(envelope)
    except ExchangeError as exc:
        return exc
    except Exception as exc:  # a bug in a handler must not kill the worker; keep the message
        log.exception("outbox handler %s failed on %s", route.topic, envelope.id)
        return ExchangeError(route.system, f"lỗi nội bộ: {type(exc).__name__}: {exc}")
    return None


def deliver_outbox(limit: int = 500) -> DeliveryReport:
    """Deliver up to ``limit`` due messages (the worker runs this every few seconds,
    config/jobs.py). Safe with several workers."""
    report = DeliveryReport()
    messages, token = claim(limit)
    report.claimed = len(messages)
    if not messages:
        return report
    table = routes()
    envelopes = [
        Envelope(m.id, m.topic, m.key, m.payload, m.idempotency_key, m.attempts) for m in messages
    ]
    workers = max(1, min(settings.MOTCUA_OUTBOX_CONCURRENCY, len(envelopes)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox") as executor:
        outcomes = list(executor.map(lambda e: _run(table[e.topic], e), envelopes))
    for envelope, error in zip(envelopes, outcomes, strict=True):
        _record(envelope, error, token, report)
    return report


def _record(
    envelope: Envelope, error: ExchangeError | None, token: datetime, report: DeliveryReport
) -> None:
    # Every outcome is conditional on our lease: if it ran out and another worker took the
    # row, its outcome wins and ours is dropped (the receiver deduplicated the second call).
    mine = OutboxMessage.objects.filter(pk=envelope.id, status=PENDING, next_attempt_at=token)
    moment = now()
    if error is None:
        if mine.update(status=DELIVERED, delivered_at=moment, last_error=""):
            for hook in DELIVERY_HOOKS:
                hook(envelope)
        report.delivered += 1
        return
    kind = type(error).__name__
    report.errors[kind] = report.errors.get(kind, 0) + 1
    text = f"{moment.isoformat()} {kind}: {error.message_vi}"[:2000]
    if isinstance(error, CircuitOpen):
        # Not the message's fault: give the attempt back and wait for the breaker.
        until = breakers.get(error.system).reopens_at() or moment
        mine.update(next_attempt_at=until, attempts=F("attempts") - 1, last_error=text)
        report.deferred += 1
        return
    if error.permanent or envelope.attempts >= settings.MOTCUA_OUTBOX_MAX_ATTEMPTS:
        mine.update(status=DEAD, last_error=text)
        report.dead += 1
        log.warning("outbox %s %s dead-lettered: %s", envelope.topic, envelope.key, text)
        return
    mine.update(next_attempt_at=moment + backoff(envelope.attempts), last_error=text)
    report.retried += 1


def drain(max_rounds: int = 1000, limit: int = 500) -> DeliveryReport:
    """Deliver until nothing is due (used by tests and the bench; the worker calls
    :func:`deliver_outbox` on its schedule instead)."""
    total = DeliveryReport()
    for _ in range(max_rounds):
        report = deliver_outbox(limit)
        if not report.claimed:
            break
        total.claimed += report.claimed
        total.delivered += report.delivered
        total.retried += report.retried
        total.dead += report.dead
        total.deferred += report.deferred
        for k, v in report.errors.items():
            total.errors[k] = total.errors.get(k, 0) + v
    return total


def next_due_at(*, last: bool = False) -> datetime | None:
    """When the next deliverable message becomes due (``last``: when the last one does),
    ignoring those held behind a dead letter; for a caller that travels in time instead of
    sleeping (tests, the bench)."""
    table = routes()
    ordered = [t for t, r in table.items() if r.ordered]
    rows = _due(datetime.max.replace(tzinfo=UTC), list(table), ordered)
    moments = rows.values_list("next_attempt_at", flat=True)
    found: datetime | None = moments.last() if last else moments.first()
    return found


# --------------------------------------------------------------------------- dead letters


def dead_letters(topic: str | None = None) -> Any:
    """Dead-lettered messages, newest first (the operators' view)."""
    rows = OutboxMessage.objects.filter(status=DEAD)
    if topic:
        rows = rows.filter(topic=topic)
    return rows.order_by("-id")


def replay_dead_letter(message_id: int, *, acting_user: Any) -> bool:
    """Put a dead letter back in the queue with a fresh attempt budget. The idempotency key is
    kept: if the earlier try did reach the system, the replay has no second effect."""
    moment = now()
    who = getattr(acting_user, "username", "?")
    note = f"[{moment.isoformat()} replayed by {who}] "
    updated = OutboxMessage.objects.filter(pk=message_id, status=DEAD).update(
        status=PENDING,
        attempts=0,
        next_attempt_at=moment,
        last_error=Concat(Value(note), F("last_error"), output_field=TextField()),
    )
    if updated:
        log.info("outbox %s replayed by %s", message_id, who)
    return bool(updated)
