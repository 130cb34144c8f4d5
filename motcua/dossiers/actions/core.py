"""The transition core: edge check, role check, state-conditional claim, event, outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection

from motcua.accounts.models import Role, User
from motcua.accounts.scope import has_role
from motcua.agencies.models import Unit
from motcua.catalog.models import ProcedureVersion, TimeUnit
from motcua.core import events, rawsql
from motcua.core.clock import now, to_local
from motcua.core.outbox import batched, enqueue
from motcua.core.rawsql import (
    Statement,
    next_number,
    next_number_sql,
    number_params,
)
from motcua.dossiers.codes import format_unit_code
from motcua.dossiers.errors import AlreadyHandled, IllegalTransitionError, RoleRequired
from motcua.dossiers.links import tracking_url
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierSequence
from motcua.dossiers.states import (
    NATIONAL_CODE,
    NOTIFY_ON,
    IllegalTransition,
    State,
    check_transition,
)
from motcua.dossiers.sync import portal_dossier_fields, portal_step
from motcua.notify.service import notify_applicant
from motcua.notify.templates import Facts
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

ROLE_EN = {
    Role.ONE_STOP_OFFICER: "one-stop officer",
    Role.SPECIALIST: "specialist",
    Role.UNIT_LEADER: "unit leader",
}


def require_role(user: User, unit: Unit, *roles: str) -> None:
    """The actor must hold one of ``roles`` at ``unit`` (or above it in the tree)."""
    if not any(has_role(user, unit, (role,)) for role in roles):
        role = Role(roles[0])
        raise RoleRequired(str(role.label), ROLE_EN.get(role, role.value))


def time_limit(version: ProcedureVersion) -> calc.TimeLimit | None:
    """The version's limit for the deadline engine; None when the catalogue does not say."""
    if version.time_limit_unit == TimeUnit.UNKNOWN or (
        version.time_limit_value is None and version.time_limit_unit != TimeUnit.SAME_DAY
    ):
        return None
    return calc.TimeLimit(
        value=Decimal(version.time_limit_value or 0),
        unit=calc.LimitUnit(version.time_limit_unit),
        cutoff_1500=version.cutoff_1500,
    )


def calendar_of(dossier: Dossier) -> calc.Calendar:
    return calendar_for(dossier.competent_unit.province_id)


def transfer_deadline(received_at: datetime, cal: calc.Calendar) -> datetime:
    """R-TRF-02/03: forward within the working day, or at the start of the next working day when
    received after 15:00 (the start is taken as the opening time)."""
    local = to_local(received_at)
    day = local.date()
    if cal.is_working_day(day) and local.time() <= cal.cutoff:
        return datetime.combine(day, cal.closing, tzinfo=calc.TZ)
    return datetime.combine(calc.next_working_day(day, cal), cal.opening, tzinfo=calc.TZ)


def allocate_sequence(unit: Unit, day: date) -> int:
    """Next number of ``unit`` on ``day``: unique and gap-free, because the increment commits or
    rolls back with the receipt that uses it (core.rawsql)."""
    return next_number(DossierSequence._meta.db_table, "unit_id", unit.pk, day)


