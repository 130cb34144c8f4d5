"""/api/v1/dossiers: every desk action over HTTP, calling the same services as the pages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Header, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field, StringConstraints

from motcua.accounts.models import User
from motcua.accounts.otp import verify_fresh_code
from motcua.accounts.scope import api_officer, units_by_id
from motcua.agencies.models import Unit
from motcua.core import idempotency
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.paging import custom_plans
from motcua.core.schemas import (
    ERRORS,
    MAX_AMOUNT_VND,
    MAX_ID,
    MAX_ITEMS,
    MAX_PAGES,
    Clean,
    Email,
    Phone,
)
from motcua.dossiers import actions
from motcua.dossiers.filing import Applicant, ComponentInput, Filing
from motcua.dossiers.models import Consultation, Dossier, DossierEvent
from motcua.dossiers.selectors import QUEUES, access_dossier, consultations_for, queue, search
from motcua.dossiers.services import BY_NAME, allowed_actions, perform
from motcua.dossiers.states import NATIONAL_CODE, State

router = Router(tags=["dossiers"], auth=django_auth)


class EventOut(Schema):
    seq: int
    kind: str
    from_state: str
    to_state: str
    at: datetime
    actor: str
    unit: str | None
    reason: str
    form: str


class DossierOut(Schema):
    id: uuid.UUID
    code: str | None
    state: str
    national_status: int
    procedure_code: str
    procedure_version: int
    applicant_name: str
    receiving_unit: str
    competent_unit: str
    return_unit: str
    channel: str
    received_at: datetime | None
    due_at_original: datetime | None
    due_at_current: datetime | None
    result_kind: str
    allowed_actions: list[str]


class DossierDetailOut(DossierOut):
    events: list[EventOut]


# Every input is bounded like the column it ends in (issue #12 item 5, core.schemas).
class ComponentIn(Schema):
    component_id: int = Field(..., ge=1, le=MAX_ID)
    pages: int = Field(0, ge=0, le=MAX_PAGES)


class DossierIn(Schema):
    procedure_code: Annotated[str, StringConstraints(min_length=1, max_length=8), Clean]
    receiving_unit_id: uuid.UUID
    competent_unit_id: uuid.UUID
    applicant_kind: Annotated[str, StringConstraints(max_length=15), Clean] = "person"
    applicant_name: Annotated[str, StringConstraints(min_length=1, max_length=200), Clean]
    applicant_id_number: Annotated[str, StringConstraints(min_length=1, max_length=20), Clean]
    applicant_phone: Phone = ""
    applicant_email: Email = ""
    applicant_address: Annotated[str, StringConstraints(max_length=300), Clean] = ""
    result_delivery: Annotated[str, StringConstraints(max_length=10), Clean] = "counter"
    components: list[ComponentIn] = Field([], max_length=MAX_ITEMS)
    receive: bool = False  # the counter's one step: register and receive a complete dossier


class ActionIn(Schema):
    reason: Annotated[str, StringConstraints(max_length=1000), Clean] = ""
    items: list[dict[str, Annotated[str, StringConstraints(max_length=1000), Clean]]] = Field(
        [], max_length=MAX_ITEMS
    )
    proposal: Annotated[str, StringConstraints(max_length=2000), Clean] = ""
    opinion: Annotated[str, StringConstraints(max_length=2000), Clean] = ""
    note: Annotated[str, StringConstraints(max_length=1000), Clean] = ""
    amount: int = Field(0, ge=0, le=MAX_AMOUNT_VND)
    reference: Annotated[str, StringConstraints(max_length=100), Clean] = ""
    new_due_at: datetime | None = None
    #: ``receive`` only: the appointment, when the procedure publishes no time limit.
    appointment_at: datetime | None = None
    method: Annotated[str, StringConstraints(max_length=20), Clean] = ""
    #: ``approve`` only: the leader confirms the signature explicitly and gives a fresh TOTP
    #: code (issue #14 item 1), as on the desk.
    confirm: bool = False
    otp: Annotated[str, StringConstraints(max_length=10), Clean] = ""


def _user(request: HttpRequest) -> User:
    return api_officer(request)


def _utc(moment: datetime | None) -> datetime | None:
    """As the database gives it back: a receipt's answer is built from the values it wrote
    (deadlines computed in local time) and must read exactly like a later GET."""
    return moment.astimezone(UTC) if moment is not None else None


def _out(
    user: User,
    d: Dossier,
    *,
    events: bool = False,
    trail: list[DossierEvent] | None = None,
) -> dict[str, Any]:
    """The dossier as the API shows it; with ``events``, its trail (``trail``: the events as
    the caller just wrote them, in order; otherwise read)."""
    body: dict[str, Any] = {
        "id": d.pk,
        "code": d.code,
        "state": d.state,
        "national_status": NATIONAL_CODE[State(d.state)],
        "procedure_code": d.procedure_code,
        "procedure_version": d.procedure_version.version,
        "applicant_name": d.applicant_name,
        "receiving_unit": d.receiving_unit.name,
        "competent_unit": d.competent_unit.name,
        "return_unit": d.return_unit.name,
        "channel": d.channel,
        "received_at": _utc(d.received_at),
        "due_at_original": _utc(d.due_at_original),
        "due_at_current": _utc(d.due_at_current),
        "result_kind": d.result_kind,
        "allowed_actions": [a.name for a in allowed_actions(user, d)],
    }
    if events:
        body["events"] = [
            {
                "seq": e.seq,
                "kind": e.kind,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "at": _utc(e.at),
                "actor": e.actor_name,
                "unit": e.unit.name if e.unit else None,
                "reason": e.reason,
                "form": e.form,
            }
            for e in (trail if trail is not None else _trail(d))
        ]
    return body


def _trail(d: Dossier) -> list[DossierEvent]:
    """The events in order."""
    return list(d.events.select_related("unit").order_by("seq"))


@router.get("", response={200: list[DossierOut], **ERRORS}, summary="A work queue, searchable")
def list_dossiers(
    request: HttpRequest, queue_name: str = "all", q: str = "", limit: int = 50
) -> list[dict[str, Any]]:
    user = _user(request)
    if queue_name not in QUEUES:
        queue_name = "all"
    rows = search(queue(user, queue_name), q).order_by("due_at_current")[: max(1, min(limit, 200))]
    with custom_plans(rows.db):  # a search's plan depends on its words (decision 0032)
        found = list(rows)
    return [_out(user, d) for d in found]


@router.post(
    "",
    response={201: DossierDetailOut, **ERRORS},
    summary="Register a counter dossier (state 1), or register and receive it (receive=true)",
)
def create_dossier(
    request: HttpRequest,
    body: DossierIn,
    idempotency_key: Annotated[str | None, Header(alias=idempotency.HEADER)] = None,
) -> Status[dict[str, Any]]:
    """With an ``Idempotency-Key`` header, a retry of the same request (the client lost the
    reply) answers the dossier created the first time instead of creating a second one."""
    user = _user(request)
    units = units_by_id(user, [body.receiving_unit_id, body.competent_unit_id])
    if body.receiving_unit_id not in units or body.competent_unit_id not in units:
        raise NotFound("Không tìm thấy đơn vị", "Unit not found")
    filing = Filing(
        procedure_code=body.procedure_code,
        receiving_unit=units[body.receiving_unit_id],
        competent_unit=units[body.competent_unit_id],
        channel="counter",
        applicant=Applicant.from_data(body),
        result_delivery=body.result_delivery,
        components=tuple(ComponentInput(c.component_id, pages=c.pages) for c in body.components),
    )
    written: list[DossierEvent] | None = None  # the one-step receipt's trail, as written

    def create() -> Dossier:
        nonlocal written
        if not body.receive:
            return actions.do_create_dossier(filing, acting_user=user)
        receipt = actions.do_register_and_receive(filing, acting_user=user)
        written = receipt.trail
        return receipt.dossier

    dossier, _replayed = idempotency.once(
        actor=f"user:{user.pk}",
        scope="dossiers.create",
        key=idempotency_key,
        body=body.dict(),
        create=create,
        object_id=lambda made: (made.dossier if isinstance(made, actions.Receipt) else made).pk,
        replay=lambda pk: access_dossier(user, pk),
    )
    return Status(201, _out(user, dossier, events=True, trail=written))


@router.get(
    "/{key}", response={200: DossierDetailOut, **ERRORS}, summary="One dossier with its trail"
)
def get_dossier(request: HttpRequest, key: str) -> dict[str, Any]:
    user = _user(request)
    return _out(user, access_dossier(user, key), events=True)


class AssignIn(Schema):
    specialist: Annotated[str, StringConstraints(min_length=1, max_length=150), Clean]


class ConsultationIn(Schema):
    agency_id: uuid.UUID
    question: Annotated[str, StringConstraints(min_length=1, max_length=2000), Clean]
    days: int = Field(..., ge=1, le=60)


class ConsultIn(Schema):
    requests: list[ConsultationIn] = Field(..., min_length=1, max_length=MAX_ITEMS)


class AnswerIn(Schema):
    answer: Annotated[str, StringConstraints(min_length=1, max_length=2000), Clean]


class ConsultationOut(Schema):
    id: int
    dossier_code: str | None
    agency: str
    question: str
    requested_at: datetime
    deadline: datetime
    answered_at: datetime | None
    answer: str


def _consultation_out(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "dossier_code": c.dossier.code,
        "agency": c.agency.name,
        "question": c.question,
        "requested_at": _utc(c.requested_at),
        "deadline": _utc(c.deadline),
        "answered_at": _utc(c.answered_at),
        "answer": c.answer,
    }


# Declared before "/{key}/{action}" so that these paths win (issue #14 item 6).
@router.post(
    "/{key}/assignment",
    response={200: DossierDetailOut, **ERRORS},
    summary="Assign the specialist who appraises (leader of the competent unit, R-PROC-01)",
)
def assign_dossier(request: HttpRequest, key: str, body: AssignIn) -> dict[str, Any]:
    user = _user(request)
    dossier = access_dossier(user, key)
    specialist = User.objects.filter(username=body.specialist, kind=User.Kind.OFFICER).first()
    if specialist is None:
        raise NotFound("Không tìm thấy chuyên viên", "Specialist not found")
    actions.do_assign_dossier(dossier, acting_user=user, specialist=specialist)
    dossier.refresh_from_db()
    return _out(user, dossier, events=True)


@router.post(
    "/{key}/consultations",
    response={201: list[ConsultationOut], **ERRORS},
    summary="Ask other agencies, each with its own deadline in working days (R-PROC-03/04)",
)
def consult(
    request: HttpRequest,
    key: str,
    body: ConsultIn,
    idempotency_key: Annotated[str | None, Header(alias=idempotency.HEADER)] = None,
) -> Status[list[dict[str, Any]]]:
    """With an ``Idempotency-Key`` header, a retry of the same request answers the
    consultations created the first time instead of asking the agencies twice."""
    user = _user(request)
    dossier = access_dossier(user, key)
    wanted = {r.agency_id for r in body.requests}
    agencies = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=wanted, province_id=dossier.competent_unit.province_id)
    }
    if set(agencies) != wanted:
        raise NotFound("Không tìm thấy cơ quan được lấy ý kiến", "Agency not found")

    def replay(ids: str) -> list[Consultation]:
        pks = [int(pk) for pk in ids.split(",") if pk]
        return list(
            dossier.consultations.select_related("agency").filter(pk__in=pks).order_by("pk")
        )

    rows, _replayed = idempotency.once(
        actor=f"user:{user.pk}",
        scope="dossiers.consult",
        key=idempotency_key,
        body={"dossier": str(dossier.pk), **body.dict()},
        create=lambda: actions.do_request_consultation(
            dossier,
            acting_user=user,
            requests=[(agencies[r.agency_id], r.question, r.days) for r in body.requests],
        ),
        object_id=lambda created: ",".join(str(c.pk) for c in created),
        replay=replay,
    )
    return Status(201, [_consultation_out(c) for c in rows])


@router.get(
    "/{key}/consultations",
    response={200: list[ConsultationOut], **ERRORS},
    summary="The consultations of a dossier with their per-agency deadlines",
)
def dossier_consultations(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    user = _user(request)
    dossier = access_dossier(user, key)
    return [_consultation_out(c) for c in dossier.consultations.select_related("agency")]


def _check_signature(user: User, body: ActionIn) -> None:
    """Approving signs the result: a deliberate act over the API as on the desk — an explicit
    confirmation and a fresh second-factor code (issue #14 item 1)."""
    if not body.confirm:
        raise ValidationFailed(
            "Phê duyệt là ký số văn bản kết quả: hãy gửi confirm=true sau khi xem văn bản.",
            "Approving signs the result document: send confirm=true after reading it.",
            field="confirm",
        )
    if not verify_fresh_code(user, body.otp):
        raise ValidationFailed(
            "Mã xác thực (otp) không đúng hoặc đã dùng. Hãy gửi mã 6 chữ số mới.",
            "The otp code is wrong or was already used; send a new 6-digit code.",
            field="otp",
        )


@router.post(
    "/{key}/{action}",
    response={200: DossierDetailOut, **ERRORS},
    summary="Perform an action: " + ", ".join(BY_NAME),
    description=(
        "404 when the dossier is not visible to you (as if it did not exist); 403 when your role "
        "does not allow the action; 409 when the state does not allow it or someone else acted "
        "first; 422 when input is missing or a legal rule forbids it. Nothing changes on error."
    ),
)
def act(request: HttpRequest, key: str, action: str, body: ActionIn) -> dict[str, Any]:
    user = _user(request)
    dossier = access_dossier(user, key)
    if action == "approve":
        _check_signature(user, body)
    data = body.dict()
    for field in ("confirm", "otp"):
        data.pop(field)
    if body.new_due_at is None:
        data.pop("new_due_at")
    if body.appointment_at is None:
        data.pop("appointment_at")
    dossier = perform(user, dossier, action, data)
    return _out(user, dossier, events=True)


# Consultations addressed to the caller's units, answered over HTTP (issue #14 item 6). A
# separate router: "/{key}/{action}" above would otherwise take "/consultations/{id}".
consultations_router = Router(tags=["dossiers"], auth=django_auth)


@consultations_router.get(
    "", response={200: list[ConsultationOut], **ERRORS}, summary="Consultations to answer"
)
def consultations_to_answer(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [_consultation_out(c) for c in consultations_for(user).order_by("deadline")[:200]]


@consultations_router.post(
    "/{consultation_id}/answer",
    response={200: ConsultationOut, **ERRORS},
    summary="Answer a consultation addressed to your unit",
)
def answer_consultation(
    request: HttpRequest, consultation_id: int, body: AnswerIn
) -> dict[str, Any]:
    user = _user(request)
    consultation = consultations_for(user).filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFound("Không tìm thấy yêu cầu lấy ý kiến", "Consultation not found")
    actions.do_answer_consultation(consultation, acting_user=user, answer=body.answer)
    return _consultation_out(consultation)
