"""Documents for the tests, made by the actions themselves."""

from __future__ import annotations

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.correspondence import actions as a
from motcua.correspondence.models import Document, Security

DEPARTMENT_CODE = "000.00.12.H13"


def draft(unit: Unit, drafter: User, signer: User, **over: object) -> Document:
    data = a.OutgoingInput(
        type_code=str(over.get("type_code", "quyet_dinh")),
        summary="Về việc kiện toàn Tổ công tác một cửa",
        content="Điều 1. Kiện toàn Tổ công tác.\nĐiều 2. Quyết định có hiệu lực kể từ ngày ký.",
        signer=signer,
        signer_position="Chủ tịch\nPhó Chủ tịch",
        signing_mark="KT.",
        recipients=[
            a.RecipientInput("Sở Tư pháp", DEPARTMENT_CODE),
            a.RecipientInput("VP", for_filing=True),
        ],
        security=str(over.get("security", Security.NONE)),
        drafting_unit_abbreviation=str(over.get("drafting", "")),
    )
    return a.do_create_outgoing_document(unit, data, acting_user=drafter)


def to_signed(doc: Document, specialist: User, leader: User) -> Document:
    a.do_submit_document(doc, acting_user=specialist)
    a.do_approve_document(doc, acting_user=leader)
    return a.do_sign_document(doc, acting_user=leader)


def to_released(doc: Document, specialist: User, leader: User, clerk: User) -> Document:
    """Submitted, approved and signed (:func:`to_signed`), then numbered and released by the
    clerk (R-DOC-05), read back from the database."""
    to_signed(doc, specialist, leader)
    a.do_release_document(doc, acting_user=clerk)
    doc.refresh_from_db()
    return doc
