"""R-DOC-06/07: the clerk is reminded, once per document, of a signed document not released by
the next working day (an urgent one at once) and of an incoming document not registered by
the next working day after it arrived (an urgent one at once)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.correspondence.models import BodyProfile, Document, Urgency
from motcua.correspondence.reminders import run_document_reminders
from motcua.correspondence.tests.factories import draft, to_signed
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def friday() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(datetime(2026, 3, 6, 9, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller


def arrived(unit: Unit, urgency: str = Urgency.NORMAL) -> Document:
    return Document.objects.create(
        direction="in", state="arrived", owner_unit=unit, type_code="cong_van",
        summary="V/v phối hợp", issuing_body_code="000.00.12.H13",
        issuing_body_name="Sở Tư pháp", urgency=urgency, arrived_at=datetime.now(TZ),
    )  # fmt: skip


def test_late_release_and_late_registration_remind_the_clerk_once(
    friday: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    clerk_a.email = "vanthu@ninhkieu.example"
    clerk_a.save()
    signed = to_signed(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a)
    letter = arrived(pc_a)
    urgent = arrived(pc_a, Urgency.FLASH)
    # Friday: only the urgent arrival is late (R-DOC-06: at once)
    assert run_document_reminders() == 1
    assert urgent.reminders.get().kind == "register_late"
    friday.move_to(datetime(2026, 3, 9, 16, 0, tzinfo=TZ))  # Monday: the next working day
    assert run_document_reminders() == 0
    friday.move_to(datetime(2026, 3, 10, 8, 0, tzinfo=TZ))  # Tuesday: both late
    assert run_document_reminders() == 2
    assert signed.reminders.get().kind == "release_late"  # R-DOC-07
    assert letter.reminders.get().kind == "register_late"  # R-DOC-06
    assert run_document_reminders() == 0  # once each
    assert signed.events.filter(kind="document:reminder:release_late").count() == 1
    mails = OutboxMessage.objects.filter(topic="email.send")
    assert mails.count() == 3
    assert {m.payload["to"] for m in mails} == {"vanthu@ninhkieu.example"}


def test_an_urgent_signed_document_is_late_at_once(
    friday: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-07: urgent documents are released immediately after signing."""
    document = draft(pc_a, specialist_a, leader_a)
    Document.objects.filter(pk=document.pk).update(urgency=Urgency.URGENT)
    document.refresh_from_db()
    to_signed(document, specialist_a, leader_a)
    assert run_document_reminders() == 1
    assert document.reminders.get().kind == "release_late"
