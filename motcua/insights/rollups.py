"""Incremental indicator rollups (DESIGN §6) and their full rebuild.

``apply_event(dossier, event)`` is called by the transition core (``dossiers.actions.core.
transition``) right after it appends the event, in the same transaction: it recomputes the
dossier's :class:`~motcua.insights.formulas.Fact`, and adds ``contributions(new) -
contributions(old)`` to the counters with one upsert per table. A rolled-back transition rolls
back its counters with it.

``rebuild()`` (``motcua rollups rebuild``) recomputes every fact from the dossiers and their
events and writes the counters from scratch. Both paths go through ``formulas.contributions``; the
property test ``tests/test_rollup_agreement.py`` checks that they agree on random histories.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from motcua.core import rawsql
from motcua.core.clock import LOCAL_TZ, to_local
from motcua.core.models import OutboxMessage
from motcua.core.rawsql import db_uuid
from motcua.documents.models import DocumentKind, DocumentStatus, SignedDocument
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, JustRegistered
from motcua.dossiers.states import CLOCK_RUNNING, ENDED_WITHOUT_RESULT, PAUSED, State
from motcua.feedback.models import Rating
from motcua.insights.formulas import (
    FACT_FLAGS,
    Contributions,
    Fact,
    FlowKey,
    OpenKey,
    Outcome,
    RollupKey,
    classify_dates,
    contributions,
    month_of,
    open_until,
)
from motcua.insights.models import (
    DossierFact,
    FlowQuarterRollup,
    FlowRollup,
    OpenRollup,
    PaidProcedureRollup,
    ProcedureRollup,
    Rollup,
)
from motcua.payments.models import ONLINE_CHANNELS, OrderStatus, PaymentOrder
from motcua.petitions.models import Petition, PetitionKind, PetitionState

RESOLVED = frozenset({State.RESULT_READY, State.RETURNED})
#: Ended without a result: an outcome of its own, named like the state.
ENDED = {state: Outcome(state.value) for state in ENDED_WITHOUT_RESULT}
ONLINE_LEVELS = ("full", "partial")  # catalog.OnlineLevel FULL / PARTIAL (R-ONL-01)
DIGITIZED = (1, 2, 3)  # R-DIG-01/02
REUSED = (2, 3)
#: The signed documents that are a dossier's electronic result (R-RES-05; a reasoned refusal is
#: the result of a refused dossier, R-PROC-06).
RESULT_KINDS = (DocumentKind.RESULT, DocumentKind.REFUSAL)
SYNC_TOPIC = "portal.step"  # R-SYNC-04: every state of every dossier goes to the portal


def paid_online_orders() -> QuerySet[PaymentOrder]:
    """R-PAY-04 (R-IDX-08): paid through the National Portal platform with ``MaLoi = "00"``
    (``payments.selectors.paid_online``, as a query)."""
    return PaymentOrder.objects.filter(
        status=OrderStatus.PAID, channel__in=list(ONLINE_CHANNELS), error_code="00"
    )


def complaints() -> QuerySet[Petition]:
    """R-IDX-04 "complaints about receipt, processing, lateness": a feedback (phản ánh, not a
    proposal) filed about a dossier, unless the unit found it outside its competence and
    forwarded it [I: the petitions app's reading of the source]."""
    return Petition.objects.filter(kind=PetitionKind.FEEDBACK, dossier__isnull=False).exclude(
        state=PetitionState.NOT_COMPETENT
    )


def signed_results() -> QuerySet[SignedDocument]:
    return SignedDocument.objects.filter(kind__in=RESULT_KINDS, status=DocumentStatus.VALID)


def sync_messages() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(topic=SYNC_TOPIC)


#: Synced: the portal accepted at least one message of the dossier and none is waiting or dead,
#: so it holds the dossier's current state (R-SYNC-04) [I].
UNSYNCED = Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.DEAD])


def _day(moment: datetime | None) -> date | None:
    return to_local(moment).date() if moment else None


