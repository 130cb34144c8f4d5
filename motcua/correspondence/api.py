"""/api/v1/documents: every action on official documents over HTTP (issue #16 item 7), calling
the same actions as the desk. Every read goes through ``selectors.document_for`` (scoped by the
owner unit: missing and forbidden both answer 404); errors use the API's envelope."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field, StringConstraints

from motcua.accounts.models import User
from motcua.accounts.scope import api_officer, units_by_id, units_in_scope
from motcua.agencies.models import Unit
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.schemas import ERRORS, MAX_ID, MAX_ITEMS, MAX_PAGES, Clean
from motcua.correspondence import actions, filing, incoming, selectors
from motcua.correspondence.copies import do_copy_document
from motcua.correspondence.dossier_link import do_draft_consultation_letter
from motcua.correspondence.models import CaseFile, Document, DocumentDossier
from motcua.correspondence.states import LABEL_VI, State
from motcua.dossiers.models import Consultation
from motcua.dossiers.selectors import access_dossier

router = Router(tags=["documents"], auth=django_auth)
Text = Annotated[str, StringConstraints(max_length=2000), Clean]
Short = Annotated[str, StringConstraints(max_length=255), Clean]


class RecipientIO(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=255), Clean]
    agency_code: Annotated[str, StringConstraints(max_length=35), Clean] = ""
    for_filing: bool = False
    status_code: str = ""


class EventOut(Schema):
    seq: int
    kind: str
    from_state: str
    to_state: str
    at: datetime
    actor: str
    reason: str


class DocumentOut(Schema):
    id: uuid.UUID
    direction: str
    state: str
    state_label: str
    owner_unit: str
    type_code: str
    number_and_symbol: str
    symbol: str
    issued_on: date | None
    summary: str
    issuing_body_code: str
    issuing_body_name: str
    urgency: str
    security: str
    arrival_number: int | None
    handling_deadline: date | None
    response_for: str
    #: R-DOC-09/18: the document this one replaces, corrects or copies (``relation``)
    original_id: uuid.UUID | None
    relation: str


class DocumentDetailOut(DocumentOut):
    content: str
    signer_name: str
    recipients: list[RecipientIO]
    dossiers: list[dict[str, Any]]
    events: list[EventOut]


class DraftIn(Schema):
    unit_id: uuid.UUID
    type_code: Annotated[str, StringConstraints(min_length=1, max_length=30), Clean]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=500), Clean]
    content: Annotated[str, StringConstraints(max_length=20000), Clean] = ""
    signer_id: int = Field(..., ge=1, le=MAX_ID)
    signer_position: Annotated[str, StringConstraints(min_length=1, max_length=120), Clean]
    signing_mark: Annotated[str, StringConstraints(max_length=8), Clean] = ""
    recipients: list[RecipientIO] = Field([], max_length=MAX_ITEMS)
    urgency: Annotated[str, StringConstraints(max_length=12), Clean] = "normal"
    security: Annotated[str, StringConstraints(max_length=10), Clean] = ""
    drafting_unit_abbreviation: Annotated[str, StringConstraints(max_length=30), Clean] = ""
    #: R-DOC-17: the incoming document this one answers (ResponseFor)
    response_to: uuid.UUID | None = None
    #: R-DOC-09: the released document this one replaces (same form) or corrects (công văn)
    replaces: uuid.UUID | None = None
    corrects: uuid.UUID | None = None


class ConsultationLetterIn(Schema):
    consultation_id: int = Field(..., ge=1, le=MAX_ID)
    signer_id: int = Field(..., ge=1, le=MAX_ID)
    signer_position: Annotated[str, StringConstraints(min_length=1, max_length=120), Clean]
    drafting_unit_abbreviation: Annotated[
        str, StringConstraints(min_length=1, max_length=30), Clean
    ]
    content: Annotated[str, StringConstraints(max_length=20000), Clean] = ""


class IncomingIn(Schema):
    unit_id: uuid.UUID
    type_code: Annotated[str, StringConstraints(min_length=1, max_length=30), Clean]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=500), Clean]
    issuing_body_code: Annotated[str, StringConstraints(max_length=35), Clean] = ""
    issuing_body_name: Annotated[str, StringConstraints(min_length=1, max_length=255), Clean]
    number: int | None = Field(None, ge=1, le=MAX_ID)
    symbol: Annotated[str, StringConstraints(max_length=60), Clean] = ""
    issued_on: date | None = None
    urgency: Annotated[str, StringConstraints(max_length=12), Clean] = "normal"
    pages: int = Field(0, ge=0, le=MAX_PAGES)


class UpdateIn(Schema):
    """R-DOC-13 business type 2: the released document's metadata (never the signed file)."""

    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000), Clean]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=500), Clean] | None = None
    pages: int | None = Field(None, ge=0, le=MAX_PAGES)


