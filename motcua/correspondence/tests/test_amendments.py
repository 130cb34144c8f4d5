"""Update, replacement and correction of released documents, over the axis (R-DOC-09,
R-DOC-13 business types 2 and 3, R-DOC-14 answers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core.files.storage import default_storage
from fpdf import FPDF

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.correspondence import actions as a
from motcua.correspondence import edxml, incoming, jobs, selectors
from motcua.correspondence.models import BodyProfile, Document, Recipient
from motcua.correspondence.tests.factories import draft, to_released
from motcua.exchange import outbox

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]


def appendix(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def released_to(
    body: Unit, unit: Unit, specialist: User, leader: User, clerk: User, **over: object
) -> Document:
    document = draft(unit, specialist, leader, **over)
    Recipient.objects.create(document=document, name="UBND phường Cái Khế",
                             agency_code=body.eid_code)  # fmt: skip
    to_released(document, specialist, leader, clerk)
    return document


def amending(
    unit: Unit, specialist: User, leader: User, body: Unit, *, type_code: str, **links: Document
) -> Document:
    data = a.OutgoingInput(
        type_code=type_code,
        summary="Về việc kiện toàn Tổ công tác một cửa (thay thế)",
        content="Điều 1. Kiện toàn lại Tổ công tác.",
        signer=leader,
        signer_position="Chủ tịch",
        recipients=[a.RecipientInput("UBND phường Cái Khế", body.eid_code)],
        drafting_unit_abbreviation="VP" if type_code == "cong_van" else "",
        **links,  # type: ignore[arg-type]
    )
    return a.do_create_outgoing_document(unit, data, acting_user=specialist)


def test_an_update_over_the_axis_replaces_metadata_and_attachments_and_keeps_the_trail(
    national: National,
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-13 type 2: the clerk corrects a released document's summary and replaces its
    appendix (signed by the body, R-DOC-11); the signed document itself is untouched
    (R-DOC-09). The receiver takes the new metadata and appendix, the trail keeps the old ones,
    a second delivery changes nothing, and the sender sees the configured answer (R-DOC-14)."""
    national.use("docaxis")
    letter = released_to(body_b, pc_a, specialist_a, leader_a, clerk_a)
    outbox.drain()
    assert jobs.receive_from_axis() == 1
    signed_pdf = letter.pdf.read()
    with pytest.raises(ValidationFailed):
        a.do_update_document(letter, reason=" ", summary="x", acting_user=clerk_a)
    with pytest.raises(Exception, match="vai trò"):
        a.do_update_document(letter, reason="Sai trích yếu", summary="x", acting_user=leader_a)
    a.do_update_document(
        letter, reason="Bổ sung phụ lục, sửa trích yếu", summary="Về việc kiện toàn Tổ một cửa",
        attachments=[("Phụ lục I", appendix("Phu luc I"))], acting_user=clerk_a,
    )  # fmt: skip
    letter.refresh_from_db()
    assert letter.pdf.read() == signed_pdf  # R-DOC-09: never edited
    [message] = OutboxMessage.objects.filter(topic="docaxis.send", key=str(letter.pk),
                                             idempotency_key__endswith=":2:1")  # fmt: skip
    assert message.idempotency_key == f"docaxis:{letter.pk}:2:1"
    [update] = letter.events.filter(kind="document:updated")
    assert update.payload["before"]["summary"] == "Về việc kiện toàn Tổ công tác một cửa"
    [sealed] = letter.attachments.all()
    outbox.drain()
    assert jobs.receive_from_axis() == 1
    received = Document.objects.get(owner_unit=body_b, direction="in")
    assert received.summary == "Về việc kiện toàn Tổ một cửa"
    [carried] = received.attachments.all()
    assert carried.file.read() == sealed.file.read()
    [trail] = received.events.filter(kind="document:updated")
    assert trail.payload["before"]["summary"] == "Về việc kiện toàn Tổ công tác một cửa"
    assert trail.reason == "Bổ sung phụ lục, sửa trích yếu"
    package = default_package(letter)
    again = incoming.do_receive_document(body_b, package, acting_user=None)
    assert again.pk == received.pk
    assert received.events.filter(kind="document:updated").count() == 1
    outbox.drain()
    jobs.poll_statuses()
    recipient = Recipient.objects.get(document=letter, agency_code=body_b.eid_code)
    assert recipient.status_code == "15"  # agreed (configurable, [I])