def build_fact(
    *,
    state: str,
    received_on: date | None,
    competent: str,
    receiving: str,
    competent_commune: int | None,
    receiving_commune: int | None,
    channel: str,
    field: str,
    procedure: str,
    online_procedure: bool,
    due_at_original: datetime | None,
    result_at: datetime | None,
    clock_paused_at: datetime | None,
    ended_at: datetime | None,
    result_delivery: str,
    digitized: bool,
    reused: bool,
    fee_bearing: bool,
    paid_online: bool = False,
    signed_result: bool = False,
    rating_satisfied: bool | None = None,
    synced: bool = False,
    complained: bool = False,
) -> Fact | None:
    """The fact of one dossier from plain values (the same for both paths and the seed).
    ``result_delivery`` is kept for the callers; the electronic result is the signed one."""
    del result_delivery
    current = State(state)
    if received_on is None or current in (State.SUBMITTED, State.REFUSED_AT_RECEIPT):
        return None  # R-IDX-06: states 1 and 3 are never counted
    due_on = _day(due_at_original)
    until: date | None = None
    ended_in_time = False
    if current in RESOLVED:
        result_on = _day(result_at)
        assert result_on is not None
        assert due_on is not None
        outcome = classify_dates(result_on, due_on)  # R-TIME-14 with R-LATE-07
    elif current in ENDED:
        outcome = ENDED[current]
        ended_on = _day(ended_at)
        ended_in_time = bool(ended_on and due_on and ended_on <= due_on)
    else:
        outcome = Outcome.OPEN
        paused_on = _day(clock_paused_at) if current in PAUSED else None
        until = open_until(due_on, paused_on) if due_on else None  # R-TIME-15, R-TIME-13
    e_result = current in RESOLVED and signed_result  # R-RES-05
    return Fact(
        competent=competent,
        receiving=receiving,
        month=month_of(received_on),
        channel=channel,
        field=field,
        procedure=procedure,
        online_procedure=online_procedure,
        outcome=outcome,
        ended_in_time=ended_in_time,
        until=until,
        digitized=digitized or e_result,  # R-DIG-02: a component or the result
        reused=reused,
        e_result=e_result,
        fee_bearing=fee_bearing or paid_online,
        cross_boundary=competent_commune != receiving_commune,
        paid_online=paid_online,
        rated=rating_satisfied is not None,
        # R-IDX-04: rated 1-2 (feedback.NOT_SATISFIED_MAX), or a complaint about the dossier's
        # receipt, processing or lateness (``complaints``)
        unsatisfied=rating_satisfied is False or complained,
        synced=synced,
    )


def _fact_of_row(row: DossierFact) -> Fact:
    return Fact(
        competent=str(row.competent_unit_id),
        receiving=str(row.receiving_unit_id),
        month=row.month,
        channel=row.channel,
        field=row.field_id,
        procedure=row.procedure_code,
        outcome=Outcome(row.outcome),
        until=row.open_until,
        # The registry's flags (formulas.FACT_FLAGS) are columns of the same name.
        **{flag: getattr(row, flag) for flag in FACT_FLAGS},
    )


def _row_values(fact: Fact, due_on: date | None, received_on: date) -> dict[str, Any]:
    return {
        "competent_unit_id": uuid.UUID(fact.competent),
        "receiving_unit_id": uuid.UUID(fact.receiving),
        "received_on": received_on,
        "month": fact.month,
        "channel": fact.channel,
        "field_id": fact.field,
        "procedure_code": fact.procedure,
        "outcome": fact.outcome.value,
        "due_on": due_on,
        "open_until": fact.until,
        **{flag: getattr(fact, flag) for flag in FACT_FLAGS},
    }


# --------------------------------------------------------------------------- writing counters


def _uuid_db(value: str) -> Any:
    return db_uuid(uuid.UUID(value))


