"""Incoming documents: from the national document axis or on paper (R-DOC-06, R-DOC-14,
R-DOC-16, R-DOC-19). The only writers of incoming documents, one transaction each.

Receiving is idempotent: a package already taken (same sender document id for this body) is
not taken twice, so the axis may deliver again after a lost acknowledgement.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, date, datetime

from django.core.files.base import ContentFile
from django.db.models import Q

from contracts.docaxis import StatusItem
from motcua.accounts.models import Role, User
from motcua.accounts.scope import has_role
from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import local_today, now
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.outbox import enqueue
from motcua.core.text import nfc
from motcua.correspondence import edxml, numbering
from motcua.correspondence.actions import link_answer, require_role
from motcua.correspondence.exchange import STATUS_TOPIC, status_code
from motcua.correspondence.models import (
    Attachment,
    Direction,
    Document,
    Recipient,
    Relation,
    Urgency,
)
from motcua.correspondence.states import State, edge
from motcua.correspondence.trail import claim, record
from motcua.documents import ca
from motcua.worktime.calc import Calendar, next_working_day
from motcua.worktime.calendars import calendar_for

URGENCY_BY_PRIORITY = {0: Urgency.NORMAL, 1: Urgency.URGENT, 2: Urgency.VERY_URGENT,
                       3: Urgency.FLASH}  # fmt: skip
MAX_HANDLING_DAYS = 60


def signatures_ok(pdf: bytes) -> tuple[int, bool]:
    """R-DOC-19: (number of signatures, all intact, valid and trusted by the configured root)."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 - signing library loads when a document arrives
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415 - as above

    from motcua.documents.signing import validation_context  # noqa: PLC0415 - as above

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:
        return 0, False
    context = validation_context(ca.ensure_root_ca()[1])
    results = [validate_pdf_signature(sig, context) for sig in signatures]
    ok = bool(results) and all(r.intact and r.valid and r.trusted for r in results)
    return len(results), ok


def _status(document: Document, name: str, description: str = "", *, once: str = "") -> None:
    """R-DOC-14: tell the sender (configured code), through the outbox. ``once`` tells apart
    answers of the same code about one document (each update notice is answered)."""
    if not document.exchange_id or not document.issuing_body_code:
        return
    code = status_code(name)
    enqueue(
        topic=STATUS_TOPIC,
        key=document.exchange_id,
        payload={
            "organ_id": document.owner_unit.eid_code,
            "to": document.issuing_body_code,
            "document_id": document.exchange_id,
            "code": code,
            "description": description,
        },
        idempotency_key=f"docaxis-status:{document.owner_unit.eid_code}:{document.exchange_id}:{code}"
        + (f":{once}" if once else ""),
    )


@action
def do_receive_document(unit: Unit, package: bytes, *, acting_user: User | None) -> Document:
    """Take one edXML package addressed to ``unit``: check it (R-DOC-19), keep it as arrived,
    tell the sender it arrived, or return it (refused) when invalid or misaddressed."""
    try:
        data = edxml.parse_package(package)
    except Exception:
        raise ValidationFailed(
            "Gói tin edXML không đọc được.", "Unreadable edXML package."
        ) from None
    existing = Document.objects.filter(
        owner_unit=unit, direction=Direction.INCOMING, exchange_id=data.document_id
    ).first()
    if data.business_type == edxml.REVOKE:
        return _cancel(unit, existing, data, acting_user=acting_user)
    if data.business_type == edxml.UPDATE:
        return _update(existing, data, package, acting_user=acting_user)
    if existing is not None:
        return existing
    count, valid = signatures_ok(data.pdf)
    addressed = unit.eid_code in data.to
    document = Document.objects.create(
        direction=Direction.INCOMING,
        state=State.ARRIVED if valid and addressed else State.REFUSED,
        owner_unit=unit,
        type_code=data.type_code,
        number=data.number,
        symbol=data.notation,
        issued_on=date.fromisoformat(data.promulgated_on) if data.promulgated_on else None,
        summary=data.subject[:500],
        issuing_body_code=data.sender.organ_id,
        issuing_body_name=data.sender.name,
        urgency=URGENCY_BY_PRIORITY.get(data.priority, Urgency.NORMAL),
        arrived_at=now(),
        exchange_id=data.document_id,
        sha256=hashlib.sha256(data.pdf).hexdigest(),
        created_by=acting_user,
    )
    document.pdf.save(f"{document.pk}.pdf", ContentFile(data.pdf), save=False)
    Document.objects.filter(pk=document.pk).update(pdf=document.pdf.name)
    for index, (name, content) in enumerate(data.extra_files, start=1):
        attachment = Attachment(document=document, name=name[:255],
                                sha256=hashlib.sha256(content).hexdigest())  # fmt: skip
        attachment.file.save(f"{document.pk}-{index}.pdf", ContentFile(content), save=False)
        attachment.save()
    if data.response_for:
        _link_to_asked(document, data.response_for)
    if data.replaces or data.corrects:
        _link_to_original(document, data, acting_user=acting_user)
    duplicates = list(
        Document.objects.filter(
            owner_unit=unit, direction=Direction.INCOMING, number=data.number,
            symbol=data.notation, issuing_body_code=data.sender.organ_id,
        ).exclude(pk=document.pk).values_list("pk", flat=True)
    )  # fmt: skip
    payload = {"signatures": count, "valid": valid, "addressed": addressed,
               "duplicates": [str(pk) for pk in duplicates]}  # fmt: skip
    record(document, f"document:state:{document.state}", actor=acting_user,
           to_state=document.state, payload=payload)  # fmt: skip
    if document.state == State.REFUSED:
        why = "chữ ký số không hợp lệ" if not valid else "gửi nhầm địa chỉ"
        _status(document, "refused", why)
    else:
        _status(document, "arrived")
    return document


