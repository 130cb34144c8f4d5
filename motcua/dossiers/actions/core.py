"""The transition core: edge check, role check, state-conditional claim, event, outbox."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Max

from motcua.accounts.models import Role, User
from motcua.accounts.scope import has_role
from motcua.agencies.models import Unit
from motcua.catalog.models import ProcedureVersion, TimeUnit
from motcua.core.clock import now, to_local
from motcua.core.outbox import batched, enqueue
from motcua.core.rawsql import next_number
from motcua.dossiers.errors import AlreadyHandled, IllegalTransitionError, RoleRequired
from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence
from motcua.dossiers.states import (
    NATIONAL_CODE,
    IllegalTransition,
    State,
    check_transition,
)
from motcua.dossiers.sync import portal_dossier_fields
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
    """Append an event with the dossier's next number. ``seq``: only when the caller knows it
    for certain (the dossier's own events were all written in this transaction by the caller);
    otherwise it is read, and the unique (dossier, seq) constraint catches a race."""
    if seq is None:
        seq = (DossierEvent.objects.filter(dossier=dossier).aggregate(m=Max("seq"))["m"] or 0) + 1
    return DossierEvent.objects.create(
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


def _stamp(moment: datetime | None) -> str:
    """R-SYNC-03: yyyyMMddHHmmss, local time."""
    return to_local(moment).strftime("%Y%m%d%H%M%S") if moment else ""


def portal_step(dossier: Dossier, event: DossierEvent) -> dict[str, Any]:
    """The process-step record the national portal receives for each step (R-SYNC-05)."""
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": event.actor_name[:50],
        "ChucDanh": event.actor_title,
        "ThoiDiemXuLy": _stamp(event.at),
        "PhongBanXuLy": event.unit.name if event.unit else "",
        "NoiDungXuLy": event.reason or event.kind,
        "TrangThai": NATIONAL_CODE[State(event.to_state)] if event.to_state else None,
        "NgayBatDau": _stamp(event.at),
        "NgayKetThucTheoQuyDinh": _stamp(event.step_deadline or dossier.due_at_original),
    }


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
    last_seq: int | None = None,
) -> DossierEvent:
    """Move ``dossier`` to ``target``: check the edge, claim the row with a state- and
    version-conditional UPDATE (zero rows: someone else got there first, nothing changes),
    append the event and the portal-sync outbox row. Runs inside the caller's transaction.
    ``last_seq``: the number of the dossier's last event when the caller wrote every event of
    the dossier in this same transaction (a dossier registered just now)."""
    source = State(dossier.state)
    try:
        check_transition(source, target)
    except IllegalTransition:
        raise IllegalTransitionError(source, target) from None
    moment = at or now()
    changes = dict(updates or {})
    claimed = Dossier.objects.filter(
        pk=dossier.pk, state=source.value, version=dossier.version
    ).update(state=target.value, version=F("version") + 1, updated_at=now(), **changes)
    if claimed != 1:
        raise AlreadyHandled(dossier.code or str(dossier.pk))
    # The claim wrote exactly these values: mirror them instead of reading the row again.
    dossier.state = target.value
    dossier.version += 1
    for field, value in changes.items():
        setattr(dossier, field, value)
    event = record_event(
        dossier,
        f"dossier:state:{target.value}",
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
        seq=last_seq + 1 if last_seq is not None else None,
    )
    with batched():  # the portal step and the applicant's messages: one INSERT
        if dossier.code:  # a dossier exists for the portal once it has a code (R-SYNC-04)
            enqueue(
                topic="portal.step",
                key=dossier.code,
                payload={
                    "status": NATIONAL_CODE[target],
                    "step": portal_step(dossier, event),
                    "dossier": portal_dossier_fields(dossier),
                },
                idempotency_key=f"portal:{dossier.pk}:{event.seq}",
            )
        kind = NOTIFY_ON.get(target)
        if kind is not None:
            tell_applicant(dossier, event, kind)
    for hook in EVENT_HOOKS:
        hook(dossier, event)
    return event


#: Reactions to every state event, called in its transaction. Apps above ``dossiers`` register
#: theirs explicitly in their AppConfig.ready (``insights`` keeps its rollups current); the
#: layers forbid calling them by name from here, and signals would hide them.
EVENT_HOOKS: list[Callable[[Dossier, DossierEvent], None]] = []


#: The moments the applicant is told about (issue #6 item 5); the apology is sent by
#: do_extend_deadline, which is not a state change.
NOTIFY_ON = {
    State.RECEIVED: "received",
    State.AWAITING_SUPPLEMENT: "supplement",
    State.AWAITING_PAYMENT: "payment_due",
    State.RESULT_READY: "result_ready",
    State.RETURNED: "returned",
}


def tell_applicant(dossier: Dossier, event: DossierEvent, kind: str) -> None:
    from motcua.dossiers.printing import tracking_url

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


def units_of(user: User, roles: Iterable[str]) -> list[Unit]:
    from motcua.accounts.models import RoleAssignment

    return [
        a.unit
        for a in RoleAssignment.objects.filter(user=user, role__in=list(roles)).select_related(
            "unit"
        )
    ]