def _upsert_sql(
    table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> Iterator[tuple[str, list[Any]]]:
    """Statements that add ``value`` (the last column) to existing counters or create them,
    atomic per row on PostgreSQL and SQLite. Rows come sorted so that two concurrent
    transactions lock them in the same order (no deadlock)."""
    conflict = ", ".join(columns[:-1])  # the key: every column but ``value``
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608 - our own names
            + ", ".join([placeholders] * len(chunk))
            + f" ON CONFLICT ({conflict}) DO UPDATE SET value = {table}.value + excluded.value"
        )
        yield sql, [v for row in chunk for v in row]


def _insert_fact_sql(dossier_pk: Any, values: dict[str, Any]) -> tuple[str, list[Any]]:
    """The INSERT of a new fact row, with the model's own conversion of every value."""
    meta = DossierFact._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    chosen = [
        (fields[name], value) for name, value in [("dossier_id", dossier_pk), *values.items()]
    ]
    params = [field.get_db_prep_save(value, connection) for field, value in chosen]
    columns = ", ".join(field.column for field, _ in chosen)
    placeholders = ", ".join(["%s"] * len(chosen))
    return f"INSERT INTO {meta.db_table} ({columns}) VALUES ({placeholders})", params  # noqa: S608


def _counter_statements(delta: Contributions) -> list[tuple[str, list[Any]]]:
    delta = delta.nonzero()
    rollup_rows = [
        (_uuid_db(u), m, metric, v) for (u, m, metric), v in sorted(delta.rollup.items())
    ]
    open_rows = [(_uuid_db(u), m, until, v) for (u, m, until), v in sorted(delta.open.items())]
    proc_rows = [(_uuid_db(u), m, code, v) for (u, m, code), v in sorted(delta.procs.items())]
    flow_rows = [(_uuid_db(r), _uuid_db(c), m, v) for (r, c, m), v in sorted(delta.flow.items())]
    flow_q_rows = [
        (_uuid_db(r), _uuid_db(c), q, v) for (r, c, q), v in sorted(delta.flow_q.items())
    ]
    paid_rows = [(_uuid_db(u), m, code, v) for (u, m, code), v in sorted(delta.paid_procs.items())]
    tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = [
        (Rollup._meta.db_table, ("unit_id", "month", "metric", "value"), rollup_rows),
        (OpenRollup._meta.db_table, ("unit_id", "month", "open_until", "value"), open_rows),
        (
            ProcedureRollup._meta.db_table,
            ("unit_id", "month", "procedure_code", "value"),
            proc_rows,
        ),
        (
            FlowQuarterRollup._meta.db_table,
            ("receiving_unit_id", "competent_unit_id", "quarter", "value"),
            flow_q_rows,
        ),
        (
            PaidProcedureRollup._meta.db_table,
            ("unit_id", "month", "procedure_code", "value"),
            paid_rows,
        ),
        (
            FlowRollup._meta.db_table,
            ("receiving_unit_id", "competent_unit_id", "month", "value"),
            flow_rows,
        ),
    ]
    return [
        statement
        for table, columns, rows in tables
        for statement in _upsert_sql(table, columns, rows)
    ]


def write(delta: Contributions) -> None:
    """Add ``delta`` to the counters."""
    rawsql.write(_counter_statements(delta))


# --------------------------------------------------------------------------- the hook


def _components(dossier: Dossier, registered: JustRegistered | None) -> tuple[bool, bool]:
    """(digitized, reused): for a dossier registered in this transaction, from the checklist rows
    the receipt wrote (``registered``); otherwise one query."""
    if registered is not None:
        codes = {row.digitization for row in registered.components}
    else:
        codes = set(
            DossierComponent.objects.filter(dossier_id=dossier.pk)
            .values_list("digitization", flat=True)
            .distinct()
        )
    return bool(codes & set(DIGITIZED)), bool(codes & set(REUSED))


