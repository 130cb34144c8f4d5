"""Calendar changes re-date open work (issue #4 item 8, R-CAL-04)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import do_forward_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tasks import redate_after_calendar_change
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.worktime.calc import TZ
from motcua.worktime.calendars import calendar_for, do_add_calendar_entry
from motcua.worktime.models import WorkingCalendar

pytestmark = pytest.mark.django_db


def local(*parts: int) -> datetime:
    year, month, day, hour, minute = parts
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def test_a_new_day_off_moves_the_deadlines_it_falls_inside_and_records_why(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN a 2-working-day dossier received Tue 1/9/2026 09:00 (2/9 is National Day, so due
    Fri 4/9 09:00) WHEN the admin adds Thu 3/9/2026 as the second National Day holiday THEN the
    dossier is due Mon 7/9 09:00, with an audit event; a dossier due before 3/9 does not move."""
    with time_machine.travel(local(2026, 8, 27, 9, 0), tick=False) as traveller:
        early = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(early, acting_user=officer_a, at_unit=psc_a)
        assert early.due_at_original == local(2026, 8, 31, 9, 0)
        traveller.move_to(local(2026, 9, 1, 9, 0))
        late = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(late, acting_user=officer_a, at_unit=psc_a)
        assert late.due_at_original == local(2026, 9, 4, 9, 0)
        early_due = early.due_at_original
        before = calendar_for(92)
        do_add_calendar_entry(
            WorkingCalendar.objects.get(province_id=92),
            day=date(2026, 9, 3),
            kind="holiday",
            name="Quốc khánh (ngày liền kề)",
            legal_basis="Thông báo (thử nghiệm)",
            acting_user=None,
        )
        moved = redate_after_calendar_change.call(
            92,
            "2026-09-03",
            sorted(d.isoformat() for d in before.days_off),
            sorted(d.isoformat() for d in before.extra_working_days),
            "Lịch: nghỉ 03/09/2026",
        )
    assert moved == 1
    late.refresh_from_db()
    early.refresh_from_db()
    assert late.due_at_original == local(2026, 9, 7, 9, 0)
    assert late.due_at_current == late.due_at_original
    assert early.due_at_original == early_due
    event = late.events.get(kind="dossier:deadline:redated")
    assert event.reason == "Lịch: nghỉ 03/09/2026"
    assert event.payload["before"][0].startswith("2026-09-04")


def test_the_calendar_page_enqueues_the_redating_in_the_same_transaction(
    provincial_admin: User,
) -> None:
    before = DBTaskResult.objects.count()
    client = logged_in(provincial_admin, verified=True)
    client.post(
        "/desk/calendar/2026/",
        {"day": "2026-09-03", "kind": "holiday", "name": "Quốc khánh", "legal_basis": "TB"},
    )
    assert DBTaskResult.objects.count() == before + 1
    task = DBTaskResult.objects.latest("enqueued_at")
    assert task.task_path.endswith("redate_after_calendar_change")
    # A refused entry enqueues nothing.
    client.post(
        "/desk/calendar/2026/",
        {"day": "2026-09-05", "kind": "holiday", "name": "Thử", "legal_basis": "TB"},
    )
    assert DBTaskResult.objects.count() == before + 1


def test_nothing_moves_when_the_calendar_is_unchanged(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    with time_machine.travel(local(2026, 9, 1, 9, 0), tick=False):
        dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        cal = calendar_for(92)
        moved = redate_after_calendar_change.call(
            92,
            "2026-09-03",
            sorted(d.isoformat() for d in cal.days_off),
            sorted(d.isoformat() for d in cal.extra_working_days),
            "x",
        )
    assert moved == 0
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