class CopyIn(Schema):
    """R-DOC-18: ban_sao_y, ban_trich_sao (with the pages to copy) or ban_sao_luc."""

    kind: Annotated[str, StringConstraints(min_length=1, max_length=20), Clean]
    pages: list[Annotated[int, Field(ge=1, le=MAX_PAGES)]] | None = Field(None, max_length=200)


class ReasonIn(Schema):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000), Clean]


class ApproveIn(Schema):
    #: The leader confirms explicitly and gives a fresh TOTP code (as for dossier approval).
    confirm: bool = False
    otp: Annotated[str, StringConstraints(max_length=10), Clean] = ""


class AssignIn(Schema):
    handler_id: int = Field(..., ge=1, le=MAX_ID)
    days: int = Field(..., ge=1, le=incoming.MAX_HANDLING_DAYS)


class HandleIn(Schema):
    note: Text = ""


class ForwardIn(Schema):
    handler_id: int = Field(..., ge=1, le=MAX_ID)
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000), Clean]


class AttachmentIn(Schema):
    """R-DOC-11: an appendix in a separate PDF file, while the document is a draft."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=255), Clean]
    #: the PDF, base64-encoded (at most 20 MB decoded)
    pdf_base64: Annotated[str, StringConstraints(min_length=1, max_length=28_000_000)]


class AttachmentOut(Schema):
    id: int
    name: str
    sha256: str


class CaseFileIn(Schema):
    """R-DOC-20: a file of the body's yearly list (retention_years null: permanent)."""

    unit_id: uuid.UUID
    year: int = Field(..., ge=2000, le=2100)
    code: Annotated[str, StringConstraints(min_length=1, max_length=30), Clean]
    title: Annotated[str, StringConstraints(min_length=1, max_length=500), Clean]
    retention_years: int | None = Field(None, ge=1, le=100)
    construction: bool = False


class CaseFileOut(Schema):
    id: uuid.UUID
    owner_unit: str
    year: int
    code: str
    title: str
    retention_years: int | None
    construction: bool
    state: str
    closed_on: date | None
    archive_due: date | None
    archive_number: int | None
    archive_year: int | None
    documents: list[uuid.UUID]


class FileDocumentIn(Schema):
    document_id: uuid.UUID


class CloseIn(Schema):
    #: the day the work ended (default today, never in the future)
    closed_on: date | None = None


class BodyYearIn(Schema):
    unit_id: uuid.UUID
    year: int = Field(..., ge=2000, le=2100)


class RegisterOut(Schema):
    """R-DOC-08: a register with all its columns (print it as PDF or XLSX from the desk)."""

    title: str
    columns: list[str]
    rows: list[list[str]]


def _user(request: HttpRequest) -> User:
    return api_officer(request)


def _person(pk: int, field: str) -> User:
    person = User.objects.filter(pk=pk, is_active=True, kind=User.Kind.OFFICER).first()
    if person is None:
        raise ValidationFailed(
            "Không tìm thấy cán bộ đã chọn.", "The chosen officer was not found.", field=field
        )
    return person


def _out(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "direction": d.direction,
        "state": d.state,
        "state_label": LABEL_VI[State(d.state)],
        "owner_unit": d.owner_unit.name,
        "type_code": d.type_code,
        "number_and_symbol": d.number_and_symbol,
        "symbol": d.symbol,
        "issued_on": d.issued_on,
        "summary": d.summary,
        "issuing_body_code": d.issuing_body_code,
        "issuing_body_name": d.issuing_body_name,
        "urgency": d.urgency,
        "security": d.security,
        "arrival_number": d.arrival_number,
        "handling_deadline": d.handling_deadline,
        "response_for": d.response_for,
        "original_id": d.original_id,
        "relation": d.relation,
    }