def _inputs(
    dossier: Dossier, old_row: DossierFact | None, transition: bool, fresh: bool = False
) -> dict[str, Any]:
    """The inputs of the other apps, read for one dossier: the online payment (R-PAY-04), the
    signed electronic result (R-RES-05), the rating (R-SAT-01) and the portal sync (R-SYNC-04).
    A few indexed lookups, skipped where the state rules them out. On a state transition
    (``transition``): ``transition()`` has just enqueued the new state for the portal, so the
    dossier is not synced; and a transition never pays, so the previous fact's payment stands
    (every payment reaches the fact through its own hook). ``fresh``: the dossier was registered
    in this transaction, so nothing can refer to it yet (no payment order, document, rating)."""
    code = dossier.code or ""
    rating = (
        Rating.objects.filter(dossier_id=dossier.pk).values_list("satisfied", flat=True).first()
        if dossier.state == State.RETURNED and not fresh
        else None
    )
    synced = False
    if code and not transition:
        states = set(sync_messages().filter(key=code).values_list("status", flat=True).distinct())
        synced = states == {OutboxMessage.Status.DELIVERED}
    if fresh:
        paid = False
    elif transition and old_row is not None:
        paid = old_row.paid_online
    else:
        paid = paid_online_orders().filter(dossier_id=dossier.pk).exists()
    # A complaint reaches the fact through its own hook (the petition's event): on a transition
    # whose previous fact had no mark against it, none has appeared since.
    if fresh or (transition and old_row is not None and not old_row.unsatisfied):
        complained = False
    else:
        complained = complaints().filter(dossier_id=dossier.pk).exists()
    return {
        "complained": complained,
        "paid_online": paid,
        "signed_result": bool(code)
        and not fresh
        and dossier.state in RESOLVED
        and signed_results().filter(reference=code).exists(),
        "rating_satisfied": rating,
        "synced": synced,
    }


def _context(dossier: Dossier) -> dict[str, Any]:
    """The communes of the two units and the version's field and online level: from the related
    objects already on ``dossier`` when the caller loaded them, otherwise one query."""
    meta = Dossier._meta
    related = ("receiving_unit", "competent_unit", "procedure_version")
    if all(meta.get_field(name).is_cached(dossier) for name in related):  # type: ignore[union-attr]
        version = dossier.procedure_version
        return {
            "receiving_unit__commune_id": dossier.receiving_unit.commune_id,
            "competent_unit__commune_id": dossier.competent_unit.commune_id,
            "procedure_version__field_id": version.field_id,
            "procedure_version__online_level": version.online_level,
        }
    return dict(
        Dossier.objects.filter(pk=dossier.pk)
        .values(
            "receiving_unit__commune_id",
            "competent_unit__commune_id",
            "procedure_version__field_id",
            "procedure_version__online_level",
        )
        .get()
    )


