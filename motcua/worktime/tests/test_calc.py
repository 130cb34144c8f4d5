"""Deadline arithmetic against DOMAIN.md §6 (R-TIME-*, R-CAL-*) and the worked examples of §12."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from motcua.worktime.calc import (
    TZ,
    Calendar,
    LimitUnit,
    Outcome,
    Session,
    TimeLimit,
    add_working_minutes,
    classify,
    due_at,
    limit_minutes,
    next_working_day,
    normalize_receipt,
    previous_working_day,
    resume_after_pause,
    working_minutes_between,
)

# The seeded 2025/2026 national calendar entries (DOMAIN §6.2, R-CAL-01/04).
HOLIDAYS_2025 = {
    date(2025, 1, 1),  # New Year
    *(date(2025, 1, d) for d in range(27, 32)),  # Tết weekdays (off Sat 25/1 – Sun 2/2)
    date(2025, 4, 7),  # Hùng Kings
    date(2025, 4, 30),  # Victory Day
    date(2025, 5, 1),  # Labour Day
    date(2025, 5, 2),  # swapped day off (with Sat 26/4)
    date(2025, 9, 1),  # National Day
    date(2025, 9, 2),
}
HOLIDAYS_2026 = {
    date(2026, 1, 1),  # New Year
    date(2026, 1, 2),  # swapped day off (with Sat 10/1)
    *(date(2026, 2, d) for d in range(16, 21)),  # Tết weekdays (off Sat 14/2 – Sun 22/2)
    date(2026, 4, 27),  # compensatory day for Hùng Kings on Sun 26/4
    date(2026, 4, 30),
    date(2026, 5, 1),
    date(2026, 9, 2),
}
SWAPPED_WORKING_DAYS = {date(2025, 4, 26), date(2026, 1, 10)}

CAL = Calendar(
    days_off=frozenset(HOLIDAYS_2025 | HOLIDAYS_2026),
    extra_working_days=frozenset(SWAPPED_WORKING_DAYS),
)
CAL_WITHOUT_2_JAN_SWAP = replace(CAL, days_off=CAL.days_off - {date(2026, 1, 2)})
CAL_WITHOUT_10_JAN_SWAP = replace(
    CAL, extra_working_days=CAL.extra_working_days - {date(2026, 1, 10)}
)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def wd(value: str, *, cutoff: bool = False) -> TimeLimit:
    return TimeLimit(Decimal(value), LimitUnit.WORKING_DAYS, cutoff_1500=cutoff)


def wh(value: str, *, cutoff: bool = False) -> TimeLimit:
    return TimeLimit(Decimal(value), LimitUnit.WORKING_HOURS, cutoff_1500=cutoff)


def days(value: int, *, cutoff: bool = False) -> TimeLimit:
    return TimeLimit(Decimal(value), LimitUnit.DAYS, cutoff_1500=cutoff)


SAME_DAY = TimeLimit(Decimal(0), LimitUnit.SAME_DAY)


# --------------------------------------------------------------------------- worked examples

WORKED_EXAMPLES = [
    # id, received, limit, calendar, expected due
    ("E1 Mon 09:00 + 3 wd", at(2026, 3, 9, 9), wd("3"), CAL, at(2026, 3, 12, 9)),
    ("E2 same day Tue 15:30", at(2026, 3, 10, 15, 30), SAME_DAY, CAL, at(2026, 3, 11, 17)),
    ("E2 same day Tue 14:50", at(2026, 3, 10, 14, 50), SAME_DAY, CAL, at(2026, 3, 10, 17)),
    ("E2 same day Fri 15:30", at(2026, 3, 13, 15, 30), SAME_DAY, CAL, at(2026, 3, 16, 17)),
    ("E2 3 wd no flag", at(2026, 3, 10, 15, 30), wd("3"), CAL, at(2026, 3, 13, 15, 30)),
    ("E2 3 wd 15:00 flag", at(2026, 3, 10, 15, 30), wd("3", cutoff=True), CAL, at(2026, 3, 13, 17)),
    ("E3 5 wd across Tết", at(2026, 2, 12, 10), wd("5"), CAL, at(2026, 2, 26, 10)),
    ("E3 10 days across Tết", at(2026, 2, 10, 10), days(10), CAL, at(2026, 2, 23, 23, 59)),
    ("E4a New Year swap", at(2025, 12, 31, 14), wd("3"), CAL, at(2026, 1, 7, 14)),
    (
        "E4a without 2/1 (wrong)",
        at(2025, 12, 31, 14),
        wd("3"),
        CAL_WITHOUT_2_JAN_SWAP,
        at(2026, 1, 6, 14),
    ),
    ("E4b swapped Saturday", at(2026, 1, 7, 9), wd("3"), CAL, at(2026, 1, 10, 9)),
    (
        "E4b without Sat 10/1 (wrong)",
        at(2026, 1, 7, 9),
        wd("3"),
        CAL_WITHOUT_10_JAN_SWAP,
        at(2026, 1, 12, 9),
    ),
    ("E5a lunch + 0.5 wd", at(2026, 3, 10, 12, 15), wd("0.5"), CAL, at(2026, 3, 11, 7, 30)),
    ("E5b lunch + 1 wd", at(2026, 3, 10, 12, 15), wd("1"), CAL, at(2026, 3, 11, 11, 30)),
    ("E6 Fri 20:40 + 2 wd", at(2026, 3, 13, 20, 40), wd("2"), CAL, at(2026, 3, 17, 17)),
]


@pytest.mark.parametrize(
    ("received", "limit", "cal", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in WORKED_EXAMPLES],
)
def test_it_reproduces_the_worked_examples(
    received: datetime, limit: TimeLimit, cal: Calendar, expected: datetime
) -> None:
    """GIVEN a receipt and a time limit from DOMAIN §12 (E1–E6)
    WHEN the due moment is computed
    THEN it is the appointment printed in the example
    (R-TIME-05, R-TIME-07, R-TIME-08, R-TIME-09, R-TIME-10, R-CAL-02, DOMAIN §12 E1–E6)."""
    due = due_at(received, limit, cal)
    assert due == expected
    assert due.tzinfo is TZ


def test_it_explains_e1_hour_by_hour() -> None:
    """GIVEN Mon 9/3/2026 09:00 + 3 working days
    WHEN the explanation is requested
    THEN each session used is listed with the minutes left, ending Thu 12/3 09:00
    (R-TIME-08, DOMAIN §12 E1)."""
    lines: list[str] = []
    due_at(at(2026, 3, 9, 9), wd("3"), CAL, explain=lines)
    steps = [line for line in lines if " min, " in line]
    assert steps == [
        "Mon 2026-03-09 09:00-11:30: 150 min, 1290 left",
        "Mon 2026-03-09 13:30-17:00: 210 min, 1080 left",
        "Tue 2026-03-10 07:00-11:30: 270 min, 810 left",
        "Tue 2026-03-10 13:30-17:00: 210 min, 600 left",
        "Wed 2026-03-11 07:00-11:30: 270 min, 330 left",
        "Wed 2026-03-11 13:30-17:00: 210 min, 120 left",
        "Thu 2026-03-12 07:00-09:00: 120 min, 0 left",
    ]


def test_it_flags_late_risk_one_working_day_before_e1_and_counts_thursday_as_on_time() -> None:
    """GIVEN the E1 dossier due Thu 12/3/2026 09:00
    WHEN the late-risk day and the completion class are computed
    THEN T−1 is Wed 11/3 and a completion on Thu 16:00 is on time, dates not times
    (R-TIME-14, DOMAIN §12 E1)."""
    due = due_at(at(2026, 3, 9, 9), wd("3"), CAL)
    assert previous_working_day(due.date(), CAL) == date(2026, 3, 11)
    assert classify(at(2026, 3, 12, 16), due) is Outcome.ON_TIME


def test_it_normalizes_the_e5_lunch_receipt_and_the_e6_evening_receipt() -> None:
    """GIVEN a receipt at lunch (Tue 12:15) and one on Friday evening (20:40)
    WHEN the receipt is normalized
    THEN counting starts at 13:30 the same day and Monday 07:00 respectively
    (R-TIME-06, R-TIME-07, DOMAIN §12 E5, E6)."""
    assert normalize_receipt(at(2026, 3, 10, 12, 15), CAL) == at(2026, 3, 10, 13, 30)
    assert normalize_receipt(at(2026, 3, 13, 20, 40), CAL) == at(2026, 3, 16, 7)


def test_it_restarts_the_clock_from_zero_after_a_supplement() -> None:
    """GIVEN the E1 dossier paused Tue 10/3 10:00 and completed Mon 16/3/2026 14:00
    WHEN it resumes in the default restart mode
    THEN the full 3 working days run again → Thu 19/3/2026 14:00
    (R-TIME-12, R-SUP-02, DOMAIN §12 E7a)."""
    due = resume_after_pause(
        limit=wd("3"),
        due_before_pause=at(2026, 3, 12, 9),
        paused_at=at(2026, 3, 10, 10),
        resumed_at=at(2026, 3, 16, 14),
        cal=CAL,
        mode="restart",
    )
    assert due == at(2026, 3, 19, 14)


def test_it_shifts_the_appointment_by_the_paused_interval() -> None:
    """GIVEN the E1 dossier paused Tue 10/3 10:00 with 15 working hours left, resumed Mon 16/3 14:00
    WHEN it resumes in shift mode
    THEN the 15 h left run from Mon 14:00 → Wed 18/3/2026 11:00 (R-TIME-12, DOMAIN §12 E7b)."""
    assert working_minutes_between(at(2026, 3, 10, 10), at(2026, 3, 12, 9), CAL) == 15 * 60
    due = resume_after_pause(
        limit=wd("3"),
        due_before_pause=at(2026, 3, 12, 9),
        paused_at=at(2026, 3, 10, 10),
        resumed_at=at(2026, 3, 16, 14),
        cal=CAL,
        mode="shift",
    )
    assert due == at(2026, 3, 18, 11)


# --------------------------------------------------------------------------- derived cases

DERIVED = [
    # Friday evening: R-TIME-07 → Monday 07:00, a full Monday.
    ("Fri 17:30 + 1 wd", at(2026, 3, 13, 17, 30), wd("1"), at(2026, 3, 16, 17)),
    # Sunday receipt (online, R-TIME-06): Monday 07:00.
    ("Sun + 1 wd", at(2026, 3, 15, 10), wd("1"), at(2026, 3, 16, 17)),
    ("Sun same day", at(2026, 3, 15, 10), SAME_DAY, at(2026, 3, 16, 17)),
    ("Sun 10 days counts from Sun", at(2026, 3, 15, 10), days(10), at(2026, 3, 25, 23, 59)),
    # 15:00 vs 15:01 (R-TIME-05, R-TIME-10): "after 15:00" on the printed minute.
    ("same day 15:00", at(2026, 3, 10, 15), SAME_DAY, at(2026, 3, 10, 17)),
    ("same day 15:01", at(2026, 3, 10, 15, 1), SAME_DAY, at(2026, 3, 11, 17)),
    # The cut-off is compared on the minute printed on Form 01 (R-FORM-05): 15:00:59 is "15:00".
    (
        "same day 15:00:59",
        datetime(2026, 3, 10, 15, 0, 59, tzinfo=TZ),
        SAME_DAY,
        at(2026, 3, 10, 17),
    ),
    ("flag 15:00 counts today", at(2026, 3, 10, 15), wd("1", cutoff=True), at(2026, 3, 11, 15)),
    (
        "flag 15:01 counts tomorrow",
        at(2026, 3, 10, 15, 1),
        wd("1", cutoff=True),
        at(2026, 3, 11, 17),
    ),
    # Before opening on a working day: that day (R-TIME-07, R-TIME-10).
    ("06:00 + 1 wd", at(2026, 3, 10, 6), wd("1"), at(2026, 3, 10, 17)),
    ("06:00 same day", at(2026, 3, 10, 6), SAME_DAY, at(2026, 3, 10, 17)),
    ("17:30 same day", at(2026, 3, 10, 17, 30), SAME_DAY, at(2026, 3, 11, 17)),
    # Session boundaries.
    ("11:30 exactly + 1 wd", at(2026, 3, 10, 11, 30), wd("1"), at(2026, 3, 11, 11, 30)),
    ("17:00 exactly + 1 wd", at(2026, 3, 10, 17), wd("1"), at(2026, 3, 11, 17)),
    ("07:00 + 1 wd exact fit", at(2026, 3, 10, 7), wd("1"), at(2026, 3, 10, 17)),
    # 0.5 working-day steps (R-TIME-02).
    ("07:00 + 0.5 wd", at(2026, 3, 9, 7), wd("0.5"), at(2026, 3, 9, 11)),
    ("07:00 + 1.5 wd", at(2026, 3, 9, 7), wd("1.5"), at(2026, 3, 10, 11)),
    ("07:00 + 2.5 wd", at(2026, 3, 9, 7), wd("2.5"), at(2026, 3, 11, 11)),
    ("zero wd inside a session", at(2026, 3, 9, 9, 10), wd("0"), at(2026, 3, 9, 9, 10)),
    # Working hours (R-TIME-02 "không quá 08 giờ làm việc").
    ("8 working hours", at(2026, 3, 9, 9), wh("8"), at(2026, 3, 10, 9)),
    ("2 working hours over lunch", at(2026, 3, 9, 10), wh("2"), at(2026, 3, 9, 14)),
    ("working hours ignore 15:30", at(2026, 3, 9, 15, 30), wh("2"), at(2026, 3, 10, 7, 30)),
    ("working hours with flag", at(2026, 3, 9, 15, 30), wh("2", cutoff=True), at(2026, 3, 10, 9)),
    # Holidays elsewhere in 2025/2026 (R-CAL-02).
    ("Sat 26/4/2025 is working", at(2025, 4, 25, 16), wd("1"), at(2025, 4, 26, 16)),
    ("across 30/4–2/5/2025", at(2025, 4, 29, 16), wd("1"), at(2025, 5, 5, 16)),
    ("compensatory Mon 27/4/2026", at(2026, 4, 24, 16), wd("1"), at(2026, 4, 28, 16)),
]


@pytest.mark.parametrize(
    ("received", "limit", "expected"), [pytest.param(*case[1:], id=case[0]) for case in DERIVED]
)
def test_it_computes_derived_deadlines(
    received: datetime, limit: TimeLimit, expected: datetime
) -> None:
    """GIVEN a receipt at an edge of the working calendar
    WHEN the due moment is computed
    THEN it follows the reference algorithm
    (R-TIME-02, R-TIME-05, R-TIME-06, R-TIME-07, R-TIME-08, R-TIME-09, R-TIME-10, R-CAL-02)."""
    assert due_at(received, limit, CAL) == expected


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        pytest.param(at(2026, 3, 10, 11, 30), at(2026, 3, 10, 13, 30), id="11:30 is lunch"),
        pytest.param(at(2026, 3, 10, 11, 29), at(2026, 3, 10, 11, 29), id="11:29 in session"),
        pytest.param(at(2026, 3, 10, 17), at(2026, 3, 11, 7), id="17:00 is after closing"),
        pytest.param(at(2026, 3, 10, 6, 59), at(2026, 3, 10, 7), id="before opening"),
        pytest.param(at(2026, 3, 14, 9), at(2026, 3, 16, 7), id="Saturday"),
        pytest.param(at(2026, 2, 13, 17, 1), at(2026, 2, 23, 7), id="Friday before Tết"),
    ],
)
def test_it_normalizes_receipts_at_session_edges(received: datetime, expected: datetime) -> None:
    """GIVEN a receipt at a session edge or on a day off
    WHEN it is normalized
    THEN the clock starts at the next moment of working time; sessions are [start, end)
    (R-TIME-07)."""
    assert normalize_receipt(received, CAL) == expected


def test_it_ends_an_exact_fit_at_the_session_end_and_continues_from_it() -> None:
    """GIVEN a start at 07:00 and exactly one morning session of minutes
    WHEN the minutes are added, then more minutes are added to the result
    THEN the first result is 11:30 (not 13:30) and the second continues at 13:30 (R-TIME-08)."""
    noon = add_working_minutes(at(2026, 3, 10, 7), 270, CAL)
    assert noon == at(2026, 3, 10, 11, 30)
    assert add_working_minutes(noon, 0, CAL) == noon
    assert add_working_minutes(noon, 30, CAL) == at(2026, 3, 10, 14)


def test_it_counts_calendar_days_from_the_receipt_date_whatever_the_hour() -> None:
    """GIVEN receipts on Tue 10/2/2026 in the morning and after closing, 10 calendar days
    WHEN the due moment is computed
    THEN both count from 10/2 (first day not counted) and end Mon 23/2/2026 23:59 after Tết
    (R-TIME-04, R-TIME-09, R-TIME-11, DOMAIN §12 E3)."""
    assert due_at(at(2026, 2, 10, 8), days(10), CAL) == at(2026, 2, 23, 23, 59)
    assert due_at(at(2026, 2, 10, 19), days(10), CAL) == at(2026, 2, 23, 23, 59)


def test_it_counts_calendar_days_from_the_next_working_day_with_the_1500_flag() -> None:
    """GIVEN a receipt Mon 9/3/2026 16:00 and a 4-calendar-day limit
    WHEN computed with and without the 15:00 flag
    THEN without it the last day is Fri 13/3; with it counting starts from Tue 10/3, the last day
    Sat 14/3 moves to Mon 16/3 (R-TIME-05, R-TIME-09, R-TIME-11)."""
    assert due_at(at(2026, 3, 9, 16), days(4), CAL) == at(2026, 3, 13, 23, 59)
    assert due_at(at(2026, 3, 9, 16), days(4, cutoff=True), CAL) == at(2026, 3, 16, 23, 59)


def test_it_can_skip_days_off_inside_a_calendar_day_span() -> None:
    """GIVEN the province option to skip holidays inside calendar-day spans
    WHEN Tue 10/2/2026 + 10 days is computed
    THEN the five Tết weekdays are not counted and the limit ends Wed 25/2/2026 23:59
    (R-TIME-09)."""
    cal = replace(CAL, skip_holidays_in_calendar_days=True)
    assert due_at(at(2026, 2, 10, 10), days(10), cal) == at(2026, 2, 25, 23, 59)


@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        pytest.param(at(2026, 3, 11, 23, 59), Outcome.EARLY, id="day before"),
        pytest.param(at(2026, 3, 12, 7), Outcome.ON_TIME, id="same day earlier hour"),
        pytest.param(at(2026, 3, 12, 16), Outcome.ON_TIME, id="same day later hour"),
        pytest.param(at(2026, 3, 13, 0, 1), Outcome.LATE, id="day after"),
        # 17:30 UTC on 11/3 is 00:30 on 12/3 in Hà Nội: the local date decides.
        pytest.param(
            datetime(2026, 3, 11, 17, 30, tzinfo=UTC), Outcome.ON_TIME, id="UTC converted"
        ),
    ],
)
def test_it_classifies_completion_by_local_date(completed: datetime, expected: Outcome) -> None:
    """GIVEN a dossier due Thu 12/3/2026 09:00
    WHEN it is completed at various moments
    THEN early / on time / late follows the local dates only (R-TIME-14)."""
    assert classify(completed, at(2026, 3, 12, 9)) is expected


def test_it_converts_utc_input_to_local_time() -> None:
    """GIVEN the E1 receipt given in UTC (02:00Z = 09:00 in Hà Nội) and a +09:00 receipt
    WHEN the due moment is computed
    THEN the result equals E1 and is expressed in Asia/Ho_Chi_Minh (R-TIME-08, DOMAIN §12 E1)."""
    due = due_at(datetime(2026, 3, 9, 2, tzinfo=UTC), wd("3"), CAL)
    assert due == at(2026, 3, 12, 9)
    assert due.tzinfo is TZ
    assert due.hour == 9
    tokyo = timezone(timedelta(hours=9))
    assert due_at(datetime(2026, 3, 9, 11, tzinfo=tokyo), wd("3"), CAL).hour == 9


def test_it_uses_the_local_date_for_a_utc_evening() -> None:
    """GIVEN Sun 8/3/2026 23:30 UTC, which is Mon 9/3 06:30 in Hà Nội
    WHEN the receipt is normalized
    THEN counting starts Mon 9/3 07:00, not on the Sunday (R-TIME-07)."""
    assert normalize_receipt(datetime(2026, 3, 8, 23, 30, tzinfo=UTC), CAL) == at(2026, 3, 9, 7)


def test_it_rejects_naive_datetimes() -> None:
    naive = datetime(2026, 3, 9, 9, tzinfo=TZ).replace(tzinfo=None)
    with pytest.raises(ValueError, match="naive"):
        due_at(naive, wd("1"), CAL)
    with pytest.raises(ValueError, match="naive"):
        add_working_minutes(naive, 10, CAL)
    with pytest.raises(ValueError, match="naive"):
        classify(naive, at(2026, 3, 9))


def test_it_refuses_a_calendar_without_working_days_instead_of_hanging() -> None:
    never = Calendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError, match="no working day within"):
        next_working_day(date(2026, 3, 9), never)
    with pytest.raises(ValueError, match="no working day within"):
        previous_working_day(date(2026, 3, 9), never)
    for limit in (wd("1"), wh("1"), days(3), SAME_DAY):
        with pytest.raises(ValueError, match="no working day within"):
            due_at(at(2026, 3, 9, 9), limit, never)


def test_it_refuses_to_run_past_the_end_of_the_calendar() -> None:
    with pytest.raises(ValueError, match="supported range"):
        due_at(datetime(9999, 12, 30, 9, tzinfo=TZ), wd("5"), Calendar())


def test_it_measures_limits_in_working_minutes() -> None:
    """GIVEN working-day and working-hour limits
    WHEN converted to minutes
    THEN 1 working day = 8 h = 480 min, 0.5-day steps are allowed (R-TIME-02, R-TIME-03)."""
    assert limit_minutes(wd("3"), CAL) == 1440
    assert limit_minutes(wd("0.5"), CAL) == 240
    assert limit_minutes(wh("8"), CAL) == 480
    assert limit_minutes(wh("1.5"), CAL) == 90
    with pytest.raises(ValueError, match="whole number of working minutes"):
        limit_minutes(wd("0.001"), CAL)
    with pytest.raises(ValueError, match="not measured in working minutes"):
        limit_minutes(days(3), CAL)


def test_it_derives_a_working_day_from_the_province_sessions() -> None:
    """GIVEN a province working 07:30–11:30 and 13:00–16:30 (7.5 h)
    WHEN one working day is added from opening
    THEN it ends at that province's closing time (R-TIME-03)."""
    cal = replace(
        CAL, sessions=(Session(time(7, 30), time(11, 30)), Session(time(13), time(16, 30)))
    )
    assert cal.minutes_per_day() == 450
    assert due_at(at(2026, 3, 10, 7, 30), wd("1"), cal) == at(2026, 3, 10, 16, 30)
    assert due_at(at(2026, 3, 10, 9), SAME_DAY, cal) == at(2026, 3, 10, 16, 30)


