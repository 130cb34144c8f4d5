"""The only writers of petitions (phản ánh, kiến nghị): one transaction each, an event in the
append-only trail for every change, and the permission check first.

Officers act only on petitions of units in their scope (``accounts.scope``) and only with a
handling role; anything else looks like a petition that does not exist (NotFound). Petitioners
act through their account (the petition's citizen) or through the signed response link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F
from vn_ident import is_valid_phone

from motcua.accounts.models import User
from motcua.accounts.scope import units_in_scope
from motcua.agencies.models import Unit
from motcua.core import events
from motcua.core.actions import action
from motcua.core.clock import now, to_local
from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.core.rawsql import next_number
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier
from motcua.geo.models import Commune
from motcua.petitions import states
from motcua.petitions.models import (
    HANDLER_ROLES,
    OPEN_STATES,
    Petition,
    PetitionChannel,
    PetitionEvent,
    PetitionKind,
    PetitionResponse,
    PetitionSequence,
    PetitionState,
)
from motcua.petitions.notices import notify_petitioner
from motcua.petitions.tokens import BadToken, read_token
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

CODE_PREFIX = "PAKN"
MIN_TEXT = 10  # characters of a description or an answer


def handling_limit() -> calc.TimeLimit:
    """The handling deadline: MOTCUA_PETITION_HANDLING_DAYS working days (default 10). Not
    stated in DOMAIN.md — configurable and unverified (docs/decisions/0005)."""
    return calc.TimeLimit(
        Decimal(settings.MOTCUA_PETITION_HANDLING_DAYS), calc.LimitUnit.WORKING_DAYS
    )


def due_at_for(received_at: datetime, province_id: int) -> datetime:
    return calc.due_at(received_at, handling_limit(), calendar_for(province_id))


def allocate_number(province_id: int, day: date) -> int:
    """Next number of the province on ``day``: unique and gap-free (it commits or rolls back
    with the filing; core.rawsql)."""
    return next_number(PetitionSequence._meta.db_table, "province_id", province_id, day)


def format_code(day: date, number: int) -> str:
    return f"{CODE_PREFIX}-{day:%y%m%d}-{number:04d}"


def _record(
    petition: Petition,
    kind: str,
    *,
    actor: User | None,
    at: datetime,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> PetitionEvent:
    event = PetitionEvent(
        petition=petition,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.full_name or actor.username)
        if actor is not None and actor.is_authenticated
        else "",
        unit=petition.unit,
        reason=reason,
        payload=payload or {},
    )
    return events.record(event, subject=petition)


def can_handle(user: User | None, petition: Petition) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_officer
        and petition.unit_id in units_in_scope(user, HANDLER_ROLES)
    )


def _require_handler(user: User, petition: Petition) -> None:
    if not can_handle(user, petition):
        # Missing and forbidden look the same (DESIGN §3).
        raise NotFound("Không tìm thấy phản ánh, kiến nghị", "Petition not found")


def _move(petition: Petition, old: tuple[str, ...], new: str, **updates: Any) -> None:
    """Move the petition from one of ``old`` to ``new`` along the edges of ``petitions.states``
    only, claiming the row with a state-conditional UPDATE (``core.events.claim``): zero rows
    means someone else acted first, nothing changes."""
    for source in old:
        states.check_transition(source, new)  # a programming error, not the user's
    changed = events.claim(
        Petition.objects.filter(pk=petition.pk),
        from_states=old,
        state=new,
        version=F("version") + 1,
        **updates,
    )
    if changed != 1:
        raise Conflict(
            "Phản ánh, kiến nghị này vừa được người khác xử lý. Hãy tải lại trang.",
            "Someone else has just handled this petition; reload the page.",
        )
    petition.refresh_from_db()


def _filer(
    unit: Unit, channel: str, acting_user: User | None, *, via_api: bool = False
) -> User | None:
    """The citizen filing (None when anonymous or an officer enters it); refuses what the
    filer may not do."""
    if channel not in PetitionChannel.values:
        raise ValidationFailed("Kênh tiếp nhận không hợp lệ.", "Unknown channel.", field="channel")
    if acting_user is not None and acting_user.is_authenticated:
        if not acting_user.is_officer:
            return acting_user
        if channel == PetitionChannel.PORTAL:
            raise PermissionDenied(
                "Cán bộ nhập phản ánh, kiến nghị nhận trực tiếp hoặc qua đường dây nóng.",
                "Officers enter petitions received at the counter or on the hotline.",
            )
        # Intake is open to every handling officer of the province (the one-stop officer of a
        # commune centre takes petitions about the commune's People's Committee); handling stays
        # with the unit's own officers.
        mine = units_in_scope(acting_user, HANDLER_ROLES)
        if not Unit.objects.filter(pk__in=list(mine), province_id=unit.province_id).exists():
            raise NotFound("Không tìm thấy đơn vị", "Unit not found")
        return None
    if channel == PetitionChannel.OPEN311 or (via_api and channel == PetitionChannel.HOTLINE):
        # An app or the 1022 hotline system holding an Open311 key (checked by
        # petitions.open311.views; the key's channel says which).
        return None
    if channel != PetitionChannel.PORTAL:
        raise PermissionDenied(
            "Chỉ cán bộ mới nhập phản ánh nhận trực tiếp hoặc qua đường dây nóng.",
            "Only officers enter petitions received at the counter or by phone.",
        )
    return None


def _check_text(subject: str, content: str, name: str, phone: str, *, anonymous: bool) -> None:
    if not subject:
        raise ValidationFailed("Hãy nhập tiêu đề.", "Enter a subject.", field="subject")
    if len(content) < MIN_TEXT:
        raise ValidationFailed(
            "Hãy mô tả nội dung phản ánh, kiến nghị (ít nhất 10 ký tự).",
            "Describe the petition (at least 10 characters).",
            field="content",
        )
    if not name:
        raise ValidationFailed("Hãy nhập họ và tên.", "Enter your name.", field="name")
    if phone and not is_valid_phone(phone):
        raise ValidationFailed(
            "Số điện thoại chưa đúng. Hãy nhập số di động 10 chữ số, ví dụ 0901234567.",
            "The phone number is not valid; enter a 10-digit mobile number.",
            field="phone",
        )
    if anonymous and not phone:
        raise ValidationFailed(
            "Hãy nhập số điện thoại để nhận trả lời và tra cứu phản ánh, kiến nghị.",
            "Enter a phone number to receive the answer and look the petition up.",
            field="phone",
        )


def _dossier_of(code: str) -> Dossier:
    dossier = (
        Dossier.objects.filter(code=code)
        .select_related("procedure_version__procedure", "competent_unit")
        .first()
    )
    if dossier is None:
        raise ValidationFailed(
            "Không tìm thấy hồ sơ với mã này. Hãy kiểm tra lại Giấy tiếp nhận hoặc bỏ trống.",
            "No dossier has this code; check the receipt or leave it empty.",
            field="dossier_code",
        )
    return dossier


# --------------------------------------------------------------------------- filing


@dataclass(frozen=True)
class PetitionContent:
    """A petition as filed: what it says, whom it concerns, who sends it and how (the portal's
    and the desk's forms, Open311, the hotline). Checked and normalised when written."""

    unit: Unit | None  # None: the competent unit of the linked dossier
    kind: str
    subject: str
    content: str
    name: str
    phone: str = ""
    email: str = ""
    channel: str = PetitionChannel.PORTAL
    dossier_code: str = ""
    procedure_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address: str = ""
    commune: Commune | None = None


@action
def do_file_petition(
    filed: PetitionContent, *, acting_user: User | None = None, via_api: bool = False
) -> Petition:
    """File a petition: from the portal (logged in, or anonymous with a phone number), or
    entered by an officer for one received at the counter or on the hotline. Without a unit, the
    competent unit of the linked dossier is the one concerned."""
    return write_filed_petition(filed, acting_user=acting_user, via_api=via_api)


def write_filed_petition(
    filed: PetitionContent, *, acting_user: User | None = None, via_api: bool = False
) -> Petition:
    """``do_file_petition``'s writes in the caller's transaction (a filing with photos,
    Open311)."""
    unit, kind, channel = filed.unit, filed.kind, filed.channel
    phone, procedure_code = filed.phone, filed.procedure_code
    dossier_code = filed.dossier_code.strip().upper()
    dossier = _dossier_of(dossier_code) if dossier_code else None
    if unit is None and dossier is not None:
        unit = dossier.competent_unit
    if unit is None:
        raise ValidationFailed(
            "Hãy chọn cơ quan, đơn vị được phản ánh, kiến nghị.", "Choose the unit.", field="unit"
        )
    citizen = _filer(unit, channel, acting_user, via_api=via_api)
    if kind not in PetitionKind.values:
        raise ValidationFailed("Hãy chọn phản ánh hoặc kiến nghị.", "Choose a kind.", field="kind")
    subject, content, name = (
        nfc(filed.subject).strip(),
        nfc(filed.content).strip(),
        nfc(filed.name).strip(),
    )
    phone = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    _check_text(subject, content, name, phone, anonymous=citizen is None)
    if citizen is not None and not phone:
        phone = citizen.phone
    if dossier is not None:
        procedure_code = procedure_code or dossier.procedure_version.procedure.code_national
    received = now()
    local_day = to_local(received).date()
    due = due_at_for(received, unit.province_id)
    code = format_code(local_day, allocate_number(unit.province_id, local_day))
    petition = Petition.objects.create(
        code=code,
        province_id=unit.province_id,
        unit=unit,
        dossier=dossier,
        dossier_code=dossier_code,
        procedure_code=procedure_code.strip()[:30],
        kind=kind,
        subject=subject[:200],
        content=content[:4000],
        petitioner_name=name[:150],
        petitioner_phone=phone[:20],
        petitioner_email=filed.email.strip()[:254],
        citizen=citizen,
        channel=channel,
        received_at=received,
        received_on=local_day,
        due_at=due,
        due_on=to_local(due).date(),
        latitude=filed.latitude,
        longitude=filed.longitude,
        address=nfc(filed.address)[:255],
        commune=filed.commune,
    )
    _record(
        petition,
        "petition:state:received",
        actor=acting_user,
        at=received,
        to_state=PetitionState.RECEIVED,
        reason="Tiếp nhận phản ánh, kiến nghị",
        payload={"channel": channel, "due_at": due.isoformat()},
    )
    notify_petitioner(petition, "received")
    return petition


# --------------------------------------------------------------------------- handling


@action
def do_accept_petition(petition: Petition, *, acting_user: User) -> Petition:
    """Received → in progress: the unit takes the petition up."""
    _require_handler(acting_user, petition)
    at = now()
    _move(petition, (PetitionState.RECEIVED,), PetitionState.IN_PROGRESS)
    _record(
        petition,
        "petition:state:in_progress",
        actor=acting_user,
        at=at,
        from_state=PetitionState.RECEIVED,
        to_state=PetitionState.IN_PROGRESS,
        reason="Đơn vị tiếp nhận xử lý",
    )
    notify_petitioner(petition, "in_progress")  # issue #18: the petitioner hears of each step
    return petition


@action
def do_mark_not_competent(
    petition: Petition, *, reason: str, forwarded_to: str = "", acting_user: User
) -> Petition:
    """Not within the unit's competence: forwarded; it leaves the R-IDX-02 denominator."""
    _require_handler(acting_user, petition)
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationFailed(
            "Hãy ghi lý do không thuộc thẩm quyền.", "Give the reason.", field="reason"
        )
    old = petition.state
    _move(
        petition,
        tuple(OPEN_STATES),
        PetitionState.NOT_COMPETENT,
        not_competent_reason=reason[:2000],
        forwarded_to=nfc(forwarded_to).strip()[:255],
    )
    _record(
        petition,
        "petition:state:not_competent",
        actor=acting_user,
        at=now(),
        from_state=old,
        to_state=PetitionState.NOT_COMPETENT,
        reason=reason,
        payload={"forwarded_to": petition.forwarded_to},
    )
    notify_petitioner(petition, "not_competent")
    return petition


@action
def do_answer_petition(petition: Petition, *, answer: str, acting_user: User) -> Petition:
    """Answer the petition (from received or in progress); the answer date decides R-IDX-02."""
    return write_answer(petition, answer=answer, acting_user=acting_user)


def write_answer(petition: Petition, *, answer: str, acting_user: User) -> Petition:
    """``do_answer_petition``'s writes in the caller's transaction (an answer with files)."""
    _require_handler(acting_user, petition)
    answer = nfc(answer).strip()
    if len(answer) < MIN_TEXT:
        raise ValidationFailed(
            "Hãy nhập nội dung trả lời (ít nhất 10 ký tự).",
            "Enter the answer (at least 10 characters).",
            field="answer",
        )
    at = now()
    old = petition.state
    _move(
        petition,
        tuple(OPEN_STATES),
        PetitionState.ANSWERED,
        answer=answer[:8000],
        answered_at=at,
        answered_on=to_local(at).date(),
        answered_by=acting_user,
    )
    _record(
        petition,
        "petition:state:answered",
        actor=acting_user,
        at=at,
        from_state=old,
        to_state=PetitionState.ANSWERED,
        reason="Trả lời phản ánh, kiến nghị",
        payload={
            "on_time": petition.answered_on is not None and petition.answered_on <= petition.due_on
        },
    )
    notify_petitioner(petition, "answered")
    return petition


# --------------------------------------------------------------------------- the petitioner


def _require_petitioner(petition: Petition, acting_user: User | None, token: str) -> None:
    """The petitioner: the petition's own citizen account, or the holder of its signed link."""
    if token:
        try:
            if read_token(token) == petition.pk:
                return
        except BadToken:
            pass
    elif (
        acting_user is not None
        and acting_user.is_authenticated
        and petition.citizen_id is not None
        and petition.citizen_id == acting_user.pk
    ):
        return
    raise NotFound("Không tìm thấy phản ánh, kiến nghị", "Petition not found")


@action
def do_record_response(
    petition: Petition,
    *,
    satisfied: bool,
    comment: str = "",
    acting_user: User | None = None,
    token: str = "",
) -> Petition:
    """The petitioner's response to the answer (R-IDX-03): once, after the answer."""
    _require_petitioner(petition, acting_user, token)
    value = PetitionResponse.SATISFIED if satisfied else PetitionResponse.NOT_SATISFIED
    at = now()
    changed = Petition.objects.filter(
        pk=petition.pk, state=PetitionState.ANSWERED, response=PetitionResponse.NONE
    ).update(
        response=value,
        response_comment=nfc(comment).strip()[:1000],
        responded_at=at,
        version=F("version") + 1,
    )
    if changed != 1:
        petition.refresh_from_db()
        if petition.state != PetitionState.ANSWERED:
            raise Conflict(
                "Phản ánh, kiến nghị chưa được trả lời nên chưa thể cho ý kiến.",
                "The petition has not been answered yet.",
            )
        raise Conflict(
            "Bạn đã cho ý kiến về kết quả xử lý phản ánh, kiến nghị này. Cảm ơn bạn.",
            "You have already responded to this answer.",
        )
    petition.refresh_from_db()
    _record(
        petition,
        "petition:response",
        actor=acting_user,
        at=at,
        reason=str(PetitionResponse(value).label),
        payload={"response": value, "via": "link" if token else "account"},
    )
    return petition


def late_complaint_allowed(petition: Petition, today: date) -> bool:
    """A complaint about late handling stands when the deadline has passed without an answer,
    or the answer came after the due date."""
    if petition.state == PetitionState.NOT_COMPETENT or petition.late_complaint:
        return False
    if petition.state == PetitionState.ANSWERED:
        return petition.answered_on is not None and petition.answered_on > petition.due_on
    return today > petition.due_on


@action
def do_complain_late(
    petition: Petition, *, comment: str = "", acting_user: User | None = None, token: str = ""
) -> Petition:
    """The petitioner complains about late handling (R-IDX-03)."""
    _require_petitioner(petition, acting_user, token)
    at = now()
    if not late_complaint_allowed(petition, to_local(at).date()):
        raise Conflict(
            "Chưa quá hạn xử lý hoặc đã ghi nhận khiếu nại về xử lý chậm.",
            "The petition is not late, or the complaint was already recorded.",
        )
    changed = Petition.objects.filter(pk=petition.pk, late_complaint=False).update(
        late_complaint=True, late_complaint_at=at, version=F("version") + 1
    )
    if changed != 1:
        raise Conflict(
            "Đã ghi nhận khiếu nại về xử lý chậm.", "The complaint was already recorded."
        )
    petition.refresh_from_db()
    _record(
        petition,
        "petition:late_complaint",
        actor=acting_user,
        at=at,
        reason=nfc(comment).strip()[:1000] or "Khiếu nại về xử lý chậm",
        payload={"via": "link" if token else "account"},
    )
    return petition