def apply_event(
    dossier: Dossier, event: DossierEvent | None, *, registered: JustRegistered | None = None
) -> None:
    """Bring the rollups up to date with ``event`` (the state event ``transition()`` just
    appended for ``dossier``, already refreshed after its update), or with a change of another
    app's input (``event=None``: a payment, a signed result, a rating, a portal delivery). Call
    it inside that transaction.

    A dossier registered in this same transaction (``registered``, the context of the
    counter's register-and-receive) has no fact, no earlier event and nothing of other apps
    pointing at it yet: those lookups are skipped, not guessed."""
    if dossier.received_on is None:
        return  # not received yet: nothing is counted (R-IDX-06)
    fresh = registered is not None
    old_row = None if fresh else DossierFact.objects.filter(pk=dossier.pk).first()
    extra = _context(dossier)
    to_state = event.to_state if event is not None else ""
    if old_row is not None:
        fee_bearing = old_row.fee_bearing or to_state == State.AWAITING_PAYMENT
    elif fresh:
        fee_bearing = to_state == State.AWAITING_PAYMENT
    else:
        fee_bearing = DossierEvent.objects.filter(
            dossier_id=dossier.pk, to_state=State.AWAITING_PAYMENT
        ).exists()
    digitized, reused = _components(dossier, registered)
    ended_at = event.at if event is not None and to_state == dossier.state else None
    if dossier.state in ENDED and ended_at is None:
        ended_at = (
            DossierEvent.objects.filter(dossier_id=dossier.pk, to_state=dossier.state)
            .values_list("at", flat=True)
            .first()
        )
    new = build_fact(
        state=dossier.state,
        received_on=dossier.received_on,
        competent=str(dossier.competent_unit_id),
        receiving=str(dossier.receiving_unit_id),
        competent_commune=extra["competent_unit__commune_id"],
        receiving_commune=extra["receiving_unit__commune_id"],
        channel=dossier.channel,
        field=str(extra["procedure_version__field_id"] or ""),
        procedure=dossier.procedure_code,
        online_procedure=extra["procedure_version__online_level"] in ONLINE_LEVELS,
        due_at_original=dossier.due_at_original,
        result_at=dossier.result_at,
        clock_paused_at=dossier.clock_paused_at,
        ended_at=ended_at,
        result_delivery=dossier.result_delivery,
        digitized=digitized,
        reused=reused,
        fee_bearing=fee_bearing,
        **_inputs(dossier, old_row, transition=event is not None, fresh=fresh),
    )
    delta = contributions(new)
    if old_row is not None:
        delta.add(contributions(_fact_of_row(old_row)), sign=-1)
    statements = _counter_statements(delta)
    if new is None:
        rawsql.write(statements)
        DossierFact.objects.filter(pk=dossier.pk).delete()
        return
    assert dossier.received_on is not None
    values = _row_values(new, _day(dossier.due_at_original), dossier.received_on)
    if old_row is None:
        # A new fact goes with the counters, in the same statement on PostgreSQL.
        rawsql.write([*statements, _insert_fact_sql(dossier.pk, values)])
    else:
        rawsql.write(statements)
        DossierFact.objects.filter(pk=dossier.pk).update(**values)


def refresh_dossier(*, pk: Any = None, code: str = "") -> None:
    """Recompute one dossier's fact after an input outside the state machine changed. Locks the
    dossier row first, so it serializes with the transitions of the same dossier."""
    with transaction.atomic():
        query = Dossier.objects.select_for_update()
        dossier = (query.filter(pk=pk) if pk is not None else query.filter(code=code)).first()
        if dossier is not None:
            apply_event(dossier, None)


# --------------------------------------------------------------------------- the rebuild


FACT_FIELDS = (
    "pk",
    "state",
    "received_on",
    "competent_unit_id",
    "receiving_unit_id",
    "competent_unit__commune_id",
    "receiving_unit__commune_id",
    "channel",
    "procedure_version__field_id",
    "procedure_code",
    "procedure_version__online_level",
    "due_at_original",
    "result_at",
    "clock_paused_at",
    "result_delivery",
    "code",
)
INPUT_FIELDS = (
    "has_digitized",
    "has_reused",
    "fee_bearing",
    "ended_at",
    "paid_online",
    "signed_result",
    "rating_satisfied",
    "synced",
    "complained",
)


def _annotated() -> Any:
    components = DossierComponent.objects.filter(dossier_id=OuterRef("pk"))
    events = DossierEvent.objects.filter(dossier_id=OuterRef("pk"))
    messages = sync_messages().filter(key=OuterRef("code"))
    return Dossier.objects.filter(received_on__isnull=False).annotate(
        has_digitized=Exists(components.filter(digitization__in=DIGITIZED)),
        has_reused=Exists(components.filter(digitization__in=REUSED)),
        fee_bearing=Exists(events.filter(to_state=State.AWAITING_PAYMENT)),
        ended_at=Subquery(
            events.filter(to_state=OuterRef("state"), to_state__in=list(ENDED)).values("at")[:1]
        ),
        paid_online=Exists(paid_online_orders().filter(dossier_id=OuterRef("pk"))),
        signed_result=Exists(signed_results().filter(reference=OuterRef("code"))),
        rating_satisfied=Subquery(
            Rating.objects.filter(dossier_id=OuterRef("pk")).values("satisfied")[:1]
        ),
        synced=Exists(messages.filter(status=OutboxMessage.Status.DELIVERED))
        & ~Exists(messages.filter(UNSYNCED)),
        complained=Exists(complaints().filter(dossier_id=OuterRef("pk"))),
    )


