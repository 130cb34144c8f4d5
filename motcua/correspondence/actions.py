"""The only writers of documents (``do_<verb>_<noun>(…, *, acting_user)``), one transaction each.

Outgoing (R-DOC-07, R-DOC-10): draft → submit → approve (the competent leader) → sign (the
signer, PAdES, first) → release (the clerk: number, date, the body's PAdES signature with the
seal, R-DOC-05) → revoke (R-DOC-15). Incoming (R-DOC-06): register with an arrival number.
Every step is claimed by a conditional UPDATE and recorded in the immutable trail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from motcua.accounts.models import Role, User
from motcua.accounts.otp import verify_fresh_code
from motcua.accounts.scope import has_role
from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import local_today, now, to_local
from motcua.core.errors import NotFound, PermissionDenied, ValidationFailed
from motcua.core.outbox import enqueue
from motcua.core.text import nfc
from motcua.correspondence import edxml, numbering
from motcua.correspondence.exchange import STATUS_TOPIC, TOPIC, status_code
from motcua.correspondence.models import (
    SECRET_MARKS,
    Attachment,
    BodyProfile,
    Direction,
    Document,
    DocumentDossier,
    Recipient,
    Relation,
    Security,
    Urgency,
)
from motcua.correspondence.states import State
from motcua.correspondence.trail import claim, record
from motcua.correspondence.types import (
    UnknownType,
    doc_type,
    number_symbol,
    series_for,
    symbol,
)
from motcua.documents import ca
from motcua.documents.wording import date_text, place_of
from motcua.dossiers.models import Dossier

if TYPE_CHECKING:
    from motcua.correspondence.rendering import OutgoingData

DRAFTERS = (Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK, Role.ONE_STOP_OFFICER)
SUMMARY_MAX = 500


@dataclass(frozen=True)
class RecipientInput:
    name: str
    agency_code: str = ""
    for_filing: bool = False


@dataclass(frozen=True)
class OutgoingInput:
    type_code: str
    summary: str
    content: str
    signer: User
    signer_position: str
    signing_mark: str = ""
    recipients: list[RecipientInput] = field(default_factory=list)
    urgency: str = Urgency.NORMAL
    security: str = Security.NONE
    drafting_unit_abbreviation: str = ""
    dossiers: list[Dossier] = field(default_factory=list)
    #: R-DOC-17: the incoming document this one answers (edXML ResponseFor); the answer
    #: joins the dossiers the asked document belongs to.
    response_to: Document | None = None
    #: R-DOC-09: a released document of this body that this one replaces (same form; sent as
    #: business type 3 at release) or corrects (a correction letter, công văn).
    replaces: Document | None = None
    corrects: Document | None = None


def require_role(user: User, unit: Unit, roles: tuple[str, ...]) -> None:
    """Missing and forbidden look the same to someone outside the unit (DESIGN §2)."""
    if not has_role(user, unit):
        raise NotFound("Không tìm thấy văn bản", "Document not found")
    if not has_role(user, unit, roles):
        raise PermissionDenied(
            "Bạn không có vai trò cần thiết cho bước này.",
            "You do not hold the role this step needs.",
        )


def _profile(unit: Unit) -> BodyProfile:
    profile = BodyProfile.objects.filter(unit=unit).first()
    if profile is None:
        raise ValidationFailed(
            "Cơ quan chưa được cấu hình chữ viết tắt và địa danh (R-DOC-03).",
            "The body has no configured abbreviation and place (R-DOC-03).",
            field="owner_unit",
        )
    return profile


def _is_urgent(urgency: str) -> bool:
    return urgency != Urgency.NORMAL


@action
def do_create_outgoing_document(unit: Unit, data: OutgoingInput, *, acting_user: User) -> Document:
    """A draft of ``unit`` (R-DOC-01 parts; the number comes at release)."""
    return write_outgoing_document(unit, data, acting_user=acting_user)


def write_outgoing_document(unit: Unit, data: OutgoingInput, *, acting_user: User) -> Document:
    """``do_create_outgoing_document``'s writes in the caller's transaction (a consultation
    letter, a petition's forwarding letter)."""
    require_role(acting_user, unit, DRAFTERS)
    try:
        kind = doc_type(data.type_code)
    except UnknownType:
        raise ValidationFailed(
            "Loại văn bản không có trong danh mục (R-DOC-02).",
            "Unknown document type (R-DOC-02).",
            field="type_code",
        ) from None
    summary = nfc(data.summary).strip()
    if not summary or len(summary) > SUMMARY_MAX:
        raise ValidationFailed(
            "Trích yếu bắt buộc, tối đa 500 ký tự (R-DOC-08).",
            "A summary of at most 500 characters is required (R-DOC-08).",
            field="summary",
        )
    if data.urgency not in Urgency.values or data.security not in Security.values:
        raise ValidationFailed(
            "Độ khẩn hoặc độ mật không hợp lệ.", "Invalid urgency or security mark.",
            field="urgency",
        )  # fmt: skip
    if not kind.abbreviation and not data.drafting_unit_abbreviation.strip():
        raise ValidationFailed(
            "Công văn cần chữ viết tắt của đơn vị soạn thảo (R-DOC-03).",
            "An official letter needs the drafting unit's abbreviation (R-DOC-03).",
            field="drafting_unit_abbreviation",
        )
    if not has_role(data.signer, unit, (Role.UNIT_LEADER,)):
        raise ValidationFailed(
            "Người ký phải là lãnh đạo có thẩm quyền của cơ quan (R-DOC-10).",
            "The signer must be a competent leader of the body (R-DOC-10).",
            field="signer",
        )
    profile = _profile(unit)
    secret = data.security in SECRET_MARKS
    original, relation = _original(unit, kind.code, data)
    document = Document.objects.create(
        direction=Direction.OUTGOING,
        state=State.DRAFT,
        owner_unit=unit,
        type_code=kind.code,
        series=series_for(kind, secret=secret),
        symbol=symbol(kind, profile.abbreviation, data.drafting_unit_abbreviation),
        drafting_unit_abbreviation=data.drafting_unit_abbreviation.strip(),
        summary=summary,
        # R-DOC-12: a secret document keeps only its register entry, never its content.
        content="" if secret else nfc(data.content),
        issuing_body_code=unit.eid_code,
        issuing_body_name=unit.name,
        superior_body_name=profile.superior_name,
        place=profile.place,
        signer=data.signer,
        signer_name=data.signer.full_name or data.signer.username,
        signer_position=nfc(data.signer_position),
        signing_mark=data.signing_mark,
        urgency=data.urgency,
        security=data.security,
        response_for=(data.response_to.exchange_id or str(data.response_to.pk))
        if data.response_to is not None
        else "",
        original=original,
        relation=relation,
        created_by=acting_user,
    )
    Recipient.objects.bulk_create(
        [
            Recipient(
                document=document,
                name=nfc(r.name),
                agency_code=r.agency_code.strip(),
                unit=Unit.objects.filter(eid_code=r.agency_code.strip()).first()
                if r.agency_code
                else None,
                for_filing=r.for_filing,
            )
            for r in data.recipients
        ]
    )
    DocumentDossier.objects.bulk_create(
        [DocumentDossier(document=document, dossier=d, role="linked") for d in data.dossiers]
    )
    if data.response_to is not None:
        if data.response_to.owner_unit_id != unit.pk:
            raise NotFound("Không tìm thấy văn bản", "Document not found")
        link_answer(document, data.response_to)
    record(document, "document:created", actor=acting_user, to_state=State.DRAFT)
    return document


def _original(unit: Unit, type_code: str, data: OutgoingInput) -> tuple[Document | None, str]:
    """R-DOC-09: errors of content are amended or replaced by a document of the same form;
    errors of form, technique or procedure are corrected by an official letter (công văn).
    Only a released document of the same body can be replaced or corrected."""
    if data.replaces is not None and data.corrects is not None:
        raise ValidationFailed(
            "Một văn bản không vừa thay thế vừa đính chính (R-DOC-09).",
            "A document cannot both replace and correct (R-DOC-09).",
            field="replaces",
        )
    original = data.replaces or data.corrects
    if original is None:
        return None, ""
    if original.owner_unit_id != unit.pk or original.direction != Direction.OUTGOING:
        raise NotFound("Không tìm thấy văn bản", "Document not found")
    if original.state != State.RELEASED:
        raise ValidationFailed(
            "Chỉ thay thế hoặc đính chính văn bản đã phát hành (R-DOC-09).",
            "Only a released document can be replaced or corrected (R-DOC-09).",
            field="replaces" if data.replaces else "corrects",
        )
    if data.replaces is not None:
        if original.type_code != type_code:
            raise ValidationFailed(
                "Văn bản thay thế phải cùng hình thức với văn bản bị thay thế (R-DOC-09).",
                "A replacing document has the form of the replaced one (R-DOC-09).",
                field="type_code",
            )
        return original, Relation.REPLACES
    if type_code != "cong_van":
        raise ValidationFailed(
            "Đính chính văn bản bằng công văn (R-DOC-09).",
            "A correction is made by an official letter (công văn) (R-DOC-09).",
            field="type_code",
        )
    return original, Relation.CORRECTS


def link_answer(answer: Document, asked: Document) -> list[DocumentDossier]:
    """R-DOC-17: an answer belongs to the dossiers (and per-agency consultations) of the
    document it answers, without copying either."""
    links = [
        DocumentDossier(
            document=answer,
            dossier_id=link.dossier_id,
            role="answer",
            consultation_id=link.consultation_id,
        )
        for link in DocumentDossier.objects.filter(document=asked)
        if not DocumentDossier.objects.filter(document=answer, dossier_id=link.dossier_id).exists()
    ]
    return DocumentDossier.objects.bulk_create(links)


def _move(document: Document, edge_name: str, kind: str, *, actor: User, reason: str = "",
          **values: object) -> Document:  # fmt: skip
    before = claim(document, edge_name, **values)
    record(document, kind, actor=actor, from_state=before, to_state=document.state, reason=reason)
    return document


@action
def do_submit_document(document: Document, *, acting_user: User) -> Document:
    require_role(acting_user, document.owner_unit, DRAFTERS)
    return _move(document, "submit", "document:state:in_review", actor=acting_user)


def check_second_factor(user: User, *, confirm: bool, otp: str) -> None:
    """Approval is a deliberate act: an explicit confirmation and a fresh second-factor code,
    as for a dossier's approval (issue #14 item 1)."""
    if not confirm:
        raise ValidationFailed(
            "Phê duyệt văn bản: hãy xác nhận (confirm=true) sau khi đọc dự thảo.",
            "Approving a document: send confirm=true after reading the draft.",
            field="confirm",
        )
    if not verify_fresh_code(user, otp):
        raise ValidationFailed(
            "Mã xác thực (otp) không đúng hoặc đã dùng. Hãy gửi mã 6 chữ số mới.",
            "The otp code is wrong or was already used; send a new 6-digit code.",
            field="otp",
        )


@action
def do_approve_document(document: Document, *, acting_user: User) -> Document:
    """The competent leader approves (a TOTP second factor at login, SECOND_FACTOR_ROLES)."""
    require_role(acting_user, document.owner_unit, (Role.UNIT_LEADER,))
    return _move(document, "approve", "document:state:approved", actor=acting_user)


@action
def do_return_document(document: Document, *, reason: str, acting_user: User) -> Document:
    require_role(acting_user, document.owner_unit, (Role.UNIT_LEADER,))
    if not reason.strip():
        raise ValidationFailed("Hãy ghi lý do trả lại.", "A reason is required.", field="reason")
    return _move(document, "return", "document:state:returned", actor=acting_user,
                 reason=nfc(reason))  # fmt: skip


def outgoing_data(
    document: Document, *, number_line: str = "", date_line: str = ""
) -> OutgoingData:
    """What the PDF shows; always in Vietnamese, whatever the officer's interface language."""
    with translation.override("vi"):
        return _outgoing_data(document, number_line=number_line, date_line=date_line)


def _outgoing_data(document: Document, *, number_line: str, date_line: str) -> OutgoingData:
    from motcua.correspondence.rendering import OutgoingData  # noqa: PLC0415 - PDF, font and signing libraries load when a document is rendered or signed

    kind = doc_type(document.type_code, document.types_version)
    recipients = [r.name for r in document.recipients.all() if not r.for_filing]
    filing = [r.name for r in document.recipients.all() if r.for_filing]
    return OutgoingData(
        superior_body=document.superior_body_name,
        body=document.issuing_body_name,
        type_name="" if not kind.abbreviation else kind.name,
        summary=document.summary,
        content=document.content,
        signing_mark=document.signing_mark,
        signer_position=document.signer_position,
        signer_name=document.signer_name,
        recipients=recipients,
        filing="Lưu: " + ", ".join(["VT", *filing]) + ".",
        urgency_mark=str(Urgency(document.urgency).label) if _is_urgent(document.urgency) else "",
        security_mark=str(Security.INTERNAL.label)
        if document.security == Security.INTERNAL
        else "",
        number_line=number_line,
        date_line=date_line,
    )


def _store(document: Document, pdf: bytes) -> None:
    document.pdf.save(f"{document.pk}.pdf", ContentFile(pdf), save=False)
    document.sha256 = hashlib.sha256(pdf).hexdigest()


@action
def do_sign_document(document: Document, *, acting_user: User) -> Document:
    """R-DOC-10: the competent person signs first (PAdES, the signature image)."""
    require_role(acting_user, document.owner_unit, (Role.UNIT_LEADER,))
    if document.signer_id != acting_user.pk:
        raise PermissionDenied(
            "Chỉ người ký đã chỉ định mới được ký văn bản này (R-DOC-10).",
            "Only the designated signer may sign this document (R-DOC-10).",
        )
    if document.is_secret:
        raise ValidationFailed(
            "Văn bản mật không ký và không gửi điện tử trên hệ thống (R-DOC-12).",
            "Secret documents are not signed or sent electronically here (R-DOC-12).",
        )
    from motcua.correspondence import signing  # noqa: PLC0415 - PDF, font and signing libraries load when a document is rendered or signed
    from motcua.correspondence.rendering import render_outgoing  # noqa: PLC0415 - PDF, font and signing libraries load when a document is rendered or signed

    pdf, layout = render_outgoing(outgoing_data(document))
    creds = signing.person_credentials(acting_user.pk, document.signer_name, document.owner_unit)
    signed = signing.sign_as_signer(
        pdf, layout, creds, name=document.signer_name, location=document.place,
        reason=f"Ký ban hành: {document.summary[:80]}",
    )  # fmt: skip
    _store(document, signed)
    document.layout = layout.as_dict()
    before = claim(document, "sign", pdf=document.pdf.name, sha256=document.sha256,
                   layout=document.layout, signed_at=now())  # fmt: skip
    record(document, "document:state:signed", actor=acting_user, from_state=before,
           to_state=document.state, payload={"sha256": document.sha256})  # fmt: skip
    return document


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@action
def do_attach_file(document: Document, *, name: str, pdf: bytes, acting_user: User) -> Attachment:
    """An appendix in a separate PDF file, while the document is still a draft (R-DOC-11)."""
    require_role(acting_user, document.owner_unit, DRAFTERS)
    if document.state != State.DRAFT:
        raise ValidationFailed(
            "Chỉ đính kèm khi văn bản còn là dự thảo (R-DOC-09).",
            "Attach files only to a draft (R-DOC-09).",
        )
    if not pdf.startswith(b"%PDF-") or len(pdf) > MAX_ATTACHMENT_BYTES or not name.strip():
        raise ValidationFailed(
            "Tệp đính kèm phải là PDF, có tên, không quá 20 MB.",
            "An attachment must be a named PDF of at most 20 MB.",
            field="file",
        )
    attachment = Attachment(document=document, name=nfc(name).strip()[:255],
                            sha256=hashlib.sha256(pdf).hexdigest())  # fmt: skip
    attachment.file.save(f"{document.pk}-{attachment.sha256[:12]}.pdf", ContentFile(pdf),
                         save=False)  # fmt: skip
    attachment.save()
    record(document, "document:attachment:added", actor=acting_user,
           payload={"name": attachment.name, "sha256": attachment.sha256})  # fmt: skip
    return attachment


def _seal_attachments(document: Document, creds: ca.Credentials) -> None:
    """R-DOC-11: each separate attachment is signed by the body only (no image), showing the
    main document's number and symbol and the signing time in Vietnam time (ISO 8601)."""
    from motcua.correspondence import signing  # noqa: PLC0415 - PDF, font and signing libraries load when a document is rendered or signed

    moment = to_local(now()).isoformat(timespec="seconds")
    for attachment in document.attachments.all():
        with attachment.file.open("rb") as handle:
            original = handle.read()
        sealed = signing.seal_attachment(
            original, creds,
            lines=[f"Kèm theo văn bản số {document.number_and_symbol}",
                   document.issuing_body_name, moment],
            body=document.issuing_body_name, location=document.place,
        )  # fmt: skip
        attachment.file.save(f"{document.pk}-{attachment.pk}-signed.pdf", ContentFile(sealed),
                             save=False)  # fmt: skip
        attachment.sha256 = hashlib.sha256(sealed).hexdigest()
        attachment.save(update_fields=["file", "sha256"])


def date_line(place: str, day: date) -> str:
    """R-DOC-04: ``Cần Thơ, ngày 05 tháng 01 năm 2026`` (leading zeros)."""
    return f"{place_of(place)}, {date_text(day)}"


@action
def do_release_document(document: Document, *, acting_user: User) -> Document:
    """The clerk numbers (R-DOC-05: per body, year and series, gap-free), dates (R-DOC-04) and
    seals (R-DOC-10: the body's PAdES signature with the seal image) the signed document."""
    from motcua.correspondence import signing  # noqa: PLC0415 - PDF, font and signing libraries load when a document is rendered or signed
    from motcua.correspondence.rendering import Layout  # noqa: PLC0415 - PDF, font and signing libraries load when a document is rendered or signed

    require_role(acting_user, document.owner_unit, (Role.CLERK,))
    today = local_today()
    # Claim first: of two clerks releasing at once, the loser draws no number (no gap).
    before = claim(document, "release")
    number = numbering.next_document_number(document.owner_unit_id, today.year, document.series)
    line = number_symbol(number, document.symbol)
    dated = date_line(document.place, today)
    creds = ca.ensure_unit_credentials(document.owner_unit)
    with document.pdf.open("rb") as handle:
        signed = handle.read()
    sealed = signing.number_and_seal(
        signed, Layout.from_dict(document.layout), creds, number_line=line, date_line=dated,
        body=document.issuing_body_name, location=document.place,
        reason=f"Phát hành {number:02d}/{document.symbol}",
    )  # fmt: skip
    _store(document, sealed)
    document.number, document.year, document.issued_on = number, today.year, today
    document.released_at = now()
    Document.objects.filter(pk=document.pk).update(
        number=number, year=today.year, issued_on=today, released_at=document.released_at,
        pdf=document.pdf.name, sha256=document.sha256, search_folded=document.search_text(),
    )  # fmt: skip
    _seal_attachments(document, creds)
    replaced = _replace_original(document, acting_user=acting_user)
    sent_to = _send_to_axis(
        document, sealed, business_type=edxml.REPLACE if replaced else edxml.NEW,
        replaces=replaced,
    )  # fmt: skip
    payload = {"number": number, "symbol": document.symbol, "sha256": document.sha256,
               "sent_to": sent_to}  # fmt: skip
    if document.original_id is not None:
        payload[document.relation] = str(document.original_id)
    record(document, "document:state:released", actor=acting_user, from_state=before,
           to_state=document.state, payload=payload)  # fmt: skip
    return document


def _replace_original(document: Document, *, acting_user: User) -> str:
    """R-DOC-09: at the release of a replacing document the replaced one becomes ``replaced``
    (its register entry and trail stay). Returns the replaced document's exchange id ("" when
    nothing is replaced)."""
    if document.relation != Relation.REPLACES or document.original is None:
        return ""
    original = document.original
    before = claim(original, "replace")
    record(original, "document:state:replaced", actor=acting_user, from_state=before,
           to_state=original.state, payload={"replaced_by": str(document.pk)})  # fmt: skip
    return original.exchange_id or str(original.pk)


def _send_to_axis(
    document: Document,
    pdf: bytes,
    business_type: int = edxml.NEW,
    reason: str = "",
    *,
    replaces: str = "",
    revision: int = 0,
) -> list[str]:
    """R-DOC-13: build and store the edXML package and queue it in the outbox for the external
    recipients (agency codes of bodies outside this one). Returns the codes sent to."""
    external = external_recipients(document)
    if not external or document.is_secret:  # R-DOC-12: never electronically
        return []
    kind = doc_type(document.type_code, document.types_version)
    assert document.number is not None
    assert document.issued_on is not None
    data = edxml.PackageData(
        document_id=str(document.pk),
        sender=edxml.Organ(document.issuing_body_code, document.issuing_body_name),
        to=[edxml.Organ(r.agency_code, r.name) for r in external],
        number=document.number,
        notation=document.symbol,
        place=place_of(document.place),
        promulgated_on=document.issued_on.isoformat(),
        type_code=kind.code,
        type_name=kind.name,
        subject=document.summary,
        signer_competence=document.signing_mark,
        signer_position=document.signer_position.replace("\n", " "),
        signer_name=document.signer_name,
        priority=document.urgency,
        due_date="",
        pages=document.pages,
        business_type=business_type,
        business_reason=reason,
        response_for=document.response_for,
        replaces=replaces,
        corrects=(document.original.exchange_id or str(document.original.pk))
        if document.relation == Relation.CORRECTS and document.original is not None
        else "",
        sent_at=now(),
        file_name=f"{document.number:02d}-{document.symbol}.pdf",
        pdf=pdf,
        extra_files=[(f"{a.name}.pdf", a.file.read()) for a in document.attachments.all()]
        if business_type != edxml.REVOKE
        else [],
    )
    xml = edxml.build_package(data)
    suffix = f"{business_type}:{revision}" if revision else f"{business_type}"
    name = f"{document.pk}-{suffix.replace(':', '-')}.xml"
    if business_type in (edxml.NEW, edxml.REPLACE):  # as sent, for `motcua document edxml`
        document.package.save(name, ContentFile(xml), save=False)
        stored = document.package.name
        Document.objects.filter(pk=document.pk).update(package=stored, exchange_id=str(document.pk))
    else:  # a notice about it (revoke, update): kept beside it
        stored = default_storage.save(f"correspondence/edxml/notices/{name}", ContentFile(xml))
    codes = [r.agency_code for r in external]
    enqueue(
        topic=TOPIC,
        key=str(document.pk),
        payload={
            "package": stored,
            "sender": document.issuing_body_code,
            "to": codes,
            "document_id": str(document.pk),
            "business_type": business_type,
        },
        idempotency_key=f"docaxis:{document.pk}:{suffix}",
    )
    return codes


@action
def do_revoke_document(document: Document, *, reason: str, acting_user: User) -> Document:
    """R-DOC-15: the register entry and the trail stay; the content is hidden from users."""
    require_role(acting_user, document.owner_unit, (Role.UNIT_LEADER,))
    if not reason.strip():
        raise ValidationFailed(
            "Hãy ghi lý do thu hồi văn bản.", "A reason is required.", field="reason"
        )
    _move(document, "revoke", "document:state:revoked", actor=acting_user,
          reason=nfc(reason))  # fmt: skip
    if document.package:
        # R-DOC-15: the recipients' systems get a revocation notice through the axis.
        _send_to_axis(document, b"", business_type=edxml.REVOKE, reason=nfc(reason))
    return document


@action
def do_update_document(
    document: Document,
    *,
    reason: str,
    acting_user: User,
    summary: str | None = None,
    pages: int | None = None,
    attachments: list[tuple[str, bytes]] | None = None,
) -> Document:
    """R-DOC-13 business type 2 (update): the clerk corrects a released document's metadata
    (summary as registered, number of pages) or its separate attachments, never the signed
    document itself (R-DOC-09). The old values stay in the trail; new attachments are signed
    by the body (R-DOC-11); the recipients get an update notice through the axis."""
    require_role(acting_user, document.owner_unit, (Role.CLERK,))
    if document.state != State.RELEASED:
        raise ValidationFailed(
            "Chỉ cập nhật văn bản đã phát hành (R-DOC-09).",
            "Only a released document can be updated (R-DOC-09).",
        )
    if not reason.strip():
        raise ValidationFailed(
            "Hãy ghi lý do cập nhật văn bản.", "A reason is required.", field="reason"
        )
    new_summary = nfc(summary).strip() if summary is not None else document.summary
    if not new_summary or len(new_summary) > SUMMARY_MAX:
        raise ValidationFailed(
            "Trích yếu bắt buộc, tối đa 500 ký tự (R-DOC-08).",
            "A summary of at most 500 characters is required (R-DOC-08).",
            field="summary",
        )
    if pages is not None and not 0 <= pages <= 10_000:
        raise ValidationFailed("Số trang không hợp lệ.", "Invalid number of pages.", field="pages")
    for name, pdf in attachments or []:
        if not pdf.startswith(b"%PDF-") or len(pdf) > MAX_ATTACHMENT_BYTES or not name.strip():
            raise ValidationFailed(
                "Tệp đính kèm phải là PDF, có tên, không quá 20 MB.",
                "An attachment must be a named PDF of at most 20 MB.",
                field="file",
            )
    # Serialise updates of one document (the row lock), then number this revision.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    revision = 1 + document.events.filter(kind="document:updated").count()
    before = {"summary": document.summary, "pages": document.pages,
              "attachments": [{"name": a.name, "sha256": a.sha256, "file": a.file.name}
                              for a in document.attachments.all()]}  # fmt: skip
    document.summary = new_summary
    document.pages = document.pages if pages is None else pages
    Document.objects.filter(pk=document.pk).update(
        summary=document.summary, pages=document.pages, updated_at=now(),
        search_folded=document.search_text(),
    )  # fmt: skip
    if attachments is not None:
        document.attachments.all().delete()  # the files stay in storage, named in the trail
        for name, pdf in attachments:
            attachment = Attachment(document=document, name=nfc(name).strip()[:255],
                                    sha256=hashlib.sha256(pdf).hexdigest())  # fmt: skip
            attachment.file.save(f"{document.pk}-u{revision}-{attachment.sha256[:12]}.pdf",
                                 ContentFile(pdf), save=False)  # fmt: skip
            attachment.save()
        _seal_attachments(document, ca.ensure_unit_credentials(document.owner_unit))
    sent_to: list[str] = []
    if document.package:
        with document.pdf.open("rb") as handle:
            main = handle.read()
        sent_to = _send_to_axis(document, main, business_type=edxml.UPDATE,
                                reason=nfc(reason), revision=revision)  # fmt: skip
    record(document, "document:updated", actor=acting_user, reason=nfc(reason),
           payload={"revision": revision, "before": before, "sent_to": sent_to})  # fmt: skip
    return document


def external_recipients(document: Document) -> list[Recipient]:
    """The recipients reached over the axis (agency codes of other bodies, not file copies)."""
    return [
        r for r in document.recipients.all()
        if r.agency_code and not r.for_filing and r.agency_code != document.issuing_body_code
    ]  # fmt: skip


@action
def do_take_back_document(document: Document, *, reason: str, acting_user: User) -> Document:
    """R-DOC-14 (lấy lại, 13): the clerk asks every recipient reached over the axis to give the
    sent document back. Each receiver answers 15 (agreed: it was not registered yet, it is
    taken out of its inbox) or 16 (declined: it is already in its register); the answers come
    back as recipient statuses. The sender's own document stays released (its number and
    register entry are kept, R-DOC-09); the request goes through the outbox, once per
    request and recipient."""
    require_role(acting_user, document.owner_unit, (Role.CLERK,))
    if not reason.strip():
        raise ValidationFailed(
            "Hãy ghi lý do lấy lại văn bản.", "A reason is required.", field="reason"
        )
    external = external_recipients(document)
    if document.state != State.RELEASED or not document.package or not external:
        raise ValidationFailed(
            "Chỉ lấy lại văn bản đã phát hành và gửi qua trục liên thông (R-DOC-14).",
            "Only a released document sent over the axis can be taken back (R-DOC-14).",
        )
    # Serialise requests about one document, then number this one.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    attempt = 1 + document.events.filter(kind="document:take_back:requested").count()
    code = status_code("taken_back")
    for recipient in external:
        enqueue(
            topic=STATUS_TOPIC,
            key=str(document.pk),
            payload={
                "organ_id": document.issuing_body_code,
                "to": recipient.agency_code,
                "document_id": str(document.pk),
                "code": code,
                "description": nfc(reason)[:500],
            },
            idempotency_key=f"docaxis-takeback:{document.pk}:{recipient.agency_code}:{attempt}",
        )
    record(document, "document:take_back:requested", actor=acting_user, reason=nfc(reason),
           payload={"attempt": attempt, "to": [r.agency_code for r in external]})  # fmt: skip
    return document


@dataclass(frozen=True)
class IncomingInput:
    type_code: str
    summary: str
    issuing_body_code: str
    issuing_body_name: str
    number: int | None
    symbol: str
    issued_on: date | None
    urgency: str = Urgency.NORMAL
    security: str = Security.NONE
    pages: int = 0
    exchange_id: str = ""
    #: the scan of a paper document (PDF), kept as the document's file
    scan: bytes = b""


@action
def do_register_incoming_document(
    unit: Unit, data: IncomingInput, *, acting_user: User
) -> Document:
    """R-DOC-06: the clerk registers an incoming document with the next arrival number of the
    receiving body in the year (one series for paper and electronic documents)."""
    require_role(acting_user, unit, (Role.CLERK,))
    try:
        kind = doc_type(data.type_code)
    except UnknownType:
        raise ValidationFailed(
            "Loại văn bản không có trong danh mục (R-DOC-02).",
            "Unknown document type (R-DOC-02).",
            field="type_code",
        ) from None
    summary = nfc(data.summary).strip()
    if not summary or len(summary) > SUMMARY_MAX or not data.issuing_body_name.strip():
        raise ValidationFailed(
            "Trích yếu (tối đa 500 ký tự) và cơ quan ban hành là bắt buộc (R-DOC-08).",
            "A summary (at most 500 characters) and the issuing body are required (R-DOC-08).",
            field="summary",
        )
    if data.scan and (not data.scan.startswith(b"%PDF-") or len(data.scan) > MAX_ATTACHMENT_BYTES):
        raise ValidationFailed(
            "Bản quét phải là tệp PDF, không quá 20 MB.",
            "The scan must be a PDF of at most 20 MB.",
            field="scan",
        )
    if data.urgency not in Urgency.values or data.security not in Security.values:
        raise ValidationFailed(
            "Độ khẩn hoặc độ mật không hợp lệ.", "Invalid urgency or security mark.",
            field="urgency",
        )  # fmt: skip
    moment = now()
    year = local_today().year
    arrival = numbering.next_arrival_number(unit.pk, year)
    document = Document.objects.create(
        direction=Direction.INCOMING,
        state=State.REGISTERED,
        owner_unit=unit,
        type_code=kind.code,
        number=data.number,
        symbol=data.symbol.strip(),
        issued_on=data.issued_on,
        summary=summary,
        issuing_body_code=data.issuing_body_code.strip(),
        issuing_body_name=nfc(data.issuing_body_name).strip(),
        urgency=data.urgency,
        security=data.security,
        pages=data.pages,
        arrival_number=arrival,
        arrival_year=year,
        arrived_at=moment,
        exchange_id=data.exchange_id,
        created_by=acting_user,
    )
    if data.scan and not document.is_secret:  # R-DOC-12: only the register entry
        _store(document, data.scan)
        Document.objects.filter(pk=document.pk).update(pdf=document.pdf.name,
                                                       sha256=document.sha256)  # fmt: skip
    payload = {"arrival_number": arrival, "year": year, "sha256": document.sha256}
    record(document, "document:state:registered", actor=acting_user, to_state=State.REGISTERED,
           payload=payload)  # fmt: skip
    return document
