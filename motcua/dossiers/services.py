"""One table of what an officer can do to a dossier, used by the desk pages and the API alike.

``allowed_actions`` lists only what the state machine AND the person's roles permit, so pages
show no button that would fail; ``perform`` runs the action (the action re-checks everything).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from motcua.accounts.models import Role, User
from motcua.accounts.scope import has_role
from motcua.core.errors import ValidationFailed
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import CLOCK_RUNNING, OPEN, TRANSITIONS, State
from motcua.worktime.calc import TZ


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label_vi: str
    label_en: str
    target: State | None  # None: not a state change (extension)
    role: str
    unit_attr: str  # which of the dossier's units the role must be held at
    fields: tuple[str, ...]
    run: Callable[[Dossier, User, dict[str, Any]], object]
    states: frozenset[State]  # where the action applies
    danger: bool = False


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _items(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Supplement items: a list of {"name", "reason"} (API) or lines "name | reason" (pages)."""
    raw = data.get("items") or []
    if isinstance(raw, str):
        pairs = [line.split("|", 1) for line in raw.splitlines() if line.strip()]
        return [(p[0].strip(), p[1].strip() if len(p) > 1 else "") for p in pairs]
    return [(str(e.get("name", "")).strip(), str(e.get("reason", "")).strip()) for e in raw]


