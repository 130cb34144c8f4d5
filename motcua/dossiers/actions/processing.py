"""Transfer, appraisal, consultation, approval (DOMAIN §4.4–4.6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from motcua.accounts.models import Role, User
from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers.actions.core import (
    calendar_of,
    record_event,
    require_role,
    transfer_deadline,
    transition,
)
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Consultation, Dossier, ResultKind
from motcua.dossiers.results import issue_signed_result
from motcua.dossiers.states import State
from motcua.worktime import calc


@dataclass(frozen=True)
class StepPlan:
    """Deadlines of the internal steps (R-TIME-02): appraisal, then the leader's approval, then
    the return; each a share of the legal time in 0.5-working-day steps."""

    appraisal: datetime
    approval: datetime
    handover: datetime


HALF_DAY_MINUTES = 240


def step_plan(dossier: Dossier) -> StepPlan | None:
    """The procedure's own process steps when the catalogue has them; otherwise the default
    split: the leader gets 0.5 working day and the return 0.5 working day before the deadline
    (a quarter each when the limit is shorter than two working days)."""
    if dossier.received_at is None or dossier.due_at_original is None:
        return None
    cal = calendar_of(dossier)
    start = calc.normalize_receipt(dossier.received_at, cal)
    total = calc.working_minutes_between(start, dossier.due_at_original, cal)
    if total <= 0:
        return StepPlan(dossier.due_at_original, dossier.due_at_original, dossier.due_at_original)
    steps = list(dossier.procedure_version.steps.order_by("order"))
    if steps:
        minutes = [int(step.duration_hours * 60) for step in steps]
        cumulative = [sum(minutes[: i + 1]) for i in range(len(minutes))]
        marks = [calc.add_working_minutes(start, min(m, total), cal) for m in cumulative]
        return StepPlan(marks[0], marks[min(1, len(marks) - 1)], dossier.due_at_original)
    share = HALF_DAY_MINUTES if total >= 4 * HALF_DAY_MINUTES else total // 4
    return StepPlan(
        appraisal=calc.add_working_minutes(start, total - 2 * share, cal),
        approval=calc.add_working_minutes(start, total - share, cal),
        handover=dossier.due_at_original,
    )


@action
def do_assign_dossier(dossier: Dossier, *, acting_user: User, specialist: User) -> Dossier:
    """The head of the competent unit assigns the specialist who appraises (R-PROC-01)."""
    require_role(acting_user, dossier.competent_unit, Role.UNIT_LEADER)
    require_role(specialist, dossier.competent_unit, Role.SPECIALIST)
    Dossier.objects.filter(pk=dossier.pk).update(assigned_to=specialist, updated_at=now())
    dossier.refresh_from_db()
    plan = step_plan(dossier)
    record_event(
        dossier,
        "dossier:assignee:changed",
        actor=acting_user,
        unit=dossier.competent_unit,
        at=now(),
        reason=f"Phân công {specialist.full_name or specialist.username} thẩm định",
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(1) (R-PROC-01)",
        step_deadline=plan.appraisal if plan else None,
        payload={"assignee": specialist.username},
    )
    return dossier


@action
def do_forward_dossier(dossier: Dossier, *, acting_user: User, at_unit: Unit) -> Dossier:
    """The receiving centre forwards the dossier to the competent unit (R-TRF-01..03)."""
    require_role(acting_user, at_unit, Role.ONE_STOP_OFFICER)
    if at_unit.pk != dossier.receiving_unit_id:
        raise RuleViolation(
            "Chỉ bộ phận đã tiếp nhận hồ sơ mới chuyển hồ sơ đi.",
            "Only the receiving unit forwards the dossier.",
        )
    assert dossier.received_at is not None
    deadline = transfer_deadline(dossier.received_at, calendar_of(dossier))
    plan = step_plan(dossier)
    transition(
        dossier,
        State.IN_APPRAISAL,
        actor=acting_user,
        unit=at_unit,
        reason=f"Chuyển hồ sơ đến {dossier.competent_unit.name}",
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 18(2)-(3) (R-TRF-02)",
        step_deadline=plan.appraisal if plan else None,
        form="06",
        payload={"late_transfer": now() > deadline, "transfer_deadline": deadline.isoformat()},
    )
    return dossier


@action
def do_request_consultation(
    dossier: Dossier,
    *,
    acting_user: User,
    requests: list[tuple[Unit, str, int]],
) -> list[Consultation]:
    """Ask other agencies, each with its own deadline in working days, in parallel (electronic
    dossiers, R-PROC-03/04). Consultation time counts against the statutory time (R-TIME-13)."""
    require_role(acting_user, dossier.competent_unit, Role.SPECIALIST)
    if not requests or any(days <= 0 or not question.strip() for _, question, days in requests):
        raise ValidationFailed(
            "Mỗi cơ quan được lấy ý kiến cần nội dung và thời hạn trả lời (số ngày làm việc > 0).",
            "Each consulted agency needs a question and a deadline in working days.",
            field="requests",
        )
    moment = now()
    cal = calendar_of(dossier)
    rows = [
        Consultation.objects.create(
            dossier=dossier,
            agency=agency,
            question=nfc(question),
            requested_at=moment,
            deadline=calc.add_working_minutes(
                calc.normalize_receipt(moment, cal), days * cal.minutes_per_day(), cal
            ),
        )
        for agency, question, days in requests
    ]
    transition(
        dossier,
        State.IN_CONSULTATION,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason="Lấy ý kiến: " + ", ".join(r.agency.name for r in rows),
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(5) (R-PROC-03)",
        at=moment,
        step_deadline=max(r.deadline for r in rows),
        payload={"consultations": [r.pk for r in rows]},
    )
    return rows


@action
def do_answer_consultation(
    consultation: Consultation, *, acting_user: User, answer: str
) -> Consultation:
    """The consulted agency answers; when every agency has answered, appraisal resumes."""
    require_role(acting_user, consultation.agency, Role.SPECIALIST, Role.UNIT_LEADER)
    if consultation.answered_at is not None:
        raise RuleViolation("Cơ quan đã trả lời ý kiến này.", "This consultation was answered.")
    if not answer.strip():
        raise ValidationFailed(
            "Hãy nhập nội dung trả lời.", "The answer is required.", field="answer"
        )
    moment = now()
    consultation.answered_at = moment
    consultation.answer = nfc(answer)
    consultation.save(update_fields=["answered_at", "answer"])
    dossier = consultation.dossier
    record_event(
        dossier,
        "dossier:consultation:answered",
        actor=acting_user,
        unit=consultation.agency,
        at=moment,
        reason=f"{consultation.agency.name} trả lời",
        payload={"consultation": consultation.pk, "late": moment > consultation.deadline},
    )
    if not dossier.consultations.filter(answered_at__isnull=True).exists():
        transition(
            dossier,
            State.IN_APPRAISAL,
            actor=acting_user,
            unit=consultation.agency,
            reason="Đã nhận đủ ý kiến của các cơ quan",
            at=moment,
        )
    return consultation


@action
def do_submit_for_approval(
    dossier: Dossier, *, acting_user: User, proposal: str, opinion: str
) -> Dossier:
    """The specialist submits the appraisal with a proposal to approve or refuse (R-PROC-01).
    The proposal is kept in ``result_kind`` until the leader decides."""
    require_role(acting_user, dossier.competent_unit, Role.SPECIALIST)
    if proposal not in ResultKind.values:
        raise ValidationFailed("Đề xuất không hợp lệ.", "Unknown proposal.", field="proposal")
    if not opinion.strip():
        raise ValidationFailed(
            "Hãy ghi ý kiến thẩm định.", "The appraisal opinion is required.", field="opinion"
        )
    plan = step_plan(dossier)
    transition(
        dossier,
        State.AWAITING_SIGNATURE,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason=nfc(opinion),
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(1) (R-PROC-01)",
        step_deadline=plan.approval if plan else None,
        updates={"result_kind": proposal},
        payload={"proposal": proposal},
    )
    return dossier


@action
def do_approve_dossier(dossier: Dossier, *, acting_user: User, note: str = "") -> Dossier:
    """The leader signs: the result (or the refusal, Form 03) is ready (R-PROC-01, R-PROC-06)."""
    require_role(acting_user, dossier.competent_unit, Role.UNIT_LEADER)
    refused = dossier.result_kind == ResultKind.REFUSED
    moment = now()
    transition(
        dossier,
        State.RESULT_READY,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason=nfc(note)
        or ("Ký văn bản từ chối giải quyết" if refused else "Phê duyệt, ký kết quả"),
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(8)"
        if refused
        else "Nghị định 61/2018/NĐ-CP Điều 19(1)",
        form="03" if refused else "",
        at=moment,
        step_deadline=dossier.due_at_original,
        updates={"result_at": moment, "result_kind": dossier.result_kind or ResultKind.APPROVED},
    )
    issue_signed_result(dossier)  # the signed result (or refusal), in the same transaction
    return dossier


@action
def do_send_back(dossier: Dossier, *, acting_user: User, reason: str) -> Dossier:
    require_role(acting_user, dossier.competent_unit, Role.UNIT_LEADER)
    if not reason.strip():
        raise ValidationFailed("Hãy ghi lý do trả lại.", "A reason is required.", field="reason")
    transition(
        dossier,
        State.IN_APPRAISAL,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason=nfc(reason),
        updates={"result_kind": ""},
    )
    return dossier


@action
def do_refuse_after_appraisal(dossier: Dossier, *, acting_user: User, reason: str) -> Dossier:
    """Not eligible: the leader refuses with reasons (Form 03) within the statutory time; the
    refusal is the result returned to the applicant (R-PROC-06, R-STATE-03)."""
    require_role(acting_user, dossier.competent_unit, Role.UNIT_LEADER)
    if not reason.strip():
        raise ValidationFailed(
            "Hãy ghi rõ lý do không giải quyết (Mẫu 03).",
            "State the reasons (Form 03).",
            field="reason",
        )
    moment = now()
    transition(
        dossier,
        State.RESULT_READY,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason=nfc(reason),
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(8) (R-PROC-06)",
        form="03",
        at=moment,
        updates={"result_at": moment, "result_kind": ResultKind.REFUSED},
    )
    issue_signed_result(dossier)  # the signed refusal is the result (R-PROC-06)
    return dossier


@action
def do_request_payment(dossier: Dossier, *, acting_user: User, amount: int, reason: str) -> Dossier:
    """Waiting for the applicant's financial obligation: the clock stops (R-PAY-02, R-TIME-13)."""
    require_role(acting_user, dossier.competent_unit, Role.SPECIALIST)
    if amount <= 0:
        raise ValidationFailed(
            "Số tiền phải lớn hơn 0.", "The amount must be positive.", field="amount"
        )
    moment = now()
    transition(
        dossier,
        State.AWAITING_PAYMENT,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason=nfc(reason) or "Yêu cầu thực hiện nghĩa vụ tài chính",
        at=moment,
        legal_basis="R-PAY-02; thời gian chờ không tính vào thời hạn (R-TIME-13)",
        updates={"clock_paused_at": moment},
        payload={"amount": amount},
    )
    return dossier