def _fact_of_values(r: dict[str, Any]) -> Fact | None:
    return build_fact(
        state=r["state"],
        received_on=r["received_on"],
        competent=str(r["competent_unit_id"]),
        receiving=str(r["receiving_unit_id"]),
        competent_commune=r["competent_unit__commune_id"],
        receiving_commune=r["receiving_unit__commune_id"],
        channel=r["channel"],
        field=str(r["procedure_version__field_id"] or ""),
        procedure=r["procedure_code"],
        online_procedure=r["procedure_version__online_level"] in ONLINE_LEVELS,
        due_at_original=r["due_at_original"],
        result_at=r["result_at"],
        clock_paused_at=r["clock_paused_at"],
        ended_at=r["ended_at"],
        result_delivery=r["result_delivery"],
        digitized=r["has_digitized"],
        reused=r["has_reused"],
        fee_bearing=r["fee_bearing"],
        paid_online=r["paid_online"],
        signed_result=bool(r["code"]) and r["signed_result"],
        rating_satisfied=r["rating_satisfied"] if r["state"] == State.RETURNED else None,
        synced=bool(r["code"]) and r["synced"],
        complained=r["complained"],
    )


def facts_from_dossiers(
    chunk: int = 5000, only: Sequence[Any] | None = None
) -> Iterator[tuple[Any, Fact, date | None, date]]:
    """(dossier pk, fact, original due date, received on) of every received dossier (or of the
    dossiers ``only``), in chunks by primary key (keyset pagination: constant memory at any
    size)."""
    last: Any = None
    while True:
        query = _annotated().order_by("pk")
        if only is not None:
            query = query.filter(pk__in=list(only))
        if last is not None:
            query = query.filter(pk__gt=last)
        rows = list(query.values(*FACT_FIELDS, *INPUT_FIELDS)[:chunk])
        if not rows:
            return
        for r in rows:
            fact = _fact_of_values(r)
            if fact is not None:
                yield r["pk"], fact, _day(r["due_at_original"]), r["received_on"]
        last = rows[-1]["pk"]


#: Dossiers refreshed together by ``refresh_many`` (one read of the facts, one of the inputs).
REFRESH_CHUNK = 1000


def refresh_many(pks: Sequence[Any]) -> int:
    """Recompute the facts of the dossiers ``pks`` from what they hold now and move the
    counters by the difference: the reaction to changes written set-based (the re-dating after
    a calendar change, issue #13). Call it in the transaction that changed the dossiers (their
    rows are locked by that change). Returns the number of facts rewritten."""
    done = 0
    for start in range(0, len(pks), REFRESH_CHUNK):
        chunk = list(pks[start : start + REFRESH_CHUNK])
        old_rows = list(DossierFact.objects.filter(pk__in=chunk))
        delta = Contributions()
        for row in old_rows:
            delta.add(contributions(_fact_of_row(row)), sign=-1)
        new_rows = []
        for pk, fact, due_on, received_on in facts_from_dossiers(len(chunk), only=chunk):
            delta.add(contributions(fact))
            new_rows.append(DossierFact(dossier_id=pk, **_row_values(fact, due_on, received_on)))
        rawsql.write(_counter_statements(delta))
        DossierFact.objects.filter(pk__in=chunk).delete()
        DossierFact.objects.bulk_create(new_rows)
        done += len(new_rows)
    return done


#: Where a re-dated dossier's fact follows its new deadline by arithmetic alone: an open fact
#: of a dossier whose clock runs (not a stopped clock, R-TIME-13), so ``open_until`` is the
#: new due date (R-TIME-15). Every other re-dated dossier goes through ``refresh_many``.
REDATED_STATES = sorted(state.value for state in CLOCK_RUNNING)


