"""Alerts to the competent unit (issue #18): the desk badge counts new, due-soon and overdue
petitions of the officer's units; the alert job e-mails the unit's handling officers of new and
overdue ones through the outbox, once per petition and kind however often it runs."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.petitions.actions import do_accept_petition, do_answer_petition
from motcua.petitions.alerts import officers_of, run_petition_alerts
from motcua.petitions.models import PetitionAlert
from motcua.petitions.tests.conftest import file, local

pytestmark = pytest.mark.django_db


def _alert_mails() -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            topic="email.send", payload__kind__startswith="petition_alert_"
        ).order_by("id")
    )


def test_new_due_soon_and_overdue_alerts_are_raised_once(
    traveller: Any, pc_a: Unit, pc_b: Unit, specialist_a: User, leader_a: User
) -> None:
    for officer in (specialist_a, leader_a):  # the unit's handling officers have addresses
        officer.email = f"{officer.username}@cantho.gov.vn"
        officer.save(update_fields=["email"])
    first = file(pc_a)  # Tue 10/3, due 24/3 (10 working days)
    other = file(pc_b)
    assert run_petition_alerts() == 2  # two new ones
    assert specialist_a not in officers_of(other)  # commune B's petition: not A's officers
    assert run_petition_alerts() == 0  # idempotent
    recipients = {m.payload["to"] for m in _alert_mails()}
    assert {f"{o.username}@cantho.gov.vn" for o in officers_of(first)} <= recipients
    assert all(m.payload["subject"].startswith("Phản ánh, kiến nghị mới") for m in _alert_mails())
    mails_after_new = len(_alert_mails())

    do_accept_petition(first, acting_user=specialist_a)
    traveller.move_to(local(3, 23))  # Mon 23/3: both due on the next working day
    assert run_petition_alerts() == 2
    assert PetitionAlert.objects.filter(petition=first, kind="due_soon").exists()
    assert len(_alert_mails()) == mails_after_new  # due-soon is on the badge only

    traveller.move_to(local(3, 25))  # Wed 25/3: both overdue
    assert run_petition_alerts() == 2
    overdue = [
        m
        for m in _alert_mails()
        if m.payload["kind"] == "petition_alert_overdue" and m.key == first.code
    ]
    assert {m.payload["to"] for m in overdue} == {
        f"{o.username}@cantho.gov.vn" for o in (specialist_a, leader_a)
    }
    assert all(first.code in m.payload["subject"] for m in overdue)
    assert run_petition_alerts() == 0
    assert PetitionAlert.objects.filter(kind="overdue").count() == 2
    do_answer_petition(first, answer="Đã xử lý xong, mời ông bà đến nhận.", acting_user=leader_a)
    assert run_petition_alerts() == 0


def test_the_desk_badge_shows_the_officers_own_counts(
    traveller: Any, pc_a: Unit, pc_b: Unit, specialist_a: User, officer_b: User
) -> None:
    late = file(pc_a)
    traveller.move_to(local(3, 23))
    file(pc_a)
    file(pc_b)
    traveller.move_to(local(3, 25))  # late is overdue; the other two are new
    html = logged_in(specialist_a).get("/desk/").content.decode()
    assert 'data-alert="new"' in html
    assert "Mới tiếp nhận: 2" in html
    assert 'data-alert="overdue"' in html
    assert "Quá hạn: 1" in html
    assert 'data-alert="due_soon"' not in html
    do_accept_petition(late, acting_user=specialist_a)
    html = logged_in(specialist_a).get("/desk/").content.decode()
    assert "Mới tiếp nhận: 1" in html
    other = logged_in(officer_b).get("/desk/").content.decode()
    assert "Quá hạn: 1" not in other
