"""Two bodies exchange a document end to end through the axis simulator (R-DOC-06, R-DOC-13,
R-DOC-14, R-DOC-16, R-DOC-19); paper registration numbers arrivals in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from fpdf import FPDF

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.correspondence import actions as a
from motcua.correspondence import edxml, incoming, jobs
from motcua.correspondence.models import BodyProfile, Document, Recipient, Urgency
from motcua.correspondence.tests.factories import draft, to_released
from motcua.exchange import outbox
from motcua.worktime.calc import TZ
from motcua.worktime.calendars import calendar_for

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]


def letter_appendix() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Phu luc")
    return bytes(pdf.output())


def person(username: str, unit: Unit, role: str) -> User:
    user = User.objects.create_user(username, full_name=username, kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    # Friday 6 March 2026, 09:00: a weekend falls inside the handling time.
    with time_machine.travel(datetime(2026, 3, 6, 9, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller


def test_two_bodies_exchange_a_document_with_statuses_back(
    national: National,
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """GIVEN commune A releases a letter to commune B by agency code WHEN the outbox delivers,
    B takes its inbox, registers, assigns and completes THEN B holds it with valid signatures
    (R-DOC-19), arrival number 1 (R-DOC-06), a deadline of 3 working days skipping the weekend
    (R-DOC-16), and A sees B's statuses 01, 03, 04, 06 in order (R-DOC-14)."""
    national.use("docaxis")
    clerk_b = person("vanthu.caikhe", body_b, Role.CLERK)
    leader_b = person("lanhdao.caikhe", body_b, Role.UNIT_LEADER)
    handler_b = person("chuyenvien.caikhe", body_b, Role.SPECIALIST)
    letter = draft(pc_a, specialist_a, leader_a, type_code="cong_van", drafting="VP")
    Recipient.objects.create(document=letter, name="UBND phường Cái Khế",
                             agency_code=body_b.eid_code)  # fmt: skip
    appendix = a.do_attach_file(letter, name="Phụ lục", pdf=letter_appendix(),
                                acting_user=specialist_a)  # fmt: skip
    to_released(letter, specialist_a, leader_a, clerk_a)
    outbox.drain()
    assert jobs.receive_from_axis() == 1
    appendix.refresh_from_db()
    [carried] = Document.objects.get(owner_unit=body_b).attachments.all()
    assert carried.file.read() == appendix.file.read()  # R-DOC-11: sent as signed
    assert jobs.receive_from_axis() == 0  # acknowledged: not offered again
    received = Document.objects.get(owner_unit=body_b, direction="in")
    assert received.state == "arrived"
    assert received.exchange_id == str(letter.pk)
    assert (received.number, received.symbol) == (1, "UBND-VP")
    assert received.events.get().payload["valid"] is True
    incoming.do_register_document(received, acting_user=clerk_b)
    assert received.arrival_number == 1
    incoming.do_assign_document(received, handler=handler_b, days=3, acting_user=leader_b)
    assert received.handling_deadline == date(2026, 3, 11)  # Mon 9, Tue 10, Wed 11
    assert calendar_for(body_b.province_id).is_working_day(date(2026, 3, 11))
    clock.move_to(datetime(2026, 3, 12, 9, 0, tzinfo=TZ))
    assert incoming.is_overdue(received)
    incoming.do_complete_document(received, acting_user=handler_b)
    outbox.drain()
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"}
    assert jobs.poll_statuses() == 4
    assert jobs.poll_statuses() == 0  # re-reading changes nothing
    recipient = Recipient.objects.get(document=letter, agency_code=body_b.eid_code)
    assert recipient.status_code == "06"
    codes = [e.payload["code"] for e in letter.events.filter(kind="document:recipient:status")]
    assert codes == ["01", "03", "04", "06"]