def test_it_knows_swapped_days_from_weekdays() -> None:
    """GIVEN the 2026 New Year swap
    WHEN days are checked
    THEN Fri 2/1 is off, Sat 10/1 is working, Sat 3/1 is off (R-CAL-02)."""
    assert not CAL.is_working_day(date(2026, 1, 2))
    assert CAL.is_working_day(date(2026, 1, 10))
    assert not CAL.is_working_day(date(2026, 1, 3))
    assert next_working_day(date(2025, 12, 31), CAL) == date(2026, 1, 5)
    assert previous_working_day(date(2026, 1, 12), CAL) == date(2026, 1, 10)


def test_it_counts_working_minutes_between_two_moments() -> None:
    assert working_minutes_between(at(2026, 3, 9, 9), at(2026, 3, 9, 9), CAL) == 0
    assert working_minutes_between(at(2026, 3, 10, 9), at(2026, 3, 9, 9), CAL) == 0
    assert working_minutes_between(at(2026, 3, 9, 11), at(2026, 3, 9, 14), CAL) == 60
    assert working_minutes_between(at(2026, 2, 13, 7), at(2026, 2, 23, 17), CAL) == 960


def test_it_shifts_a_calendar_day_deadline_by_the_days_paused() -> None:
    """GIVEN a 10-day limit due Mon 23/2/2026, paused Wed 11/2, resumed Fri 13/2
    WHEN it resumes in shift mode
    THEN the due date moves 2 calendar days to Wed 25/2/2026 23:59 (R-TIME-09, R-TIME-12)."""
    due = resume_after_pause(
        limit=days(10),
        due_before_pause=at(2026, 2, 23, 23, 59),
        paused_at=at(2026, 2, 11, 10),
        resumed_at=at(2026, 2, 13, 10),
        cal=CAL,
        mode="shift",
    )
    assert due == at(2026, 2, 25, 23, 59)


def test_it_rejects_a_resumption_before_the_pause() -> None:
    with pytest.raises(ValueError, match="before paused_at"):
        resume_after_pause(
            limit=wd("3"),
            due_before_pause=at(2026, 3, 12, 9),
            paused_at=at(2026, 3, 10, 10),
            resumed_at=at(2026, 3, 9, 10),
            cal=CAL,
            mode="shift",
        )


def test_it_rejects_inconsistent_configuration() -> None:
    with pytest.raises(ValueError, match="overlap"):
        Calendar(sessions=(Session(time(7), time(12)), Session(time(11), time(17))))
    with pytest.raises(ValueError, match="at least one"):
        Calendar(sessions=())
    with pytest.raises(ValueError, match="start before"):
        Session(time(17), time(7))
    with pytest.raises(ValueError, match="whole days"):
        days(1).__class__(Decimal("1.5"), LimitUnit.DAYS)
    with pytest.raises(ValueError, match="non-negative"):
        wd("-1")
    with pytest.raises(ValueError, match="negative"):
        add_working_minutes(at(2026, 3, 9, 9), -1, CAL)