def _detail(d: Document) -> dict[str, Any]:
    body = _out(d)
    hidden = d.state == State.REVOKED or d.is_secret  # R-DOC-12, R-DOC-15
    body["content"] = "" if hidden else d.content
    body["signer_name"] = d.signer_name
    body["recipients"] = [
        {
            "name": r.name,
            "agency_code": r.agency_code,
            "for_filing": r.for_filing,
            "status_code": r.status_code,
        }
        for r in d.recipients.all()
    ]
    body["dossiers"] = [
        {"dossier": link.dossier.code, "role": link.role, "consultation": link.consultation_id}
        for link in DocumentDossier.objects.filter(document=d).select_related("dossier")
    ]
    body["events"] = [
        {
            "seq": e.seq,
            "kind": e.kind,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "at": e.at,
            "actor": e.actor_name,
            "reason": e.reason,
        }
        for e in d.events.order_by("seq")
    ]
    return body


def _document(request: HttpRequest, document_id: str) -> tuple[User, Document]:
    user = _user(request)
    return user, selectors.document_for(user, document_id)


@router.get(
    "",
    response={200: list[DocumentOut], **ERRORS},
    summary="A work queue of documents, searchable (number, symbol, summary, sender)",
    description="Queues: " + ", ".join(selectors.QUEUES),
)
def list_documents(
    request: HttpRequest, queue_name: str = "all", q: str = "", limit: int = 50
) -> list[dict[str, Any]]:
    user = _user(request)
    rows = selectors.queue(user, queue_name if queue_name in selectors.QUEUES else "all")
    if q.strip():
        rows = selectors.search(rows, q[:200])
    return [_out(d) for d in rows.select_related("owner_unit")[: max(1, min(limit, 200))]]


@router.post(
    "",
    response={201: DocumentDetailOut, **ERRORS},
    summary="Draft an outgoing document (R-DOC-01…03); a reply names response_to (R-DOC-17)",
)
def draft(request: HttpRequest, body: DraftIn) -> Status[dict[str, Any]]:
    user = _user(request)
    unit = units_by_id(user, [body.unit_id]).get(body.unit_id)
    if unit is None:
        raise NotFound("Không tìm thấy cơ quan", "Body not found")
    response_to = selectors.document_for(user, body.response_to) if body.response_to else None
    data = actions.OutgoingInput(
        type_code=body.type_code,
        summary=body.summary,
        content=body.content,
        signer=_person(body.signer_id, "signer_id"),
        signer_position=body.signer_position,
        signing_mark=body.signing_mark,
        recipients=[
            actions.RecipientInput(r.name, r.agency_code, r.for_filing) for r in body.recipients
        ],
        urgency=body.urgency,
        security=body.security,
        drafting_unit_abbreviation=body.drafting_unit_abbreviation,
        response_to=response_to,
        replaces=selectors.document_for(user, body.replaces) if body.replaces else None,
        corrects=selectors.document_for(user, body.corrects) if body.corrects else None,
    )
    document = actions.do_create_outgoing_document(unit, data, acting_user=user)
    return Status(201, _detail(document))


@router.post(
    "/consultation-letters",
    response={201: DocumentDetailOut, **ERRORS},
    summary="Draft the letter of a dossier's inter-agency consultation (R-DOC-17)",
)
def consultation_letter(request: HttpRequest, body: ConsultationLetterIn) -> Status[dict[str, Any]]:
    user = _user(request)
    consultation = (
        Consultation.objects.filter(pk=body.consultation_id)
        .select_related("dossier", "agency")
        .first()
    )
    if consultation is None:
        raise NotFound("Không tìm thấy yêu cầu lấy ý kiến", "Consultation not found")
    access_dossier(user, consultation.dossier_id)
    document = do_draft_consultation_letter(
        consultation,
        signer=_person(body.signer_id, "signer_id"),
        signer_position=body.signer_position,
        drafting_unit_abbreviation=body.drafting_unit_abbreviation,
        content=body.content,
        acting_user=user,
    )
    return Status(201, _detail(document))