def _link_to_asked(document: Document, response_for: str) -> None:
    """R-DOC-17: the answer (ResponseFor = the DocumentId of the letter this body sent, or of
    the letter it received and answered) joins that letter's dossiers and consultations."""
    asked = Document.objects.filter(owner_unit=document.owner_unit).filter(
        Q(exchange_id=response_for) | Q(pk=_uuid_or_none(response_for))
    )
    for letter in asked.exclude(pk=document.pk):
        link_answer(document, letter)
    Document.objects.filter(pk=document.pk).update(response_for=response_for)
    document.response_for = response_for


def _held(unit: Unit, exchange_id: str, organ_id: str) -> Document | None:
    """The incoming document of ``unit`` the sender ``organ_id`` knows as ``exchange_id``."""
    found = Document.objects.filter(
        owner_unit=unit, direction=Direction.INCOMING, exchange_id=exchange_id
    ).first()
    return None if found is None or found.sender_mismatch(organ_id) else found


def _link_to_original(
    document: Document, data: edxml.ReceivedPackage, *, acting_user: User | None
) -> None:
    """R-DOC-09/13: a replacing document (business type 3) links to the replaced one, which
    becomes ``replaced`` (register entry and trail kept) and the sender gets the configured
    answer; a correction letter links to the corrected one. Nothing happens for a refused
    package or for a document this body never received."""
    relation = Relation.REPLACES if data.replaces else Relation.CORRECTS
    original = _held(document.owner_unit, data.replaces or data.corrects, data.sender.organ_id)
    if original is None or document.state == State.REFUSED:
        return
    Document.objects.filter(pk=document.pk).update(original=original, relation=relation)
    document.original, document.relation = original, relation
    if relation == Relation.REPLACES and original.state in edge("replace")[0]:
        before = claim(original, "replace")
        record(original, "document:state:replaced", actor=acting_user, from_state=before,
               to_state=original.state, reason=data.reason,
               payload={"replaced_by": str(document.pk)})  # fmt: skip
        _status(original, "agreed", "Đã thay thế văn bản")


def _update(
    existing: Document | None,
    data: edxml.ReceivedPackage,
    package: bytes,
    *,
    acting_user: User | None,
) -> Document:
    """R-DOC-13 business type 2: the sender corrected a document's metadata or attachments;
    the receiver takes the new summary, pages and attachments (the old ones are named in the
    trail) and answers with the configured code. The same notice taken twice changes nothing;
    a notice about a revoked or replaced document is declined."""
    if existing is None:
        raise ValidationFailed(
            "Thông báo cập nhật văn bản không có trong hệ thống.",
            "Update notice for a document this body does not hold.",
        )
    if existing.sender_mismatch(data.sender.organ_id):
        raise ValidationFailed(
            "Thông báo cập nhật văn bản không có trong hệ thống.",
            "Update notice for a document this body does not hold.",
        )
    digest = hashlib.sha256(package).hexdigest()
    if existing.events.filter(kind="document:updated", payload__package=digest).exists():
        return existing
    if existing.state in {State.REVOKED, State.REPLACED, State.REFUSED}:
        record(existing, "document:update:declined", actor=acting_user, reason=data.reason,
               payload={"package": digest})  # fmt: skip
        _status(existing, "declined", "Văn bản đã bị thu hồi hoặc thay thế", once=digest[:16])
        return existing
    before = {"summary": existing.summary, "pages": existing.pages,
              "attachments": [{"name": a.name, "sha256": a.sha256, "file": a.file.name}
                              for a in existing.attachments.all()]}  # fmt: skip
    existing.summary = data.subject[:500] or existing.summary
    existing.pages = data.pages
    Document.objects.filter(pk=existing.pk).update(
        summary=existing.summary, pages=existing.pages, updated_at=now(),
        search_folded=existing.search_text(),
    )  # fmt: skip
    existing.attachments.all().delete()  # the files stay in storage, named in the trail
    for index, (name, content) in enumerate(data.extra_files, start=1):
        attachment = Attachment(document=existing, name=name[:255],
                                sha256=hashlib.sha256(content).hexdigest())  # fmt: skip
        attachment.file.save(f"{existing.pk}-{digest[:8]}-{index}.pdf", ContentFile(content),
                             save=False)  # fmt: skip
        attachment.save()
    record(existing, "document:updated", actor=acting_user, reason=data.reason,
           payload={"package": digest, "before": before})  # fmt: skip
    _status(existing, "agreed", "Đã cập nhật văn bản", once=digest[:16])
    return existing


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _cancel(
    unit: Unit, existing: Document | None, data: edxml.ReceivedPackage, *, acting_user: User | None
) -> Document:
    """R-DOC-15: cancel the revoked document (its register entry and trail stay, its content is
    no longer served) and answer with the configured reply code."""
    if existing is None or existing.sender_mismatch(data.sender.organ_id):
        raise ValidationFailed(
            "Thông báo thu hồi văn bản không có trong hệ thống.",
            "Revocation notice for a document this body does not hold.",
        )
    if existing.state == State.REVOKED:
        return existing
    before = claim(existing, "cancel")
    record(existing, "document:state:revoked", actor=acting_user, from_state=before,
           to_state=existing.state, reason=data.reason)  # fmt: skip
    _status(existing, "agreed", "Đã hủy văn bản bị thu hồi")
    return existing


