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
  between them, several at once in threads that never touch the database. A batch's outcomes
  are written together (one ``UPDATE`` for the delivered rows, one for the retried ones), and a
  caller with other work may start a batch and record it later (:func:`start_delivery`,
  :func:`finish_delivery`).
"""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    PositiveIntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat

from motcua.core import events
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


def delivered_kind(topic: str) -> str:
    """The kind announced (``core.events``) when a message of ``topic`` is delivered; apps above
    ``exchange`` react to it (``insights`` counts the synced dossiers). Subjects: the keys."""
    return f"outbox:delivered:{topic}"


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


@dataclass
class Batch:
    """Claimed messages whose calls are running on an executor (:func:`start_delivery`)."""

    token: datetime
    envelopes: list[Envelope]
    outcomes: list[Future[ExchangeError | None]]

    def done(self) -> bool:
        return all(f.done() for f in self.outcomes)


def start_delivery(limit: int, executor: Executor) -> Batch | None:
    """Claim up to ``limit`` due messages and start their calls on ``executor`` (threads that
    never touch the database); ``None`` when nothing is due. The caller may go on working and
    record the outcomes later with :func:`finish_delivery` — within the lease."""
    messages, token = claim(limit)
    if not messages:
        return None
    table = routes()
    envelopes = [
        Envelope(m.id, m.topic, m.key, m.payload, m.idempotency_key, m.attempts) for m in messages
    ]
    outcomes = [executor.submit(_run, table[e.topic], e) for e in envelopes]
    return Batch(token, envelopes, outcomes)


def finish_delivery(batch: Batch, report: DeliveryReport | None = None) -> DeliveryReport:
    """Wait for the calls of ``batch`` and record their outcomes (added to ``report``)."""
    report = report or DeliveryReport()
    report.claimed += len(batch.envelopes)
    errors = [f.result() for f in batch.outcomes]
    delivered = [e for e, error in zip(batch.envelopes, errors, strict=True) if error is None]
    _record_delivered(delivered, batch.token, report)
    retries: dict[int, Retry] = {}
    for envelope, error in zip(batch.envelopes, errors, strict=True):
        if error is not None:
            _record(envelope, error, batch.token, report, retries)
    _record_retries(retries, batch.token)
    return report


def deliver_outbox(limit: int = 500) -> DeliveryReport:
    """Deliver up to ``limit`` due messages (the worker runs this every few seconds,
    config/jobs.py). Safe with several workers."""
    workers = max(1, min(settings.MOTCUA_OUTBOX_CONCURRENCY, limit))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox") as executor:
        batch = start_delivery(limit, executor)
        if batch is None:
            return DeliveryReport()
        return finish_delivery(batch)


def _record_delivered(envelopes: list[Envelope], token: datetime, report: DeliveryReport) -> None:
    """Mark the delivered messages in one ``UPDATE`` (conditional on our lease, like every
    outcome: a row another worker took after our lease ran out is left to its outcome)."""
    if not envelopes:
        return
    mine = OutboxMessage.objects.filter(
        pk__in=[e.id for e in envelopes], status=PENDING, next_attempt_at=token
    )
    if any(events.reactions_for(delivered_kind(e.topic)) for e in envelopes):
        with transaction.atomic():
            kept = set(mine.select_for_update().values_list("id", flat=True))
            mine.filter(pk__in=kept).update(status=DELIVERED, delivered_at=now(), last_error="")
        for envelope in envelopes:
            if envelope.id in kept:
                events.announce(delivered_kind(envelope.topic), [envelope.key], context=envelope)
    else:
        mine.update(status=DELIVERED, delivered_at=now(), last_error="")
    report.delivered += len(envelopes)


@dataclass(frozen=True)
class Retry:
    """When a failed message is tried again, why, and whether the attempt is given back."""

    at: datetime
    error: str
    give_back: bool = False


def _record_retries(retries: dict[int, Retry], token: datetime) -> None:
    """Give every failed message its own next attempt and error in one ``UPDATE``."""
    if not retries:
        return
    given_back = [pk for pk, r in retries.items() if r.give_back]
    OutboxMessage.objects.filter(
        pk__in=list(retries), status=PENDING, next_attempt_at=token
    ).update(
        next_attempt_at=Case(
            *[When(pk=pk, then=Value(r.at)) for pk, r in retries.items()],
            default=F("next_attempt_at"),
            output_field=DateTimeField(),
        ),
        last_error=Case(
            *[When(pk=pk, then=Value(r.error)) for pk, r in retries.items()],
            default=F("last_error"),
            output_field=TextField(),
        ),
        attempts=Case(
            When(pk__in=given_back, then=F("attempts") - 1),
            default=F("attempts"),
            output_field=PositiveIntegerField(),
        ),
    )


def _record(
    envelope: Envelope,
    error: ExchangeError,
    token: datetime,
    report: DeliveryReport,
    retries: dict[int, Retry],
) -> None:
    """The outcome of a failed call; a retry (or a deferral while the breaker is open) is only
    noted in ``retries``, written by :func:`_record_retries` for the whole batch."""
    # Every outcome is conditional on our lease: if it ran out and another worker took the
    # row, its outcome wins and ours is dropped (the receiver deduplicated the second call).
    moment = now()
    kind = type(error).__name__
    report.errors[kind] = report.errors.get(kind, 0) + 1
    text = f"{moment.isoformat()} {kind}: {error.message_vi}"[:2000]
    if isinstance(error, CircuitOpen):
        # Not the message's fault: give the attempt back and wait for the breaker.
        until = breakers.get(error.system).reopens_at() or moment
        retries[envelope.id] = Retry(until, text, give_back=True)
        report.deferred += 1
        return
    if error.permanent or envelope.attempts >= settings.MOTCUA_OUTBOX_MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=envelope.id, status=PENDING, next_attempt_at=token).update(
            status=DEAD, last_error=text
        )
        report.dead += 1
        log.warning("outbox %s %s dead-lettered: %s", envelope.topic, envelope.key, text)
        return
    retries[envelope.id] = Retry(moment + backoff(envelope.attempts), text)
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