@router.post(
    "/incoming",
    response={201: DocumentDetailOut, **ERRORS},
    summary="Register a paper incoming document with the next arrival number (R-DOC-06)",
)
def register_paper(request: HttpRequest, body: IncomingIn) -> Status[dict[str, Any]]:
    user = _user(request)
    unit = units_by_id(user, [body.unit_id]).get(body.unit_id)
    if unit is None:
        raise NotFound("Không tìm thấy cơ quan", "Body not found")
    data = actions.IncomingInput(
        type_code=body.type_code,
        summary=body.summary,
        issuing_body_code=body.issuing_body_code,
        issuing_body_name=body.issuing_body_name,
        number=body.number,
        symbol=body.symbol,
        issued_on=body.issued_on,
        urgency=body.urgency,
        pages=body.pages,
    )
    document = actions.do_register_incoming_document(unit, data, acting_user=user)
    return Status(201, _detail(document))


def _case_file_out(f: CaseFile) -> dict[str, Any]:
    return {
        "id": f.pk, "owner_unit": f.owner_unit.name, "year": f.year, "code": f.code,
        "title": f.title, "retention_years": f.retention_years, "construction": f.construction,
        "state": f.state, "closed_on": f.closed_on, "archive_due": f.archive_due,
        "archive_number": f.archive_number, "archive_year": f.archive_year,
        "documents": list(f.entries.order_by("filed_at").values_list("document_id", flat=True)),
    }  # fmt: skip


def _case_file(request: HttpRequest, case_file_id: uuid.UUID) -> tuple[User, CaseFile]:
    """A file of a body where the user files documents; missing and forbidden: 404."""
    user = _user(request)
    found = CaseFile.objects.filter(
        pk=case_file_id, owner_unit_id__in=units_in_scope(user, filing.FILERS)
    ).select_related("owner_unit")
    case_file = found.first()
    if case_file is None:
        raise NotFound("Không tìm thấy hồ sơ", "File not found")
    return user, case_file


def _keeper_unit(user: User, unit_id: uuid.UUID) -> Unit:
    unit = units_by_id(user, [unit_id]).get(unit_id)
    if unit is None or unit.pk not in units_in_scope(user, filing.KEEPERS):
        raise NotFound("Không tìm thấy cơ quan", "Body not found")
    return unit


REGISTERS: dict[str, Callable[[Unit, int], selectors.Register]] = {
    "outgoing": selectors.outgoing_register,
    "incoming": selectors.incoming_register,
    "follow-up": selectors.follow_up_register,
    "files": filing.file_list,
    "archive": filing.archive_register,
}


@router.get(
    "/registers/{kind}",
    response={200: RegisterOut, **ERRORS},
    summary="A register of a body and year with all its columns (R-DOC-08): outgoing, "
    "incoming, follow-up (of incoming handling), files (yearly list, R-DOC-20), archive",
    description="For the body's clerks and leaders; 404 for an unknown register or body.",
)
def register_rows(request: HttpRequest, kind: str, params: Query[BodyYearIn]) -> dict[str, Any]:
    user = _user(request)
    if kind not in REGISTERS:
        raise NotFound("Không có sổ này", "Unknown register")
    register: selectors.Register = REGISTERS[kind](_keeper_unit(user, params.unit_id), params.year)
    return {"title": register.title, "columns": register.columns, "rows": register.rows}


@router.get(
    "/case-files",
    response={200: list[CaseFileOut], **ERRORS},
    summary="The body's yearly list of files (R-DOC-20), with the documents filed in each",
)
def list_case_files(request: HttpRequest, params: Query[BodyYearIn]) -> list[dict[str, Any]]:
    user = _user(request)
    unit = units_by_id(user, [params.unit_id]).get(params.unit_id)
    if unit is None or unit.pk not in units_in_scope(user, filing.FILERS):
        raise NotFound("Không tìm thấy cơ quan", "Body not found")
    files = CaseFile.objects.filter(owner_unit=unit, year=params.year).select_related("owner_unit")
    return [_case_file_out(f) for f in files.order_by("code")]