@action
def do_record_payment(dossier: Dossier, *, acting_user: User | None, reference: str) -> Dossier:
    """Payment received: the clock resumes with the time that was left (R-TIME-13)."""
    return write_recorded_payment(dossier, acting_user=acting_user, reference=reference)


def write_recorded_payment(
    dossier: Dossier, *, acting_user: User | None, reference: str
) -> Dossier:
    """``do_record_payment``'s writes in the caller's transaction (payments' confirmation of
    an online payment)."""
    if acting_user is not None:
        require_role(acting_user, dossier.competent_unit, Role.SPECIALIST, Role.ONE_STOP_OFFICER)
    moment = now()
    updates: dict[str, object] = {"clock_paused_at": None}
    if dossier.clock_paused_at and dossier.due_at_original and dossier.due_at_current:
        cal = calendar_of(dossier)
        left_original = calc.working_minutes_between(
            dossier.clock_paused_at, dossier.due_at_original, cal
        )
        left_current = calc.working_minutes_between(
            dossier.clock_paused_at, dossier.due_at_current, cal
        )
        start = calc.normalize_receipt(moment, cal)
        updates["due_at_original"] = calc.add_working_minutes(start, left_original, cal)
        updates["due_at_current"] = calc.add_working_minutes(start, left_current, cal)
    transition(
        dossier,
        State.IN_APPRAISAL,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason=f"Đã thực hiện nghĩa vụ tài chính ({reference})",
        at=moment,
        updates=updates,
        payload={"reference": reference},
    )
    return dossier