def number_dossier(
    dossier: Dossier, unit: Unit, day: date, with_: Sequence[Statement] = ()
) -> None:
    """Give a dossier already written in this transaction its code: ``unit``'s next number of
    ``day`` (R-ID-09, R-ID-11, R-ID-12). The counter's row stays locked until the COMMIT (that is
    what keeps the numbers gap-free), so every other receipt of the unit that day waits from
    here to the COMMIT: call this as late as possible. ``with_``: other writes that lock rows
    other receipts need too (the rollup counters), sent in the same statement on PostgreSQL, where
    the count and the code are one statement as well (the code is checked against
    ``format_unit_code``)."""
    counter = DossierSequence._meta.db_table
    if connection.vendor != "postgresql":
        rawsql.write(with_)
        seq = allocate_sequence(unit, day)
        code = format_unit_code(unit.eid_code, day, seq)
        Dossier.objects.filter(pk=dossier.pk).update(code=code)
    else:
        table = Dossier._meta.db_table
        prefix = format_unit_code(unit.eid_code, day, 1)[: -len("0001")]
        statement = rawsql.joined(
            [*with_, (next_number_sql(counter, "unit_id"), number_params(unit.pk, day))],
            (
                f"UPDATE {table} SET code = %s || lpad(s.last::text, greatest(4, "  # noqa: S608 - our own names
                f"length(s.last::text)), '0') FROM w{len(with_)} AS s WHERE {table}.id = %s "
                f"RETURNING s.last, {table}.code",
                [prefix, dossier.pk],
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute(*statement)
            row = cursor.fetchone()
        assert row is not None
        seq, code = int(row[0]), str(row[1])
        if code != format_unit_code(unit.eid_code, day, seq):
            raise AssertionError(f"dossier code {code!r} does not follow R-ID-09")
    dossier.code = code


def build_event(
    dossier: Dossier,
    kind: str,
    *,
    actor: User | None,
    unit: Unit | None,
    at: datetime,
    seq: int,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    legal_basis: str = "",
    form: str = "",
    step_deadline: datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> DossierEvent:
    """An event with number ``seq``, not yet written."""
    return DossierEvent(
        dossier=dossier,
        seq=seq,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        at=at,
        actor=actor,
        actor_name=(actor.full_name or actor.username)[:150] if actor else "",
        actor_title=actor.job_title if actor else "",
        unit=unit,
        reason=reason,
        legal_basis=legal_basis,
        form=form,
        step_deadline=step_deadline,
        payload=payload or {},
    )


def record_event(
    dossier: Dossier,
    kind: str,
    *,
    actor: User | None,
    unit: Unit | None,
    at: datetime,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    legal_basis: str = "",
    form: str = "",
    step_deadline: datetime | None = None,
    payload: dict[str, Any] | None = None,
    seq: int | None = None,
) -> DossierEvent:
    """Append an event with the dossier's next number and run the reactions to its kind
    (``core.events``). ``seq``: only when the caller knows it for certain (the dossier's own
    events were all written in this transaction by the caller); otherwise it is read, and the
    unique (dossier, seq) constraint catches a race."""
    event = build_event(
        dossier,
        kind,
        actor=actor,
        unit=unit,
        at=at,
        seq=seq or 0,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        legal_basis=legal_basis,
        form=form,
        step_deadline=step_deadline,
        payload=payload,
    )
    return events.record(event, subject=dossier)


def transition(
    dossier: Dossier,
    target: State,
    *,
    actor: User | None,
    unit: Unit | None,
    reason: str = "",
    legal_basis: str = "",
    form: str = "",
    step_deadline: datetime | None = None,
    payload: dict[str, Any] | None = None,
    updates: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> DossierEvent:
    """Move ``dossier`` to ``target``: check the edge, claim the row with a state- and
    version-conditional UPDATE (zero rows: someone else got there first, nothing changes),
    append the event and the portal-sync outbox row, then run the reactions. Runs inside the
    caller's transaction. (A dossier registered in the same transaction has its own writer:
    ``receive._write_received``.)"""
    source = State(dossier.state)
    try:
        check_transition(source, target)
    except IllegalTransition:
        raise IllegalTransitionError(source, target) from None
    moment = at or now()
    changes = dict(updates or {})
    claimed = events.claim(
        Dossier.objects.filter(pk=dossier.pk),
        from_states=[source.value],
        at_version=dossier.version,
        state=target.value,
        updated_at=now(),
        **changes,
    )
    if claimed != 1:
        raise AlreadyHandled(dossier.code or str(dossier.pk))
    # The claim wrote exactly these values: mirror them instead of reading the row again.
    dossier.state = target.value
    dossier.version += 1
    for field, value in changes.items():
        setattr(dossier, field, value)
    event = build_event(
        dossier,
        f"dossier:state:{target.value}",
        seq=events.next_seq(DossierEvent, dossier.pk),
        actor=actor,
        unit=unit,
        at=moment,
        from_state=source.value,
        to_state=target.value,
        reason=reason,
        legal_basis=legal_basis,
        form=form,
        step_deadline=step_deadline,
        payload=payload,
    )
    event.save(force_insert=True)
    publish_step(dossier, event)
    events.record(event, subject=dossier, written=True)
    return event


def publish_step(
    dossier: Dossier, event: DossierEvent, *, components: list[DossierComponent] | None = None
) -> None:
    """The portal step of a state event and the applicant's message, in one INSERT.
    ``components``: the dossier's checklist rows when the caller holds them as written."""
    target = State(event.to_state)
    with batched():
        if dossier.code:  # a dossier exists for the portal once it has a code (R-SYNC-04)
            enqueue(
                topic="portal.step",
                key=dossier.code,
                payload={
                    "status": NATIONAL_CODE[target],
                    "step": portal_step(dossier, event),
                    "dossier": portal_dossier_fields(dossier, components=components),
                },
                idempotency_key=f"portal:{dossier.pk}:{event.seq}",
            )
        kind = NOTIFY_ON.get(target)
        if kind is not None:
            tell_applicant(dossier, event, kind)


def tell_applicant(dossier: Dossier, event: DossierEvent, kind: str) -> None:
    reason = event.reason
    if kind == "supplement":
        reason = "; ".join(i["name"][:80] for i in event.payload.get("items", [])) or reason
    notify_applicant(
        kind,
        Facts(
            code=dossier.code or "(chưa có mã)",
            procedure=dossier.procedure_version.name[:200],
            unit=(
                dossier.return_unit
                if kind in {"result_ready", "returned"}
                else event.unit or dossier.receiving_unit
            ).name,
            due_at=dossier.due_at_current,
            reason=reason,
            amount=event.payload.get("amount"),
            tracking_url=tracking_url(dossier) if dossier.code else "",
        ),
        key=f"{dossier.pk}:{event.seq}",
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        user=dossier.citizen,
    )
