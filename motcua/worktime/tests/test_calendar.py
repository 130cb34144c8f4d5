"""The stored calendar (R-CAL-01..04) and the page where a provincial admin edits it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.core.errors import ValidationFailed
from motcua.geo.models import Province
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for, do_add_calendar_entry
from motcua.worktime.models import CalendarChange, CalendarEntry, WorkingCalendar

pytestmark = pytest.mark.django_db


def test_the_seed_holds_the_2026_new_year_swap_and_tet(can_tho: Province) -> None:
    """GIVEN the seeded calendar THEN 2/1/2026 is off, Saturday 10/1/2026 is worked and Tết
    2026 runs Mon 16/2 to Fri 20/2 (R-CAL-01, R-CAL-02, DOMAIN §6.2)."""
    cal = calendar_for(can_tho)
    assert not cal.is_working_day(date(2026, 1, 2))
    assert cal.is_working_day(date(2026, 1, 10))
    assert [d.day for d in (date(2026, 2, n) for n in range(14, 23)) if cal.is_working_day(d)] == []
    assert cal.is_working_day(date(2026, 2, 23))


def test_a_provincial_admin_adds_a_day_off_and_deadlines_move(
    can_tho: Province, provincial_admin: User
) -> None:
    """GIVEN a deadline that ends on Thu 3/9/2026 WHEN the admin adds 3/9/2026 as the second
    National Day holiday THEN the same receipt is due one working day later (R-CAL-04)."""
    received = datetime(2026, 9, 1, 9, 0, tzinfo=calc.TZ)
    limit = calc.TimeLimit(value=Decimal(1), unit=calc.LimitUnit.WORKING_DAYS)
    before = calc.due_at(received, limit, calendar_for(can_tho))
    assert before == datetime(2026, 9, 3, 9, 0, tzinfo=calc.TZ)  # 2/9 is a holiday
    client = logged_in(provincial_admin, verified=True)
    response = client.post(
        "/desk/calendar/2026/",
        {
            "day": "2026-09-03",
            "kind": "holiday",
            "name": "Quốc khánh (ngày liền kề)",
            "legal_basis": "Thông báo của Thủ tướng (thử nghiệm)",
        },
    )
    assert response.status_code == 302
    assert CalendarEntry.objects.filter(day=date(2026, 9, 3)).exists()
    change = CalendarChange.objects.get(day=date(2026, 9, 3))
    assert change.actor == provincial_admin
    assert change.action == "added"
    after = calc.due_at(received, limit, calendar_for(can_tho))
    assert after == datetime(2026, 9, 4, 9, 0, tzinfo=calc.TZ)
    page = client.get("/desk/calendar/2026/").content.decode()
    assert "Quốc khánh (ngày liền kề)" in page


def test_removing_a_day_is_recorded(can_tho: Province, provincial_admin: User) -> None:
    client = logged_in(provincial_admin, verified=True)
    entry = CalendarEntry.objects.get(day=date(2026, 9, 2))
    client.post("/desk/calendar/2026/", {"remove": entry.pk})
    assert not CalendarEntry.objects.filter(day=date(2026, 9, 2)).exists()
    assert CalendarChange.objects.filter(day=date(2026, 9, 2), action="removed").exists()


@pytest.mark.parametrize(
    ("day", "kind", "basis", "message"),
    [
        (date(2026, 9, 5), "holiday", "TB 1", "là ngày nghỉ cuối tuần"),
        (date(2026, 9, 7), "swapped_working_day", "TB 1", "phải là thứ Bảy hoặc Chủ nhật"),
        (date(2026, 9, 8), "holiday", " ", "căn cứ pháp lý"),
        (date(2026, 1, 1), "holiday", "TB 1", "đã có trong lịch"),
    ],
)
def test_bad_entries_are_refused_with_a_vietnamese_reason_and_nothing_changes(
    can_tho: Province, day: date, kind: str, basis: str, message: str
) -> None:
    calendar = WorkingCalendar.objects.get(province=can_tho)
    before = calendar.entries.count()
    with pytest.raises(ValidationFailed) as excinfo:
        do_add_calendar_entry(
            calendar, day=day, kind=kind, name="Thử", legal_basis=basis, acting_user=None
        )
    assert message in excinfo.value.message_vi
    assert calendar.entries.count() == before
    assert not CalendarChange.objects.filter(day=day, action="added").exists()


def test_the_page_shows_the_form_error_without_changing_anything(provincial_admin: User) -> None:
    client = logged_in(provincial_admin, verified=True)
    response = client.post(
        "/desk/calendar/2026/",
        {"day": "2026-09-05", "kind": "holiday", "name": "Thử", "legal_basis": "TB"},
    )
    assert response.status_code == 200
    assert "là ngày nghỉ cuối tuần" in response.content.decode()


def test_only_a_provincial_admin_reaches_the_calendar(
    officer_a: User, admin_a: User, ioc_viewer: User
) -> None:
    assert logged_in(officer_a).get("/desk/calendar/").status_code == 404
    assert logged_in(admin_a, verified=True).get("/desk/calendar/").status_code == 404
    assert logged_in(ioc_viewer).get("/desk/calendar/").status_code == 404