@action
def do_register_document(document: Document, *, acting_user: User) -> Document:
    """R-DOC-06: the clerk gives the arrival number (per body and year, shared by paper and
    electronic documents) and the sender learns it was registered."""
    require_role(acting_user, document.owner_unit, (Role.CLERK,))
    year = local_today().year
    before = claim(document, "register")
    arrival = numbering.next_arrival_number(document.owner_unit_id, year)
    Document.objects.filter(pk=document.pk).update(arrival_number=arrival, arrival_year=year)
    document.arrival_number, document.arrival_year = arrival, year
    record(document, "document:state:registered", actor=acting_user, from_state=before,
           to_state=document.state, payload={"arrival_number": arrival, "year": year})  # fmt: skip
    _status(document, "registered")
    return document


def handling_deadline(start: date, days: int, calendar: Calendar) -> date:
    """R-DOC-16: ``days`` working days after ``start`` on the province's calendar."""
    day = start
    for _ in range(days):
        day = next_working_day(day, calendar)
    return day


@action
def do_assign_document(
    document: Document, *, handler: User, days: int, acting_user: User
) -> Document:
    """The leader assigns a handler with a deadline in working days (R-DOC-16)."""
    require_role(acting_user, document.owner_unit, (Role.UNIT_LEADER,))
    if not 1 <= days <= MAX_HANDLING_DAYS:
        raise ValidationFailed(
            "Thời hạn xử lý từ 1 đến 60 ngày làm việc.",
            "The handling time is 1 to 60 working days.",
            field="days",
        )
    if not has_role(handler, document.owner_unit):
        raise ValidationFailed(
            "Người xử lý phải thuộc cơ quan nhận văn bản.",
            "The handler must belong to the receiving body.",
            field="handler",
        )
    deadline = handling_deadline(local_today(), days, calendar_for(document.owner_unit.province_id))
    before = claim(document, "assign", handler=handler, handling_deadline=deadline)
    record(document, "document:state:assigned", actor=acting_user, from_state=before,
           to_state=document.state,
           payload={"handler": handler.pk, "deadline": deadline.isoformat()})  # fmt: skip
    _status(document, "assigned")
    return document


@action
def do_complete_document(document: Document, *, acting_user: User) -> Document:
    """The handler (or the leader) completes the handling; the sender learns it."""
    require_role(acting_user, document.owner_unit, (Role.SPECIALIST, Role.UNIT_LEADER))
    if acting_user.pk != document.handler_id and not has_role(
        acting_user, document.owner_unit, (Role.UNIT_LEADER,)
    ):
        raise ValidationFailed(
            "Chỉ người được phân công hoặc lãnh đạo mới hoàn thành việc xử lý.",
            "Only the assigned handler or a leader may complete the handling.",
        )
    before = claim(document, "complete")
    record(document, "document:state:completed", actor=acting_user, from_state=before,
           to_state=document.state)  # fmt: skip
    _status(document, "completed")
    return document