@router.post(
    "/case-files",
    response={201: CaseFileOut, **ERRORS},
    summary="Open a file in the body's yearly list (the clerk or a leader, R-DOC-20)",
    description="404 when the body is not yours; 403 without the role; 422 on a duplicate "
    "code or bad input.",
)
def open_case_file(request: HttpRequest, body: CaseFileIn) -> Status[dict[str, Any]]:
    user = _user(request)
    unit = units_by_id(user, [body.unit_id]).get(body.unit_id)
    if unit is None:
        raise NotFound("Không tìm thấy cơ quan", "Body not found")
    made = filing.do_open_case_file(
        unit, year=body.year, code=body.code, title=body.title,
        retention_years=body.retention_years, construction=body.construction,
        acting_user=user,
    )  # fmt: skip
    return Status(201, _case_file_out(made))


@router.post(
    "/case-files/{case_file_id}/documents",
    response={200: CaseFileOut, **ERRORS},
    summary="File a released or registered document of the body in an open file (R-DOC-20)",
    description="404 when the file or document is not visible to you; 409 when the file is "
    "closed; 422 when the document is not issued yet or already filed.",
)
def file_document(
    request: HttpRequest, case_file_id: uuid.UUID, body: FileDocumentIn
) -> dict[str, Any]:
    user, case_file = _case_file(request, case_file_id)
    document = selectors.document_for(user, body.document_id)
    filing.do_file_document(case_file, document, acting_user=user)
    return _case_file_out(case_file)


@router.post(
    "/case-files/{case_file_id}/close",
    response={200: CaseFileOut, **ERRORS},
    summary="Close a file when the work ends; a file kept five years or more gets its "
    "archive deadline (R-DOC-20)",
    description="403 without the clerk's or a leader's role; 409 when it is not open.",
)
def close_case_file(request: HttpRequest, case_file_id: uuid.UUID, body: CloseIn) -> dict[str, Any]:
    user, case_file = _case_file(request, case_file_id)
    return _case_file_out(
        filing.do_close_case_file(case_file, acting_user=user, closed_on=body.closed_on)
    )


@router.post(
    "/case-files/{case_file_id}/archive",
    response={200: CaseFileOut, **ERRORS},
    summary="Hand a closed file over to the body's archive with the next archive number "
    "(the clerk, R-DOC-20)",
    description="403 without the clerk's role; 409 when it is not closed or already handed "
    "over; 422 for a file kept under five years.",
)
def archive_case_file(request: HttpRequest, case_file_id: uuid.UUID) -> dict[str, Any]:
    user, case_file = _case_file(request, case_file_id)
    return _case_file_out(filing.do_archive_case_file(case_file, acting_user=user))


@router.get(
    "/{document_id}",
    response={200: DocumentDetailOut, **ERRORS},
    summary="One document with its recipients, dossiers and trail (404 if not visible)",
)
def detail(request: HttpRequest, document_id: str) -> dict[str, Any]:
    return _detail(_document(request, document_id)[1])


ACTION_DOC = (
    "404 when the document is not visible to you (as if it did not exist); 403 when your role "
    "does not allow the step; 409 when its state does not allow it or someone acted first; 422 "
    "when input is missing or a rule forbids it. Nothing changes on error."
)


@router.post(
    "/{document_id}/submit",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Submit a draft for review",
    description=ACTION_DOC,
)
def submit(request: HttpRequest, document_id: str) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(actions.do_submit_document(document, acting_user=user))


@router.post(
    "/{document_id}/return",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Return a document under review to its drafter, with a reason",
    description=ACTION_DOC,
)
def return_(request: HttpRequest, document_id: str, body: ReasonIn) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(actions.do_return_document(document, reason=body.reason, acting_user=user))


@router.post(
    "/{document_id}/approve",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Approve (the competent leader): confirm=true and a fresh TOTP code",
    description=ACTION_DOC,
)
def approve(request: HttpRequest, document_id: str, body: ApproveIn) -> dict[str, Any]:
    user, document = _document(request, document_id)
    actions.check_second_factor(user, confirm=body.confirm, otp=body.otp)
    return _detail(actions.do_approve_document(document, acting_user=user))


@router.post(
    "/{document_id}/sign",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Sign (the designated signer, PAdES with the signature image, R-DOC-10)",
    description=ACTION_DOC,
)
def sign(request: HttpRequest, document_id: str) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(actions.do_sign_document(document, acting_user=user))


@router.post(
    "/{document_id}/release",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Release (the clerk): number, date, the body's signature with the seal, send",
    description=ACTION_DOC,
)
def release(request: HttpRequest, document_id: str) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(actions.do_release_document(document, acting_user=user))