def _datetime(data: dict[str, Any], key: str) -> datetime:
    value = data.get(key)
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise ValidationFailed(
                "Ngày giờ không hợp lệ (YYYY-MM-DDTHH:MM).", "Invalid date-time.", field=key
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return moment


SPECS: list[ActionSpec] = [
    ActionSpec(
        "receive",
        "Tiếp nhận (cấp Giấy tiếp nhận, Mẫu 01)",
        "Receive (Form 01)",
        State.RECEIVED,
        Role.ONE_STOP_OFFICER,
        "receiving_unit",
        ("appointment_at",),
        # A procedure that publishes no time limit needs the appointment the officer sets
        # (receive.py refuses it otherwise), for an online dossier too (issue #14).
        lambda d, u, data: actions.do_receive_dossier(
            d,
            acting_user=u,
            at_unit=d.receiving_unit,
            appointment_at=_datetime(data, "appointment_at")
            if data.get("appointment_at")
            else None,
        ),
        states=frozenset({State.SUBMITTED}),
    ),
    ActionSpec(
        "request_supplement",
        "Yêu cầu bổ sung (Mẫu 02)",
        "Request a supplement (Form 02)",
        State.AWAITING_SUPPLEMENT,
        "",
        "",
        ("items",),
        lambda d, u, data: actions.do_request_supplement(
            d,
            acting_user=u,
            at_unit=d.receiving_unit if d.state == State.SUBMITTED else d.competent_unit,
            items=_items(data),
        ),
        states=frozenset({State.SUBMITTED, State.IN_APPRAISAL}),
    ),
    ActionSpec(
        "refuse",
        "Từ chối tiếp nhận (Mẫu 03)",
        "Refuse (Form 03)",
        State.REFUSED_AT_RECEIPT,
        Role.ONE_STOP_OFFICER,
        "receiving_unit",
        ("reason",),
        lambda d, u, data: actions.do_refuse_at_receipt(
            d, acting_user=u, at_unit=d.receiving_unit, reason=_text(data, "reason")
        ),
        states=frozenset({State.SUBMITTED}),
        danger=True,
    ),
    ActionSpec(
        "forward",
        "Chuyển đến cơ quan giải quyết",
        "Forward to the competent unit",
        State.IN_APPRAISAL,
        Role.ONE_STOP_OFFICER,
        "receiving_unit",
        (),
        lambda d, u, data: actions.do_forward_dossier(d, acting_user=u, at_unit=d.receiving_unit),
        states=frozenset({State.RECEIVED}),
    ),
    ActionSpec(
        "submit",
        "Trình ký duyệt",
        "Submit for approval",
        State.AWAITING_SIGNATURE,
        Role.SPECIALIST,
        "competent_unit",
        ("proposal", "opinion"),
        lambda d, u, data: actions.do_submit_for_approval(
            d,
            acting_user=u,
            proposal=_text(data, "proposal") or "approved",
            opinion=_text(data, "opinion"),
        ),
        states=frozenset({State.IN_APPRAISAL}),
    ),
    ActionSpec(
        "approve",
        "Phê duyệt, ký kết quả",
        "Approve and sign",
        State.RESULT_READY,
        Role.UNIT_LEADER,
        "competent_unit",
        (),
        lambda d, u, data: actions.do_approve_dossier(d, acting_user=u, note=_text(data, "note")),
        states=frozenset({State.AWAITING_SIGNATURE}),
    ),
    ActionSpec(
        "send_back",
        "Trả lại chuyên viên",
        "Send back",
        State.IN_APPRAISAL,
        Role.UNIT_LEADER,
        "competent_unit",
        ("reason",),
        lambda d, u, data: actions.do_send_back(d, acting_user=u, reason=_text(data, "reason")),
        states=frozenset({State.AWAITING_SIGNATURE}),
    ),
    ActionSpec(
        "refuse_after_appraisal",
        "Từ chối giải quyết (Mẫu 03)",
        "Refuse after appraisal (Form 03)",
        State.RESULT_READY,
        Role.UNIT_LEADER,
        "competent_unit",
        ("reason",),
        lambda d, u, data: actions.do_refuse_after_appraisal(
            d, acting_user=u, reason=_text(data, "reason")
        ),
        states=frozenset({State.IN_APPRAISAL}),
        danger=True,
    ),
    ActionSpec(
        "request_payment",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Request payment",
        State.AWAITING_PAYMENT,
        Role.SPECIALIST,
        "competent_unit",
        ("amount", "reason"),
        lambda d, u, data: actions.do_request_payment(
            d, acting_user=u, amount=int(data.get("amount") or 0), reason=_text(data, "reason")
        ),
        states=frozenset({State.IN_APPRAISAL}),
    ),
    ActionSpec(
        "record_payment",
        "Ghi nhận đã nộp",
        "Record payment",
        State.IN_APPRAISAL,
        Role.SPECIALIST,
        "competent_unit",
        ("reference",),
        lambda d, u, data: actions.do_record_payment(
            d, acting_user=u, reference=_text(data, "reference")
        ),
        states=frozenset({State.AWAITING_PAYMENT}),
    ),
    ActionSpec(
        "extend",
        "Xin lỗi, hẹn lại ngày trả (Mẫu 04)",
        "Apologise and extend (Form 04)",
        None,
        Role.SPECIALIST,
        "competent_unit",
        ("new_due_at", "reason"),
        lambda d, u, data: actions.do_extend_deadline(
            d, acting_user=u, new_due_at=_datetime(data, "new_due_at"), reason=_text(data, "reason")
        ),
        states=frozenset(CLOCK_RUNNING),
    ),
    ActionSpec(
        "withdraw",
        "Công dân rút hồ sơ (Mẫu 05)",
        "Withdrawal requested (Form 05)",
        State.WITHDRAWN,
        Role.ONE_STOP_OFFICER,
        "receiving_unit",
        ("reason",),
        lambda d, u, data: actions.do_withdraw_dossier(
            d, acting_user=u, at_unit=d.receiving_unit, reason=_text(data, "reason")
        ),
        states=frozenset(OPEN),
        danger=True,
    ),
    ActionSpec(
        "stop",
        "Dừng xử lý",
        "Stop processing",
        State.STOPPED,
        Role.UNIT_LEADER,
        "competent_unit",
        ("reason",),
        lambda d, u, data: actions.do_stop_dossier(d, acting_user=u, reason=_text(data, "reason")),
        states=frozenset(OPEN) - {State.SUBMITTED},
        danger=True,
    ),
    ActionSpec(
        "return",
        "Trả kết quả",
        "Return the result",
        State.RETURNED,
        Role.ONE_STOP_OFFICER,
        "return_unit",
        (),
        lambda d, u, data: actions.do_return_result(
            d, acting_user=u, at_unit=d.return_unit, method=_text(data, "method") or None
        ),
        states=frozenset({State.RESULT_READY}),
    ),
]
BY_NAME = {spec.name: spec for spec in SPECS}
WITH_RELATED = Dossier.objects.select_related(
    "procedure_version", "receiving_unit", "competent_unit", "return_unit"
)


def _role_for(spec: ActionSpec, dossier: Dossier) -> tuple[str, str]:
    """Who performs it, at which of the dossier's units. A supplement is asked by the counter
    before receipt (R-SUP-01) and by the competent unit's specialist after appraisal (R-SUP-02)."""
    if spec.name == "request_supplement" and dossier.state != State.SUBMITTED:
        return Role.SPECIALIST, "competent_unit"
    if spec.name == "request_supplement":
        return Role.ONE_STOP_OFFICER, "receiving_unit"
    return spec.role, spec.unit_attr


def allowed_actions(user: User, dossier: Dossier) -> list[ActionSpec]:
    """The actions the state machine allows now AND the person's roles permit."""
    state = State(dossier.state)
    allowed = []
    for spec in SPECS:
        if state not in spec.states:
            continue
        if spec.target is not None and spec.target not in TRANSITIONS[state]:
            continue
        if spec.name == "extend" and dossier.extensions:
            continue
        if spec.name == "request_supplement" and dossier.supplements_after_appraisal:
            continue
        role, unit_attr = _role_for(spec, dossier)
        if has_role(user, getattr(dossier, unit_attr), (role,)):
            allowed.append(spec)
    return allowed


def perform(user: User, dossier: Dossier, name: str, data: dict[str, Any]) -> Dossier:
    spec = BY_NAME.get(name)
    if spec is None:
        raise ValidationFailed(f"Thao tác “{name}” không tồn tại.", f"Unknown action {name!r}.")
    spec.run(dossier, user, data)
    # Read back once with what the pages and the API show (version, the three units).
    dossier.refresh_from_db(from_queryset=WITH_RELATED)
    return dossier
