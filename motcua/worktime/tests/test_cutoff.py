"""The cut-off time is set through an action that audits it and re-dates open work, and every
text that states it reads it from the calendar (issue #13 item 5, R-TIME-05, R-CAL-04)."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from conftest import CAN_THO, logged_in
from motcua.accounts.models import User
from motcua.catalog.models import ProcedureVersion, TimeUnit
from motcua.catalog.selectors import time_limit_text
from motcua.worktime.calc import cutoff_words
from motcua.worktime.calendars import calendar_for
from motcua.worktime.models import CalendarChange, WorkingCalendar

pytestmark = pytest.mark.django_db


def test_cutoff_words() -> None:
    assert cutoff_words(time(15, 0)) == "15 giờ"
    assert cutoff_words(time(16, 30)) == "16 giờ 30"


def test_the_admin_sets_the_cutoff_it_is_audited_redated_and_stated_everywhere(
    provincial_admin: User,
) -> None:
    version = ProcedureVersion.objects.filter(
        procedure__province_id=CAN_THO, time_limit_unit=TimeUnit.SAME_DAY, cutoff_1500=True
    ).first()
    assert version is not None
    assert "sau 15 giờ" in time_limit_text(version)
    tasks = DBTaskResult.objects.count()
    client = logged_in(provincial_admin, verified=True)
    response = client.post(
        "/desk/calendar/2026/",
        {"set_cutoff": "1", "cutoff-cutoff": "16:30", "cutoff-legal_basis": "QĐ 01/2026 (thử)"},
    )
    assert response.status_code == 302
    assert calendar_for(CAN_THO).cutoff == time(16, 30)
    change = CalendarChange.objects.filter(action=CalendarChange.Action.CUTOFF).latest("at")
    assert change.actor == provincial_admin
    assert change.legal_basis == "QĐ 01/2026 (thử)"
    assert change.name == "15 giờ → 16 giờ 30"
    assert DBTaskResult.objects.count() == tasks + 1  # the re-dating, in the same transaction
    assert DBTaskResult.objects.latest("enqueued_at").task_path.endswith(
        "redate_after_calendar_change"
    )
    assert "sau 16 giờ 30" in time_limit_text(version)
    page = Client().get(f"/thu-tuc/{version.procedure.code_national}/")  # the public page
    assert "16 giờ 30" in page.content.decode()


def test_a_cutoff_without_its_legal_basis_or_outside_working_hours_changes_nothing(
    provincial_admin: User,
) -> None:
    client = logged_in(provincial_admin, verified=True)
    before = WorkingCalendar.objects.get(province_id=CAN_THO).cutoff
    changes = CalendarChange.objects.count()
    for cutoff, basis in (("16:00", ""), ("19:00", "QĐ 01/2026")):
        response = client.post(
            "/desk/calendar/2026/",
            {"set_cutoff": "1", "cutoff-cutoff": cutoff, "cutoff-legal_basis": basis},
        )
        assert response.status_code == 200
    assert WorkingCalendar.objects.get(province_id=CAN_THO).cutoff == before
    assert CalendarChange.objects.count() == changes
