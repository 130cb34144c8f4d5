"""The official forwarding letter of a petition sent to an outside body (issue #18 item 4,
R-DOC-13, R-DOC-17).

When a petition is forwarded to a body outside the province (by its agency code), the handling
unit drafts a forwarding slip (*phiếu chuyển*, Decree 30/2020 Appendix III) addressed to that
agency code, linked to the petition (:class:`DocumentPetition`). The draft is written by a
reaction to the petition's ``petition:state:not_competent`` event, in the forwarding's own
transaction: ``petitions`` and ``correspondence`` are sibling apps that may not import each other
(``.importlinter``), so the petition is read from the event the pipeline hands over.

Why a draft and not a letter sent at once: an outgoing document is approved by a competent
leader with a fresh second-factor code, signed by that leader and numbered and signed by the
clerk before it is released (R-DOC-07, R-DOC-10); none of them acts when the officer forwards.
The draft therefore waits on the unit's desk; after those steps the clerk's release sends it over
the national document axis through the outbox (``correspondence.exchange``), and the outside
body receives it as an incoming document."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.accounts.scope import has_role
from motcua.agencies.models import Unit
from motcua.core import events
from motcua.core.errors import ValidationFailed
from motcua.correspondence.actions import (
    DRAFTERS,
    OutgoingInput,
    RecipientInput,
    write_outgoing_document,
)
from motcua.correspondence.models import BodyProfile, Document, DocumentPetition

FORWARDED = "petition:state:not_competent"
LETTER_TYPE = "phieu_chuyen"


def draft_forwarding_letters(happened: events.Happened) -> None:
    """Reaction (same transaction as the forwarding): one draft letter per forwarding to an
    outside body; a forwarding to a unit of the province files a new petition instead."""
    for event in happened.events:
        payload: dict[str, Any] = getattr(event, "payload", None) or {}
        if not payload.get("agency_code"):
            continue
        petition = getattr(event, "petition")  # noqa: B009 - a sibling app's model, not imported
        actor = getattr(event, "actor")  # noqa: B009 - same
        draft_forwarding_letter(
            petition.unit,
            petition=petition,
            agency_code=payload["agency_code"],
            agency_name=payload.get("agency_name") or payload["agency_code"],
            reason=getattr(event, "reason", ""),
            acting_user=actor,
        )


def _signer(unit: Unit) -> User | None:
    """The unit's own leader who signs its letters (R-DOC-10); the earliest appointed first."""
    assignment = (
        RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_LEADER, user__is_active=True)
        .select_related("user")
        .order_by("granted_at", "pk")
        .first()
    )
    return assignment.user if assignment is not None else None


def draft_forwarding_letter(
    unit: Unit,
    *,
    petition: Any,
    agency_code: str,
    agency_name: str,
    reason: str,
    acting_user: User | None,
) -> Document:
    """Draft ``unit``'s forwarding slip for ``petition`` to the outside body ``agency_code``.
    Refused, with nothing written (the forwarding rolls back with it), when the unit cannot
    issue official documents yet or the officer may not draft for it."""
    signer = _signer(unit)
    if not unit.eid_code or signer is None or not BodyProfile.objects.filter(unit=unit).exists():
        raise ValidationFailed(
            "Đơn vị chưa được cấu hình văn bản đi (mã định danh, chữ viết tắt, lãnh đạo ký): "
            "chưa thể gửi phiếu chuyển đến cơ quan ngoài tỉnh.",
            "The unit is not set up for outgoing documents (agency code, abbreviation, signing "
            "leader): the forwarding letter to the outside body cannot be drafted.",
            field="agency_code",
        )
    if acting_user is None or not has_role(acting_user, unit, DRAFTERS):
        raise ValidationFailed(
            "Bạn không có vai trò soạn văn bản của đơn vị để gửi phiếu chuyển.",
            "You do not hold a drafting role at the unit to send the forwarding letter.",
            field="agency_code",
        )
    where = f", địa điểm: {petition.address}" if petition.address else ""
    content = (
        f"{unit.name} nhận được phản ánh, kiến nghị {petition.code} của "
        f"{petition.petitioner_name or 'người dân'}{where}.\n"
        f"Nội dung: {petition.subject}\n{petition.content}\n"
        f"Nội dung này không thuộc thẩm quyền giải quyết của {unit.name} ({reason}). "
        f"Chuyển {agency_name} xem xét, giải quyết theo thẩm quyền và trả lời người phản ánh."
    )
    document = write_outgoing_document(
        unit,
        OutgoingInput(
            type_code=LETTER_TYPE,
            summary=f"V/v chuyển phản ánh, kiến nghị {petition.code}",
            content=content,
            signer=signer,
            signer_position=signer.job_title or "Lãnh đạo",
            recipients=[RecipientInput(agency_name, agency_code)],
        ),
        acting_user=acting_user,
    )
    DocumentPetition.objects.create(
        document=document, petition_code=petition.code, role="forwarding"
    )
    return document


def register() -> None:
    events.react(FORWARDED, draft_forwarding_letters)