@action
def do_send_interagency(dossier: Dossier, *, acting_user: User, agency: Unit, task: str) -> Dossier:
    """One-stop inter-agency (R-PROC-04/05): the dossier goes to another agency's system."""
    require_role(acting_user, dossier.competent_unit, Role.SPECIALIST)
    transition(
        dossier,
        State.IN_INTERAGENCY,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason=f"Liên thông đến {agency.name}: {nfc(task)}",
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(6)-(7)",
        payload={"agency": str(agency.pk)},
    )
    return dossier


@action
def do_record_interagency_result(
    dossier: Dossier, *, acting_user: User, note: str, final: bool = False
) -> Dossier:
    require_role(acting_user, dossier.competent_unit, Role.SPECIALIST, Role.UNIT_LEADER)
    moment = now()
    if final:
        require_role(acting_user, dossier.competent_unit, Role.UNIT_LEADER)
        transition(
            dossier,
            State.RESULT_READY,
            actor=acting_user,
            unit=dossier.competent_unit,
            reason=nfc(note) or "Nhận kết quả liên thông",
            at=moment,
            updates={"result_at": moment, "result_kind": ResultKind.APPROVED},
        )
    else:
        transition(
            dossier,
            State.IN_APPRAISAL,
            actor=acting_user,
            unit=dossier.competent_unit,
            reason=nfc(note) or "Nhận kết quả liên thông",
            at=moment,
        )
    return dossier


__all__ = ["StepPlan", "step_plan", "transfer_deadline"]