@action
def do_handle_document(document: Document, *, note: str = "", acting_user: User) -> Document:
    """The assigned handler starts handling; the sender learns it (status 05, R-DOC-14)."""
    require_role(acting_user, document.owner_unit, (Role.SPECIALIST, Role.UNIT_LEADER))
    if acting_user.pk != document.handler_id:
        raise ValidationFailed(
            "Chỉ người được phân công mới nhận xử lý văn bản này.",
            "Only the assigned handler may take up this document.",
        )
    before = claim(document, "handle")
    record(document, "document:state:handling", actor=acting_user, from_state=before,
           to_state=document.state, reason=nfc(note))  # fmt: skip
    _status(document, "handling")
    return document


@action
def do_forward_document(
    document: Document, *, handler: User, reason: str, acting_user: User
) -> Document:
    """Pass the handling on to another handler of the body (chuyển xử lý, R-DOC-16): the
    leader, or the handler themself; the deadline stays."""
    require_role(acting_user, document.owner_unit, (Role.SPECIALIST, Role.UNIT_LEADER))
    if acting_user.pk != document.handler_id and not has_role(
        acting_user, document.owner_unit, (Role.UNIT_LEADER,)
    ):
        raise PermissionDenied(
            "Chỉ người được phân công hoặc lãnh đạo mới chuyển xử lý văn bản.",
            "Only the assigned handler or a leader may forward the handling.",
        )
    if not reason.strip():
        raise ValidationFailed("Hãy ghi lý do chuyển.", "A reason is required.", field="reason")
    if not has_role(handler, document.owner_unit) or handler.pk == document.handler_id:
        raise ValidationFailed(
            "Người nhận xử lý phải là người khác, thuộc cơ quan nhận văn bản.",
            "The new handler must be someone else of the receiving body.",
            field="handler",
        )
    before = claim(document, "forward", handler=handler)
    record(document, "document:state:forwarded", actor=acting_user, from_state=before,
           to_state=document.state, reason=nfc(reason),
           payload={"handler": handler.pk})  # fmt: skip
    return document


def is_overdue(document: Document, today: date | None = None) -> bool:
    """R-DOC-16: still open after its handling deadline."""
    open_states = {State.REGISTERED, State.ASSIGNED, State.HANDLING}
    return (
        document.handling_deadline is not None
        and document.state in open_states
        and (today or local_today()) > document.handling_deadline
    )


@action
def do_record_statuses(unit: Unit, items: list[StatusItem]) -> int:
    """R-DOC-14: the sender sees each recipient's latest status (Appendix VI III.1.o); each
    change goes into the document's trail. Re-reading the same statuses changes nothing."""
    changed = 0
    take_back = status_code("taken_back")
    for item in sorted(items, key=lambda i: i.at):
        if item.code == take_back:
            changed += _answer_take_back(unit, item)
            continue
        try:
            pk = uuid.UUID(item.document_id)
        except ValueError:
            continue
        at = datetime.fromtimestamp(item.at, tz=UTC)
        recipients = Recipient.objects.filter(
            document_id=pk, document__owner_unit=unit, agency_code=item.organ_id
        ).exclude(status_at__gte=at)
        for recipient in recipients.select_related("document"):
            Recipient.objects.filter(pk=recipient.pk).update(status_code=item.code, status_at=at)
            record(recipient.document, "document:recipient:status", actor=None,
                   payload={"organ_id": item.organ_id, "code": item.code,
                            "description": item.description})  # fmt: skip
            changed += 1
    return changed


def _answer_take_back(unit: Unit, item: StatusItem) -> int:
    """R-DOC-14: the sender ``item.organ_id`` asks to take back (13) the document it knows as
    ``item.document_id``. Not registered yet: it leaves the clerk's queue (``taken_back``, its
    trail kept) and the sender gets 15 (agreed); already registered (it has an arrival number,
    R-DOC-06): it stays and the sender gets 16 (declined). Each request is answered once,
    however often the statuses are read; a request about a document this body does not hold
    from that sender is ignored. Returns 1 when something was done."""
    document = _held(unit, item.document_id, item.organ_id)
    if document is None:
        return 0
    answered = document.events.filter(
        kind__in=("document:state:taken_back", "document:take_back:declined"),
        payload__status_id=item.status_id,
    )
    if answered.exists() or document.state == State.TAKEN_BACK:
        return 0
    payload = {"status_id": item.status_id, "organ_id": item.organ_id}
    if document.state in edge("take_back")[0]:
        before = claim(document, "take_back")
        record(document, "document:state:taken_back", actor=None, from_state=before,
               to_state=document.state, reason=item.description, payload=payload)  # fmt: skip
        _status(document, "agreed", "Đã trả lại văn bản cho nơi gửi", once=item.status_id[:16])
    else:
        record(document, "document:take_back:declined", actor=None, reason=item.description,
               payload=payload)  # fmt: skip
        _status(document, "declined", "Văn bản đã vào sổ văn bản đến, không lấy lại được",
                once=item.status_id[:16])  # fmt: skip
    return 1
