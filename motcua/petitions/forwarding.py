"""Forwarding a petition that is not within the unit's competence (issue #18): to a real unit of
the province — a new petition is filed for that unit, with its own code and handling deadline —
or to an outside body named by its agency code (QCVN 102 / Decision 20). The old petition
becomes ``not_competent`` and leaves the unit's R-IDX-02 denominator; the new one counts for
the unit that handles it. The petitioner is told at each step (receipt, forwarding with the new
code, taken up, answered) and answers the final answer satisfied / not satisfied (R-IDX-03).

Deadlines [I: DOMAIN.md gives petitions no forwarding rule; the dossier rules are applied]:

* the forwarding itself is due within the working day of receipt, or on the next working day
  when received after the cut-off or on a day off (R-TRF-03, R-ORG-05, computed as R-TIME-10);
  a late forwarding is allowed and recorded (``PetitionForward.in_time``). The values are
  settings: ``MOTCUA_PETITION_FORWARD_WORKING_DAYS`` (default 0: that same-day rule; N > 0
  gives N working days, counted from the next working day's opening when received after the
  cut-off, R-TIME-05) and the cut-off itself is the province calendar's (``WorkingCalendar.cutoff``,
  15:00 by default, R-TIME-10; changed by the admin with its legal basis);
* the receiving unit's handling deadline runs from the moment it receives the petition (the
  forwarding), ``MOTCUA_PETITION_HANDLING_DAYS`` working days (decision 0005), like any
  petition; the old deadline does not carry over.

An outside body is not reached electronically yet (there is no official-document exchange
adapter in ``exchange/``): the forwarding is recorded with the code and name, the officer sends
the official letter, and the petitioner is told where it went."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.agencies.codes import CodeError, parse_agency_code
from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import now, to_local
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.petitions.actions import (
    _move,
    _record,
    _require_handler,
    allocate_number,
    due_at_for,
    format_code,
)
from motcua.petitions.models import OPEN_STATES, Petition, PetitionForward, PetitionState
from motcua.petitions.notices import lookup_url, notify_petitioner, send_notice
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

#: Labels of the desk's forwarding fields (the petitions catalogue translates them).
FORM_LABELS = {
    "to_unit": gettext_lazy("Chuyển đến đơn vị của tỉnh"),
    "none": gettext_lazy("— Không chọn —"),
    "agency_code": gettext_lazy("Hoặc cơ quan ngoài tỉnh: mã định danh"),
    "agency_name": gettext_lazy("Tên cơ quan ngoài tỉnh"),
    "templates": gettext_lazy("Bắt đầu từ mẫu trả lời"),
}


def forward_due_at(petition: Petition) -> datetime:
    """When forwarding was due: the closing time of the receipt's working day, or of the next
    working day when received after the calendar's cut-off or on a day off (R-TRF-03, R-ORG-05
    via R-TIME-10); with ``MOTCUA_PETITION_FORWARD_WORKING_DAYS`` = N > 0, N working days with
    the cut-off flag (R-TIME-05)."""
    return calc.due_at(petition.received_at, forward_limit(), calendar_for(petition.province_id))


def forward_limit() -> calc.TimeLimit:
    """The forwarding's own time limit, from ``MOTCUA_PETITION_FORWARD_WORKING_DAYS``."""
    days: int = settings.MOTCUA_PETITION_FORWARD_WORKING_DAYS
    if days < 0:
        raise ValueError("MOTCUA_PETITION_FORWARD_WORKING_DAYS must be 0 or more")
    if days == 0:
        return calc.TimeLimit(Decimal(0), calc.LimitUnit.SAME_DAY)
    return calc.TimeLimit(Decimal(days), calc.LimitUnit.WORKING_DAYS, cutoff_1500=True)


def _target_unit(petition: Petition, unit_id: uuid.UUID | str) -> Unit:
    today = to_local(now()).date()
    try:
        pk = uuid.UUID(str(unit_id))
    except ValueError:
        pk = uuid.UUID(int=0)  # matches no unit: refused below
    unit = Unit.objects.filter(pk=pk, province_id=petition.province_id).first()
    if unit is None or (unit.valid_to is not None and unit.valid_to < today):
        raise ValidationFailed(
            "Hãy chọn một cơ quan, đơn vị của tỉnh đang hoạt động.",
            "Choose an active unit of the province.",
            field="to_unit",
        )
    if unit.pk == petition.unit_id:
        raise ValidationFailed(
            "Không thể chuyển phản ánh, kiến nghị cho chính đơn vị đang xử lý.",
            "The petition cannot be forwarded to the unit handling it.",
            field="to_unit",
        )
    return unit