def test_a_tampered_or_misaddressed_package_is_refused(
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-19: an invalid signature or another addressee: returned to the sender (02)."""
    letter = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    xml = letter.package.read()  # addressed to the Department of Justice, not to B
    misaddressed = incoming.do_receive_document(body_b, xml, acting_user=None)
    assert misaddressed.state == "refused"
    assert misaddressed.events.get().payload == {
        "signatures": 2, "valid": True, "addressed": False, "duplicates": []
    }  # fmt: skip
    again = incoming.do_receive_document(body_b, xml, acting_user=None)
    assert again.pk == misaddressed.pk  # the same sender document id is taken once
    pdf = bytearray(letter.pdf.read())
    pdf[100] ^= 0x01  # one bit inside every signed range
    tampered = edxml.build_package(
        edxml.PackageData(
            document_id="tampered-1", sender=edxml.Organ(pc_a.eid_code, pc_a.name),
            to=[edxml.Organ(body_b.eid_code, body_b.name)], number=1, notation="QĐ-UBND",
            place="Cần Thơ", promulgated_on="2026-03-06", type_code="quyet_dinh",
            type_name="Quyết định", subject="x", signer_competence="", signer_position="",
            signer_name="", priority="normal", due_date="", pages=1, business_type=0,
            business_reason="", sent_at=datetime(2026, 3, 6, 9, 0, tzinfo=TZ),
            file_name="x.pdf", pdf=bytes(pdf),
        )
    )  # fmt: skip
    bad = incoming.do_receive_document(body_b, tampered, acting_user=None)
    assert bad.state == "refused"
    assert bad.events.get().payload["valid"] is False
    statuses = OutboxMessage.objects.filter(topic="docaxis.status").values_list(
        "payload", flat=True
    )
    assert [p["code"] for p in statuses] == ["02", "02"]
    assert [p["to"] for p in statuses] == [pc_a.eid_code, pc_a.eid_code]
    with pytest.raises(ValidationFailed):
        incoming.do_receive_document(body_b, b"<not-xml", acting_user=None)


def test_paper_documents_get_consecutive_arrival_numbers(
    pc_a: Unit, clerk_a: User, specialist_a: User
) -> None:
    """R-DOC-06: one arrival series per receiving body and year; only the clerk registers."""
    data = a.IncomingInput(
        type_code="cong_van", summary="Về việc báo cáo số liệu quý I",
        issuing_body_code="000.00.12.H13", issuing_body_name="Sở Tư pháp",
        number=7, symbol="STP-VP", issued_on=date(2026, 3, 2), urgency=Urgency.URGENT,
    )  # fmt: skip
    first = a.do_register_incoming_document(pc_a, data, acting_user=clerk_a)
    second = a.do_register_incoming_document(pc_a, data, acting_user=clerk_a)
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    with pytest.raises(PermissionDenied):
        a.do_register_incoming_document(pc_a, data, acting_user=specialist_a)


def test_a_revocation_reaches_the_receiver_which_cancels_and_answers(
    national: National,
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-15: the sender revokes a released document; the receiver cancels its copy (the
    register entry and trail stay) and answers with the configured code (15 by default)."""
    national.use("docaxis")
    national.settings.MOTCUA_DOCAXIS_STATUS_CODES = {
        **national.settings.MOTCUA_DOCAXIS_STATUS_CODES, "agreed": "15",
    }  # fmt: skip
    letter = draft(pc_a, specialist_a, leader_a)
    Recipient.objects.create(document=letter, name="UBND phường Cái Khế",
                             agency_code=body_b.eid_code)  # fmt: skip
    to_released(letter, specialist_a, leader_a, clerk_a)
    outbox.drain()
    jobs.receive_from_axis()
    a.do_revoke_document(letter, reason="Ban hành sai thẩm quyền", acting_user=leader_a)
    notices = OutboxMessage.objects.filter(topic="docaxis.send", key=str(letter.pk))
    assert sorted(m.idempotency_key[-1] for m in notices) == ["0", "1"]
    outbox.drain()
    assert jobs.receive_from_axis() == 1
    received = Document.objects.get(owner_unit=body_b, direction="in")
    assert received.state == "revoked"
    assert received.number == 1  # the entry stays
    last = received.events.order_by("seq").last()
    assert last is not None
    assert last.reason == "Ban hành sai thẩm quyền"
    outbox.drain()
    jobs.poll_statuses()
    recipient = Recipient.objects.get(document=letter, agency_code=body_b.eid_code)
    assert recipient.status_code == "15"