def default_package(letter: Document) -> bytes:
    with default_storage.open(f"correspondence/edxml/notices/{letter.pk}-2-1.xml") as handle:
        return bytes(handle.read())


def test_a_replacement_links_the_new_document_and_marks_the_old_one_on_both_sides(
    national: National,
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-09: content errors are replaced by a document of the same form; R-DOC-13 type 3:
    at its release the old one becomes ``replaced`` at the sender and, over the axis, at the
    receiver, which links the two and answers (R-DOC-14). Both stay in the registers."""
    national.use("docaxis")
    old = released_to(body_b, pc_a, specialist_a, leader_a, clerk_a)
    outbox.drain()
    jobs.receive_from_axis()
    with pytest.raises(ValidationFailed, match="cùng hình thức"):
        amending(pc_a, specialist_a, leader_a, body_b, type_code="ke_hoach", replaces=old)
    new = amending(pc_a, specialist_a, leader_a, body_b, type_code="quyet_dinh", replaces=old)
    assert (new.original_id, new.relation) == (old.pk, "replaces")
    old.refresh_from_db()
    assert old.state == "released"  # replaced only when the new one is released
    to_released(new, specialist_a, leader_a, clerk_a)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, new.state, new.number) == ("replaced", "released", 2)
    sent = edxml.parse_package(new.package.read())
    assert (sent.business_type, sent.replaces) == (edxml.REPLACE, str(old.pk))
    with pytest.raises(ValidationFailed):  # a replaced document is not replaced again
        amending(pc_a, specialist_a, leader_a, body_b, type_code="quyet_dinh", replaces=old)
    outbox.drain()
    assert jobs.receive_from_axis() == 1
    received_old = Document.objects.get(owner_unit=body_b, exchange_id=str(old.pk))
    received_new = Document.objects.get(owner_unit=body_b, exchange_id=str(new.pk))
    assert received_old.state == "replaced"
    assert (received_new.original_id, received_new.relation) == (received_old.pk, "replaces")
    assert received_new.state == "arrived"
    register = selectors.outgoing_register(pc_a, 2026)
    notes = [row[-1] for row in register.rows]
    assert notes == ["Đã bị thay thế", "Thay thế văn bản 01/QĐ-UBND"]
    outbox.drain()
    jobs.poll_statuses()
    recipient = Recipient.objects.get(document=old, agency_code=body_b.eid_code)
    assert recipient.status_code == "15"


def test_a_correction_letter_links_to_the_corrected_document(
    national: National,
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    pc_b: Unit,
    body_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-09: errors of form are corrected by an official letter (công văn) that refers to
    the corrected document; the corrected one stays released; the receiver links both."""
    national.use("docaxis")
    old = released_to(body_b, pc_a, specialist_a, leader_a, clerk_a)
    outbox.drain()
    jobs.receive_from_axis()
    with pytest.raises(ValidationFailed, match="công văn"):
        amending(pc_a, specialist_a, leader_a, body_b, type_code="quyet_dinh", corrects=old)
    unreleased = draft(pc_a, specialist_a, leader_a)
    with pytest.raises(ValidationFailed, match="đã phát hành"):
        amending(pc_a, specialist_a, leader_a, body_b, type_code="cong_van", corrects=unreleased)
    clerk_b = User.objects.create_user("vanthu.b", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=clerk_b, unit=body_b, role=Role.CLERK)
    leader_b = User.objects.create_user("lanhdao.b", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=leader_b, unit=body_b, role=Role.UNIT_LEADER)
    foreign = draft(body_b, leader_b, leader_b)
    with pytest.raises(NotFound):
        amending(pc_a, specialist_a, leader_a, body_b, type_code="cong_van", corrects=foreign)
    letter = amending(pc_a, specialist_a, leader_a, body_b, type_code="cong_van", corrects=old)
    to_released(letter, specialist_a, leader_a, clerk_a)
    old.refresh_from_db()
    assert old.state == "released"
    outbox.drain()
    assert jobs.receive_from_axis() == 1
    received_old = Document.objects.get(owner_unit=body_b, exchange_id=str(old.pk))
    received_letter = Document.objects.get(owner_unit=body_b, exchange_id=str(letter.pk))
    assert (received_letter.original_id, received_letter.relation) == (
        received_old.pk, "corrects",
    )  # fmt: skip
    assert received_old.state == "arrived"