@router.post(
    "/{document_id}/revoke",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Revoke a released document, with a reason (R-DOC-15)",
    description=ACTION_DOC,
)
def revoke(request: HttpRequest, document_id: str, body: ReasonIn) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(actions.do_revoke_document(document, reason=body.reason, acting_user=user))


@router.post(
    "/{document_id}/update",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Update a released document's summary or pages and notify the recipients over "
    "the axis (the clerk; edXML business type 2, R-DOC-09, R-DOC-13)",
    description=ACTION_DOC,
)
def update(request: HttpRequest, document_id: str, body: UpdateIn) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(
        actions.do_update_document(
            document, reason=body.reason, summary=body.summary, pages=body.pages, acting_user=user
        )
    )


@router.post(
    "/{document_id}/copy",
    response={201: DocumentDetailOut, **ERRORS},
    summary="Make an electronic copy (sao y, trích sao, sao lục) numbered in the copy series "
    "and signed by the body (the clerk, R-DOC-18)",
    description=ACTION_DOC,
)
def copy(request: HttpRequest, document_id: str, body: CopyIn) -> Status[dict[str, Any]]:
    user, document = _document(request, document_id)
    made = do_copy_document(document, kind=body.kind, pages=body.pages, acting_user=user)
    return Status(201, _detail(made))


@router.post(
    "/{document_id}/register",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Register an arrived document with the next arrival number (the clerk, R-DOC-06)",
    description=ACTION_DOC,
)
def register(request: HttpRequest, document_id: str) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(incoming.do_register_document(document, acting_user=user))


@router.post(
    "/{document_id}/assign",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Assign a handler with a deadline in working days (the leader, R-DOC-16)",
    description=ACTION_DOC,
)
def assign(request: HttpRequest, document_id: str, body: AssignIn) -> dict[str, Any]:
    user, document = _document(request, document_id)
    handler = _person(body.handler_id, "handler_id")
    return _detail(
        incoming.do_assign_document(document, handler=handler, days=body.days, acting_user=user)
    )


@router.post(
    "/{document_id}/handle",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Take up the handling (the assigned handler)",
    description=ACTION_DOC,
)
def handle(request: HttpRequest, document_id: str, body: HandleIn) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(incoming.do_handle_document(document, note=body.note, acting_user=user))


@router.post(
    "/{document_id}/forward",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Pass the handling on to another handler of the body, with a reason",
    description=ACTION_DOC,
)
def forward(request: HttpRequest, document_id: str, body: ForwardIn) -> dict[str, Any]:
    user, document = _document(request, document_id)
    handler = _person(body.handler_id, "handler_id")
    return _detail(
        incoming.do_forward_document(
            document, handler=handler, reason=body.reason, acting_user=user
        )
    )


@router.post(
    "/{document_id}/complete",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Complete the handling (the handler or a leader)",
    description=ACTION_DOC,
)
def complete(request: HttpRequest, document_id: str) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(incoming.do_complete_document(document, acting_user=user))


@router.post(
    "/{document_id}/take-back",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Take back a document sent over the axis (the clerk; status 13, each recipient "
    "answers 15 agreed before registering it or 16 declined after, R-DOC-14)",
    description=ACTION_DOC,
)
def take_back(request: HttpRequest, document_id: str, body: ReasonIn) -> dict[str, Any]:
    user, document = _document(request, document_id)
    return _detail(actions.do_take_back_document(document, reason=body.reason, acting_user=user))


@router.post(
    "/{document_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Attach an appendix in a separate PDF file to a draft (signed by the body at "
    "release, R-DOC-11)",
    description=ACTION_DOC,
)
def attach(request: HttpRequest, document_id: str, body: AttachmentIn) -> Status[dict[str, Any]]:
    user, document = _document(request, document_id)
    try:
        pdf = base64.b64decode(body.pdf_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            "Tệp đính kèm phải là PDF mã hóa base64.", "pdf_base64 must be base64.",
            field="pdf_base64",
        ) from None  # fmt: skip
    made = actions.do_attach_file(document, name=body.name, pdf=pdf, acting_user=user)
    return Status(201, {"id": made.pk, "name": made.name, "sha256": made.sha256})