def _outside_body(petition: Petition, code: str, name: str) -> tuple[str, str]:
    code, name = nfc(code).strip().upper(), nfc(name).strip()
    try:
        parse_agency_code(code)
    except CodeError as exc:
        raise ValidationFailed(
            f"Mã định danh cơ quan chưa đúng: {exc.message_vi}",
            f"The agency code is not valid: {exc.message_en or exc.message_vi}",
            field="agency_code",
        ) from None
    if Unit.objects.filter(eid_code=code, province_id=petition.province_id).exists():
        raise ValidationFailed(
            "Cơ quan này là đơn vị của tỉnh: hãy chọn trong danh sách đơn vị.",
            "This body is a unit of the province: choose it from the list of units.",
            field="agency_code",
        )
    if not name:
        raise ValidationFailed(
            "Hãy nhập tên cơ quan nhận.", "Enter the receiving body's name.", field="agency_name"
        )
    return code, name[:255]


@action
def do_forward_petition(
    petition: Petition,
    *,
    reason: str,
    to_unit_id: uuid.UUID | str | None = None,
    agency_code: str = "",
    agency_name: str = "",
    acting_user: User,
) -> PetitionForward:
    """Forward an open petition, not within the unit's competence, to a unit of the province
    (``to_unit_id``) or to an outside body (``agency_code`` + ``agency_name``)."""
    _require_handler(acting_user, petition)
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationFailed(
            "Hãy ghi lý do không thuộc thẩm quyền.", "Give the reason.", field="reason"
        )
    if (not to_unit_id) == (not agency_code.strip()):
        raise ValidationFailed(
            "Hãy chọn một đơn vị của tỉnh hoặc nhập mã định danh của cơ quan ngoài tỉnh.",
            "Choose a unit of the province or enter an outside body's agency code.",
            field="to_unit",
        )
    unit = _target_unit(petition, to_unit_id) if to_unit_id else None
    code, name = ("", "") if unit is not None else _outside_body(petition, agency_code, agency_name)
    at = now()
    old = petition.state
    where = unit.name if unit is not None else f"{name} ({code})"
    _move(
        petition,
        tuple(OPEN_STATES),
        PetitionState.NOT_COMPETENT,
        not_competent_reason=reason[:2000],
        forwarded_to=where[:255],
    )
    due = forward_due_at(petition)
    forward = PetitionForward(
        petition=petition,
        to_unit=unit,
        agency_code=code,
        agency_name=name,
        at=at,
        by=acting_user,
        forward_due_at=due,
        in_time=at <= due,
    )
    if unit is not None:
        forward.new_petition = _refile(petition, unit, at)
    forward.save()
    _record(
        petition,
        "petition:state:not_competent",
        actor=acting_user,
        at=at,
        from_state=old,
        to_state=PetitionState.NOT_COMPETENT,
        reason=reason,
        payload={
            "forwarded_to": petition.forwarded_to,
            "to_unit": str(unit.pk) if unit is not None else "",
            "agency_code": code,
            "agency_name": name,
            "new_code": forward.new_petition.code if forward.new_petition else "",
            "forward_due_at": due.isoformat(),
            "in_time": forward.in_time,
        },
    )
    _tell(petition, forward)
    return forward


def _refile(petition: Petition, unit: Unit, at: datetime) -> Petition:
    """The petition as received by ``unit`` at ``at``: same petitioner, content and place; its
    own code and handling deadline."""
    day = to_local(at).date()
    due = due_at_for(at, unit.province_id)
    new = Petition.objects.create(
        code=format_code(day, allocate_number(unit.province_id, day)),
        province_id=unit.province_id,
        unit=unit,
        dossier=petition.dossier,
        dossier_code=petition.dossier_code,
        procedure_code=petition.procedure_code,
        kind=petition.kind,
        subject=petition.subject,
        content=petition.content,
        petitioner_name=petition.petitioner_name,
        petitioner_phone=petition.petitioner_phone,
        petitioner_email=petition.petitioner_email,
        citizen=petition.citizen,
        channel=petition.channel,
        received_at=at,
        received_on=day,
        due_at=due,
        due_on=to_local(due).date(),
        latitude=petition.latitude,
        longitude=petition.longitude,
        address=petition.address,
        commune=petition.commune,
    )
    _record(
        new,
        "petition:state:received",
        actor=None,
        at=at,
        to_state=PetitionState.RECEIVED,
        reason=f"Tiếp nhận do {petition.unit.name} chuyển đến ({petition.code})",
        payload={
            "channel": new.channel,
            "due_at": due.isoformat(),
            "forwarded_from": petition.code,
        },
    )
    return new


def _tell(petition: Petition, forward: PetitionForward) -> None:
    new = forward.new_petition
    if new is None:
        notify_petitioner(petition, "not_competent")
        return
    due = f"{to_local(new.due_at):%d/%m/%Y}"
    title = f"Phản ánh, kiến nghị {petition.code} đã được chuyển đến {new.unit.name}"
    body = (
        f"Phản ánh, kiến nghị {petition.code} không thuộc thẩm quyền của {petition.unit.name} "
        f"và đã được chuyển đến {new.unit.name}, mã mới {new.code}, hạn trả lời {due}. "
        f"Lý do: {petition.not_competent_reason}"
    )
    sms = (
        f"PAKN {petition.code} da chuyen den {new.unit.name}, ma moi {new.code}, han {due}. "
        f"Tra cuu: {lookup_url(new)}"
    )
    send_notice(petition, "forwarded", title, sms, body)
