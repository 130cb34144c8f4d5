"""Official documents of a dossier (R-DOC-17): the consultation letter drafted from a dossier in
inter-agency consultation, and the consulted body's answer, linked to the same dossier and to the
per-agency consultation; both appear in the dossier's trail through a reaction to the documents'
events (registered in ``CorrespondenceConfig.ready``), so the dossiers app needs no hook."""

from __future__ import annotations

from motcua.accounts.models import User
from motcua.core import events
from motcua.core.actions import action
from motcua.core.clock import now, to_local
from motcua.core.errors import ValidationFailed
from motcua.correspondence.actions import OutgoingInput, RecipientInput, write_outgoing_document
from motcua.correspondence.models import Direction, Document, DocumentDossier, DocumentEvent
from motcua.dossiers.actions.core import record_event, transition
from motcua.dossiers.models import Consultation
from motcua.dossiers.states import State as DossierState

#: Document events that the linked dossiers' trails show, with the dossier event kind.
SHOWN = {
    "document:state:released": "dossier:document:sent",
    "document:state:arrived": "dossier:document:received",
    "document:state:registered": "dossier:document:registered",
}


@action
def do_draft_consultation_letter(
    consultation: Consultation,
    *,
    signer: User,
    signer_position: str,
    drafting_unit_abbreviation: str,
    content: str = "",
    acting_user: User,
) -> Document:
    """R-DOC-17: the competent unit's officer drafts the official letter asking the consulted
    agency (addressed by its agency code, R-DOC-13), linked to the dossier and the consultation.
    The letter then follows the outgoing steps (review, approval, two signatures, release)."""
    dossier = consultation.dossier
    if dossier.state != DossierState.IN_CONSULTATION or consultation.answered_at is not None:
        raise ValidationFailed(
            "Chỉ soạn công văn lấy ý kiến khi hồ sơ đang chờ ý kiến của cơ quan này.",
            "A consultation letter is drafted only while the agency's opinion is awaited.",
        )
    agency = consultation.agency
    if not agency.eid_code:
        raise ValidationFailed(
            "Cơ quan được lấy ý kiến chưa có mã định danh điện tử (R-DOC-13).",
            "The consulted agency has no agency code (R-DOC-13).",
        )
    deadline = to_local(consultation.deadline).strftime("%H:%M ngày %d/%m/%Y")
    body = content.strip() or (
        f"{dossier.competent_unit.name} đang giải quyết hồ sơ {dossier.code or ''} "
        f"của {dossier.applicant_name}. Đề nghị {agency.name} có ý kiến về nội dung sau:\n"
        f"{consultation.question}\nÝ kiến xin gửi trước {deadline}."
    )
    data = OutgoingInput(
        type_code="cong_van",
        summary=f"V/v lấy ý kiến về hồ sơ {dossier.code or ''}".strip(),
        content=body,
        signer=signer,
        signer_position=signer_position,
        recipients=[
            RecipientInput(agency.name, agency.eid_code),
            RecipientInput(drafting_unit_abbreviation, for_filing=True),
        ],
        drafting_unit_abbreviation=drafting_unit_abbreviation,
    )
    document = write_outgoing_document(dossier.competent_unit, data, acting_user=acting_user)
    DocumentDossier.objects.create(
        document=document, dossier=dossier, role="consultation", consultation=consultation
    )
    return document


def _describe(document: Document) -> str:
    number = document.number_and_symbol or document.symbol
    if document.direction == Direction.OUTGOING:
        to = ", ".join(r.name for r in document.recipients.all() if not r.for_filing)
        return f"Văn bản đi {number}: {document.summary} — gửi {to}"
    arrival = f", số đến {document.arrival_number}" if document.arrival_number else ""
    return f"Văn bản đến {number}{arrival} của {document.issuing_body_name}: {document.summary}"


def show_in_dossier_trail(happened: events.Happened) -> None:
    """Reaction (same transaction): each linked dossier's trail shows the document sent, arrived
    or registered, with the per-agency consultation it belongs to (R-DOC-17)."""
    kind = SHOWN.get(happened.kind)
    if kind is None:
        return
    for event in happened.events:
        assert isinstance(event, DocumentEvent)
        links = DocumentDossier.objects.filter(document_id=event.document_id).select_related(
            "dossier", "document", "document__owner_unit"
        )
        for link in links:
            document = link.document
            record_event(
                link.dossier,
                kind,
                actor=event.actor,
                unit=document.owner_unit,
                at=event.at,
                reason=_describe(document),
                payload={
                    "document": str(document.pk),
                    "role": link.role,
                    "consultation": link.consultation_id,
                },
            )


def answer_consultations(happened: events.Happened) -> None:
    """Reaction to an answer arriving over the axis (same transaction, R-DOC-17, R-PROC-04): the
    consultation it answers is marked answered and, when it was the last one open, appraisal
    resumes — what ``dossiers.actions.do_answer_consultation`` does. That action needs an
    officer of the consulted agency (``require_role``); when the axis delivers there is none,
    so the answer is recorded by the system (``actor=None``) through the dossiers' own
    ``record_event``/``transition``, with the same event kinds and a reason and payload naming
    the document. Only an arrived (signatures valid, correctly addressed: R-DOC-19) document
    from the consulted agency itself (its agency code) closes the consultation; a paper answer
    or one from another body only stays linked."""
    for event in happened.events:
        assert isinstance(event, DocumentEvent)
        links = (
            DocumentDossier.objects.filter(
                document_id=event.document_id,
                role="answer",
                consultation__isnull=False,
                consultation__answered_at__isnull=True,
            )
            .select_related("document", "consultation__agency", "consultation__dossier")
            .order_by("pk")
        )
        for link in links:
            document, consultation = link.document, link.consultation
            assert consultation is not None
            if not document.exchange_id or document.sender_mismatch(consultation.agency.eid_code):
                continue
            _record_answer(consultation, document)


def _record_answer(consultation: Consultation, document: Document) -> None:
    dossier = consultation.dossier
    moment = now()
    number = document.number_and_symbol or document.symbol
    answer = f"Văn bản trả lời {number} của {document.issuing_body_name}: {document.summary}"
    consultation.answered_at = moment
    consultation.answer = answer
    consultation.save(update_fields=["answered_at", "answer"])
    record_event(
        dossier,
        "dossier:consultation:answered",
        actor=None,
        unit=consultation.agency,
        at=moment,
        reason=(
            f"{consultation.agency.name} trả lời bằng văn bản {number} nhận qua trục liên thông "
            "văn bản quốc gia (hệ thống ghi nhận)"
        ),
        payload={
            "consultation": consultation.pk,
            "late": moment > consultation.deadline,
            "document": str(document.pk),
            "via": "docaxis",
        },
    )
    open_ones = dossier.consultations.filter(answered_at__isnull=True)
    if dossier.state == DossierState.IN_CONSULTATION and not open_ones.exists():
        transition(
            dossier,
            DossierState.IN_APPRAISAL,
            actor=None,
            unit=consultation.agency,
            reason="Đã nhận đủ ý kiến của các cơ quan",
            at=moment,
        )


def register() -> None:
    events.react("document:state:", show_in_dossier_trail)
    events.react("document:state:arrived", answer_consultations)