def refresh_redated(pks: Sequence[Any]) -> int:
    """The reaction to a re-dating (``dossier:deadline:redated``, issue #12): the dossiers
    ``pks`` changed only their deadlines, so their facts change only ``due_on`` and
    ``open_until`` (R-LATE-07, R-TIME-15) and the counters only in the open ledger
    (``OpenRollup``): ``contributions`` of an open fact differ in nothing else. Set-based: on
    PostgreSQL one statement updates every fact and adds the ledger's deltas grouped by key; the
    portable path does the same per chunk through the ORM. A dossier outside that case (not
    open, clock stopped, no fact) is recomputed in full by ``refresh_many``, so the result
    always equals a rebuild (tests/test_redate_facts.py, tests/test_rollup_agreement.py).
    Call it in the transaction that moved the deadlines. Returns the number of facts looked
    at (kept or rewritten)."""
    if not pks:
        return 0
    if connection.vendor == "postgresql":
        handled = _refresh_redated_postgres(pks)
    else:
        handled = set()
        for start in range(0, len(pks), REFRESH_CHUNK):
            handled |= _refresh_redated_chunk(list(pks[start : start + REFRESH_CHUNK]))
    rest = [pk for pk in pks if pk not in handled]
    return len(handled) + (refresh_many(rest) if rest else 0)


