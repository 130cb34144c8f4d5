"""Take back (lấy lại) over the axis (R-DOC-14: the sender's request 13, the receiver's answer
15 agreed before registration, 16 declined once registered), through the outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import time_machine

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.core.errors import NotFound, PermissionDenied, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.correspondence import actions as a
from motcua.correspondence import incoming, jobs, selectors
from motcua.correspondence.models import BodyProfile, Document, Recipient
from motcua.correspondence.states import State
from motcua.correspondence.tests.factories import DEPARTMENT_CODE, draft, to_released
from motcua.exchange import outbox

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]


@pytest.fixture
def clerk_b(body_b: Unit) -> User:
    user = User.objects.create_user("vanthu.b", full_name="Lê Văn Thư", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=user, unit=body_b, role=Role.CLERK)
    return user


def sent_to(body: Unit, unit: Unit, specialist: User, leader: User, clerk: User) -> Document:
    document = draft(unit, specialist, leader)
    Recipient.objects.create(document=document, name="UBND phường Cái Khế",
                             agency_code=body.eid_code)  # fmt: skip
    to_released(document, specialist, leader, clerk)
    outbox.drain()
    assert jobs.receive_from_axis() == 1
    return document


def answers(received: Document, code: str) -> int:
    """The receiver's answers of ``code`` to the sender (both speak of the sender's id)."""
    return OutboxMessage.objects.filter(
        topic="docaxis.status", key=received.exchange_id, payload__code=code,
        payload__organ_id=received.owner_unit.eid_code,
    ).count()  # fmt: skip


def test_taken_back_before_registration_leaves_the_receiver_and_the_sender_sees_15(
    national: National,
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    clerk_b: User,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-14: the clerk asks the recipient to give the letter back (13); the receiver had
    not registered it, so it leaves the clerk's queue (kept with its trail) and the sender's
    recipient shows 15; reading the statuses again answers nothing twice."""
    national.use("docaxis")
    letter = sent_to(body_b, pc_a, specialist_a, leader_a, clerk_a)
    received = Document.objects.get(owner_unit=body_b, direction="in")
    assert received.state == State.ARRIVED
    with pytest.raises(PermissionDenied):
        a.do_take_back_document(letter, reason="Gửi nhầm nơi nhận", acting_user=leader_a)
    with pytest.raises(ValidationFailed):
        a.do_take_back_document(letter, reason="  ", acting_user=clerk_a)
    a.do_take_back_document(letter, reason="Gửi nhầm nơi nhận", acting_user=clerk_a)
    requests = OutboxMessage.objects.filter(
        topic="docaxis.status", key=str(letter.pk), payload__organ_id=pc_a.eid_code
    )  # one per recipient reached over the axis (the department and commune B)
    assert sorted(r.payload["to"] for r in requests) == sorted([DEPARTMENT_CODE, body_b.eid_code])
    request = requests.get(payload__to=body_b.eid_code)
    assert request.payload["code"] == "13"
    assert request.idempotency_key == f"docaxis-takeback:{letter.pk}:{body_b.eid_code}:1"
    outbox.drain()
    jobs.poll_statuses()
    received.refresh_from_db()
    assert received.state == State.TAKEN_BACK
    [event] = received.events.filter(kind="document:state:taken_back")
    assert event.reason == "Gửi nhầm nơi nhận"
    assert answers(received, "15") == 1
    jobs.poll_statuses()  # the axis offers the same request again: answered once
    assert answers(received, "15") == 1
    assert received.events.filter(kind="document:state:taken_back").count() == 1
    assert not selectors.queue(clerk_b, "to_register").filter(pk=received.pk).exists()
    outbox.drain()
    jobs.poll_statuses()
    recipient = Recipient.objects.get(document=letter, agency_code=body_b.eid_code)
    assert recipient.status_code == "15"  # agreed (configurable, [I])
    letter.refresh_from_db()
    assert letter.state == State.RELEASED  # the sender's number and register entry stay
    assert letter.events.filter(kind="document:take_back:requested").count() == 1


def test_a_registered_document_is_not_taken_back_and_the_sender_sees_16(
    national: National,
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    clerk_b: User,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-14, R-DOC-06: once the receiver gave it an arrival number, the request is
    declined (16): the document stays in its register, the refusal is in its trail."""
    national.use("docaxis")
    letter = sent_to(body_b, pc_a, specialist_a, leader_a, clerk_a)
    received = Document.objects.get(owner_unit=body_b, direction="in")
    incoming.do_register_document(received, acting_user=clerk_b)
    a.do_take_back_document(letter, reason="Sai nơi nhận", acting_user=clerk_a)
    outbox.drain()
    jobs.poll_statuses()
    received.refresh_from_db()
    assert received.state == State.REGISTERED
    assert received.arrival_number == 1
    assert received.events.filter(kind="document:take_back:declined").count() == 1
    assert answers(received, "16") == 1
    jobs.poll_statuses()
    assert answers(received, "16") == 1
    outbox.drain()
    jobs.poll_statuses()
    recipient = Recipient.objects.get(document=letter, agency_code=body_b.eid_code)
    assert recipient.status_code == "16"


def test_only_a_sent_document_of_the_clerks_own_body_is_taken_back(
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    clerk_b: User,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """A draft or a document sent to no other body cannot be taken back; another body's clerk
    gets the answer a missing document gets."""
    document = draft(pc_a, specialist_a, leader_a)
    with pytest.raises(ValidationFailed, match="R-DOC-14"):
        a.do_take_back_document(document, reason="Thử", acting_user=clerk_a)
    with pytest.raises(NotFound):
        a.do_take_back_document(document, reason="Thử", acting_user=clerk_b)
    assert not document.events.filter(kind="document:take_back:requested").exists()
