"""Apology and extension, withdrawal, stop, and the return of results (DOMAIN §4.7–4.9)."""

from __future__ import annotations

from datetime import datetime

from motcua.accounts.models import Role, User
from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import now, to_local
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers.actions.core import (
    calendar_of,
    record_event,
    require_role,
    tell_applicant,
    transition,
)
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Delivery, Dossier
from motcua.dossiers.states import OPEN, State
from motcua.worktime import calc


@action
def do_extend_deadline(
    dossier: Dossier, *, acting_user: User, new_due_at: datetime, reason: str
) -> Dossier:
    """Form 04: apology and new date, at least one working day before the deadline, only once
    (R-LATE-01, R-LATE-02); statistics keep the original deadline (R-LATE-07)."""
    require_role(acting_user, dossier.competent_unit, Role.SPECIALIST, Role.UNIT_LEADER)
    state = State(dossier.state)
    if state not in OPEN or dossier.due_at_current is None:
        raise RuleViolation(
            "Chỉ gia hạn được hồ sơ đang giải quyết.", "Only a dossier in progress can be extended."
        )
    if dossier.extensions >= 1:
        raise RuleViolation(
            "Việc hẹn lại ngày trả kết quả chỉ được thực hiện không quá một lần (R-LATE-02).",
            "The return date may be set again only once (R-LATE-02).",
        )
    if not reason.strip():
        raise ValidationFailed(
            "Hãy ghi lý do chậm và cơ quan gây chậm (Mẫu 04).",
            "State the reason for the delay (Form 04).",
            field="reason",
        )
    cal = calendar_of(dossier)
    moment = now()
    due_day = to_local(dossier.due_at_current).date()
    latest = calc.previous_working_day(due_day, cal)
    if to_local(moment).date() > latest:
        raise RuleViolation(
            f"Phải gửi văn bản xin lỗi và hẹn lại chậm nhất 01 ngày làm việc trước hạn "
            f"({latest:%d/%m/%Y}) (R-LATE-01).",
            f"The apology must be sent at least one working day before the deadline "
            f"({latest:%d/%m/%Y}) (R-LATE-01).",
        )
    if new_due_at <= dossier.due_at_current:
        raise ValidationFailed(
            "Ngày hẹn mới phải sau ngày hẹn hiện tại.",
            "The new date must be later.",
            field="new_due_at",
        )
    claimed = Dossier.objects.filter(pk=dossier.pk, version=dossier.version, extensions=0).update(
        due_at_current=new_due_at, extensions=1, version=dossier.version + 1, updated_at=moment
    )
    if claimed != 1:
        raise RuleViolation(
            "Hồ sơ vừa được người khác gia hạn hoặc xử lý; hãy tải lại.",
            "The dossier was just extended or handled by someone else; reload.",
        )
    previous = dossier.due_at_current
    dossier.refresh_from_db()
    event = record_event(
        dossier,
        "dossier:deadline:extended",
        actor=acting_user,
        unit=dossier.competent_unit,
        at=moment,
        reason=nfc(reason),
        form="04",
        step_deadline=new_due_at,
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(9); Mẫu 04 (R-LATE-01..07)",
        payload={"previous_due_at": previous.isoformat(), "new_due_at": new_due_at.isoformat()},
    )
    tell_applicant(dossier, event, "apology")  # R-LATE-03: the applicant is told the new date
    return dossier


@action
def do_withdraw_dossier(
    dossier: Dossier, *, acting_user: User, at_unit: Unit | None, reason: str
) -> Dossier:
    """The applicant asks to stop: if no result exists yet the unit issues Form 05 (R-STOP-01/02).
    The applicant themself (online) or a one-stop officer of the receiving centre may record it."""
    if dossier.citizen_id != acting_user.pk:
        assert at_unit is not None
        require_role(acting_user, at_unit, Role.ONE_STOP_OFFICER)
    transition(
        dossier,
        State.WITHDRAWN,
        actor=acting_user,
        unit=at_unit or dossier.receiving_unit,
        reason=nfc(reason) or "Công dân yêu cầu dừng giải quyết, rút hồ sơ",
        form="05",
        legal_basis="Nghị định 118/2025/NĐ-CP Điều 21; Mẫu 05 Thông tư 03/2025/TT-VPCP",
    )
    return dossier


@action
def do_stop_dossier(dossier: Dossier, *, acting_user: User, reason: str) -> Dossier:
    require_role(acting_user, dossier.competent_unit, Role.UNIT_LEADER)
    if not reason.strip():
        raise ValidationFailed("Hãy ghi lý do dừng xử lý.", "A reason is required.", field="reason")
    transition(
        dossier,
        State.STOPPED,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason=nfc(reason),
        updates={"clock_paused_at": None},
    )
    return dossier


@action
def do_return_result(
    dossier: Dossier, *, acting_user: User | None, at_unit: Unit | None, method: str | None = None
) -> Dossier:
    """Hand the result over at the counter, send it by post, or deliver it online (R-RES-01)."""
    method = method or dossier.result_delivery
    if method not in Delivery.values:
        raise ValidationFailed(
            "Hình thức trả không hợp lệ.", "Unknown delivery method.", field="method"
        )
    if method != Delivery.ONLINE or acting_user is not None:
        assert acting_user is not None
        assert at_unit is not None
        require_role(acting_user, at_unit, Role.ONE_STOP_OFFICER)
        if at_unit.pk != dossier.return_unit_id:
            raise RuleViolation(
                f"Kết quả được trả tại {dossier.return_unit.name}.",
                f"The result is returned at {dossier.return_unit.name}.",
            )
    moment = now()
    transition(
        dossier,
        State.RETURNED,
        actor=acting_user,
        unit=at_unit or dossier.return_unit,
        reason={
            "counter": "Trả kết quả tại bộ phận một cửa",
            "post": "Gửi kết quả qua bưu chính",
            "online": "Trả kết quả trực tuyến",
        }[method],
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 20",
        at=moment,
        updates={"returned_at": moment},
        payload={"method": method},
    )
    return dossier