def _refresh_redated_postgres(pks: Sequence[Any]) -> set[Any]:
    """One statement: the eligible facts with their new due date (the local date of the
    dossier's original deadline, as ``_day``), the UPDATE of those that changed, the ledger's
    -1/+1 per fact summed by (unit, month, open_until) and upserted in key order. All parts
    read the statement's snapshot, so ``target`` holds the facts as they were before."""
    fact = DossierFact._meta.db_table
    ledger = OpenRollup._meta.db_table
    dossier = Dossier._meta.db_table
    sql = f"""
        WITH target AS (
            SELECT f.dossier_id AS id, f.competent_unit_id AS unit, f.month,
                   f.due_on AS old_due, f.open_until AS old_until,
                   (d.due_at_original AT TIME ZONE %s)::date AS due
            FROM unnest(%s::uuid[]) AS t(id)
            JOIN {dossier} d ON d.id = t.id
            JOIN {fact} f ON f.dossier_id = t.id
            WHERE f.outcome = %s AND d.state = ANY(%s) AND d.due_at_original IS NOT NULL
        ),
        moved AS (
            UPDATE {fact} f SET due_on = t.due, open_until = t.due
            FROM target t
            WHERE f.dossier_id = t.id
              AND (t.old_due IS DISTINCT FROM t.due OR t.old_until IS DISTINCT FROM t.due)
            RETURNING t.unit, t.month, t.old_until, t.due
        ),
        delta AS (
            SELECT unit, month, until, SUM(v) AS v FROM (
                SELECT unit, month, old_until AS until, -1 AS v FROM moved
                WHERE old_until IS NOT NULL
                UNION ALL
                SELECT unit, month, due, 1 FROM moved
            ) parts
            GROUP BY unit, month, until
            HAVING SUM(v) <> 0
        ),
        counted AS (
            INSERT INTO {ledger} (unit_id, month, open_until, value)
            SELECT unit, month, until, v FROM delta ORDER BY unit, month, until
            ON CONFLICT (unit_id, month, open_until)
            DO UPDATE SET value = {ledger}.value + excluded.value
        )
        SELECT id FROM target
    """  # noqa: S608 - table names are ours
    params: list[Any] = [str(LOCAL_TZ), list(pks), Outcome.OPEN.value, REDATED_STATES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _refresh_redated_chunk(chunk: list[Any]) -> set[Any]:
    """The portable path for one chunk: the same selection and arithmetic in Python."""
    rows = DossierFact.objects.filter(
        pk__in=chunk,
        outcome=Outcome.OPEN,
        dossier__state__in=REDATED_STATES,
        dossier__due_at_original__isnull=False,
    ).values_list(
        "pk", "competent_unit_id", "month", "due_on", "open_until", "dossier__due_at_original"
    )
    delta = Contributions()
    changed: list[DossierFact] = []
    handled: set[Any] = set()
    for pk, unit, month, old_due, old_until, due_at in rows:
        handled.add(pk)
        due = _day(due_at)
        assert due is not None  # filtered on a deadline
        if due == old_due and due == old_until:
            continue
        changed.append(DossierFact(dossier_id=pk, due_on=due, open_until=due))
        if old_until is not None:
            key = (str(unit), month, old_until)
            delta.open[key] = delta.open.get(key, 0) - 1
        key = (str(unit), month, due)
        delta.open[key] = delta.open.get(key, 0) + 1
    DossierFact.objects.bulk_update(changed, ["due_on", "open_until"], batch_size=500)
    write(delta)
    return handled


def totals(facts: Iterable[Fact]) -> Contributions:
    out = Contributions()
    for fact in facts:
        out.add(contributions(fact))
    return out.nonzero()


@transaction.atomic
def rebuild(progress: Callable[[int], None] | None = None, chunk: int = 5000) -> int:
    """Recompute every fact and counter from the dossiers and their events; return the number
    of facts. One transaction: readers see the old counters until it commits."""
    DossierFact.objects.all().delete()
    Rollup.objects.all().delete()
    OpenRollup.objects.all().delete()
    FlowRollup.objects.all().delete()
    ProcedureRollup.objects.all().delete()
    PaidProcedureRollup.objects.all().delete()
    FlowQuarterRollup.objects.all().delete()
    total = Contributions()
    batch: list[DossierFact] = []
    count = 0
    for pk, fact, due_on, received_on in facts_from_dossiers(chunk):
        total.add(contributions(fact))
        batch.append(DossierFact(dossier_id=pk, **_row_values(fact, due_on, received_on)))
        count += 1
        if len(batch) >= chunk:
            DossierFact.objects.bulk_create(batch)
            batch.clear()
            if progress:
                progress(count)
    DossierFact.objects.bulk_create(batch)
    write(total)
    if progress:
        progress(count)
    return count


def snapshot() -> Contributions:
    """The counters as stored (non-zero), for comparisons."""
    out = Contributions()
    for unit, month, metric, value in Rollup.objects.values_list(
        "unit_id", "month", "metric", "value"
    ):
        if value:
            out.rollup[(str(unit), month, metric)] = value
    for unit, month, until, value in OpenRollup.objects.values_list(
        "unit_id", "month", "open_until", "value"
    ):
        if value:
            out.open[(str(unit), month, until)] = value
    for rcv, cmp, month, value in FlowRollup.objects.values_list(
        "receiving_unit_id", "competent_unit_id", "month", "value"
    ):
        if value:
            out.flow[(str(rcv), str(cmp), month)] = value
    for unit, month, code, value in ProcedureRollup.objects.values_list(
        "unit_id", "month", "procedure_code", "value"
    ):
        if value:
            out.procs[(str(unit), month, code)] = value
    for unit, month, code, value in PaidProcedureRollup.objects.values_list(
        "unit_id", "month", "procedure_code", "value"
    ):
        if value:
            out.paid_procs[(str(unit), month, code)] = value
    for rcv, cmp, quarter, value in FlowQuarterRollup.objects.values_list(
        "receiving_unit_id", "competent_unit_id", "quarter", "value"
    ):
        if value:
            out.flow_q[(str(rcv), str(cmp), quarter)] = value
    return out


__all__ = [
    "FlowKey",
    "OpenKey",
    "RollupKey",
    "apply_event",
    "rebuild",
    "refresh_dossier",
    "refresh_many",
    "refresh_redated",
    "snapshot",
]
