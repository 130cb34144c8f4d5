"""Properties of the deadline arithmetic over random calendars (R-TIME-07, R-TIME-08, R-CAL-02)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.calc import (
    TZ,
    Calendar,
    LimitUnit,
    Session,
    TimeLimit,
    add_working_minutes,
    due_at,
    normalize_receipt,
    working_minutes_between,
)

# No example database: the suite leaves no files behind and stays reproducible in CI.
FAST = settings(max_examples=200, deadline=None, database=None)

FIRST, LAST = date(2025, 1, 1), date(2027, 12, 31)
SATURDAYS = [
    d for n in range((LAST - FIRST).days + 1) if (d := FIRST + timedelta(days=n)).weekday() == 5
]

SESSION_SETS = [
    (Session(time(7, 0), time(11, 30)), Session(time(13, 30), time(17, 0))),  # R-TIME-03 default
    (Session(time(7, 30), time(11, 30)), Session(time(13, 0), time(16, 30))),
    (Session(time(8, 0), time(12, 0)), Session(time(12, 0), time(16, 0))),  # touching sessions
    (
        Session(time(6, 0), time(9, 0)),
        Session(time(10, 0), time(12, 0)),
        Session(time(14), time(18)),
    ),
]

ZONES = [TZ, UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5, minutes=-30))]

calendars = st.builds(
    Calendar,
    days_off=st.frozensets(st.dates(FIRST, LAST), max_size=120),
    extra_working_days=st.frozensets(st.sampled_from(SATURDAYS), max_size=10),
    sessions=st.sampled_from(SESSION_SETS),
    skip_holidays_in_calendar_days=st.booleans(),
)


@st.composite
def moments(draw: st.DrawFn) -> datetime:
    """Aware datetimes in 2025–2027, often on session edges, expressed in a random zone."""
    day = draw(st.dates(FIRST, date(2027, 6, 30)))
    edge = st.sampled_from([time(7), time(11, 30), time(13, 30), time(15), time(15, 1), time(17)])
    any_time = st.builds(
        time,
        hour=st.integers(0, 23),
        minute=st.integers(0, 59),
        second=st.sampled_from([0, 0, 0, 30, 59]),
        microsecond=st.sampled_from([0, 0, 0, 1, 500_000]),
    )
    local = datetime.combine(day, draw(st.one_of(edge, any_time)), tzinfo=TZ)
    return local.astimezone(draw(st.sampled_from(ZONES)))


limits = st.one_of(
    st.builds(
        TimeLimit,
        value=st.sampled_from([Decimal(v) for v in ("0", "0.5", "1", "1.5", "3", "5", "15")]),
        unit=st.just(LimitUnit.WORKING_DAYS),
        cutoff_1500=st.booleans(),
    ),
    st.builds(
        TimeLimit,
        value=st.sampled_from([Decimal(v) for v in ("1", "2.5", "8", "24")]),
        unit=st.just(LimitUnit.WORKING_HOURS),
        cutoff_1500=st.booleans(),
    ),
    st.builds(
        TimeLimit,
        value=st.sampled_from([Decimal(v) for v in (0, 1, 5, 10, 30)]),
        unit=st.just(LimitUnit.DAYS),
        cutoff_1500=st.booleans(),
    ),
    st.builds(TimeLimit, value=st.just(Decimal(0)), unit=st.just(LimitUnit.SAME_DAY)),
)

minutes = st.integers(min_value=0, max_value=6000)


def _inside_a_session(t: datetime, cal: Calendar) -> bool:
    local = t.astimezone(TZ)
    wall = local.time().replace(tzinfo=None)
    return cal.is_working_day(local.date()) and any(s.start < wall <= s.end for s in cal.sessions)


@FAST
@given(cal=calendars, start=moments(), m=st.integers(min_value=1, max_value=6000))
def test_it_always_lands_inside_a_session_of_a_working_day(
    cal: Calendar, start: datetime, m: int
) -> None:
    """GIVEN any calendar, start and positive number of minutes
    WHEN the minutes are added
    THEN the result lies in (session start, session end] of a working day, in local time
    (R-TIME-08, R-CAL-02)."""
    result = add_working_minutes(start, m, cal)
    assert result.tzinfo is TZ
    assert result > start
    assert _inside_a_session(result, cal)


@FAST
@given(cal=calendars, start=moments(), a=minutes, b=minutes)
def test_it_adds_working_minutes_additively(cal: Calendar, start: datetime, a: int, b: int) -> None:
    """GIVEN any calendar and start
    WHEN a then b minutes are added
    THEN the result equals adding a + b at once, even through an exact session end (R-TIME-08)."""
    step = add_working_minutes(start, a, cal)
    assert add_working_minutes(step, b, cal) == add_working_minutes(start, a + b, cal)


@FAST
@given(cal=calendars, first=moments(), second=moments(), limit=limits)
def test_a_later_receipt_is_never_due_earlier(
    cal: Calendar, first: datetime, second: datetime, limit: TimeLimit
) -> None:
    """GIVEN two receipts, one no earlier than the other, and any limit unit, with or without the
    15:00 flag
    WHEN both due moments are computed
    THEN the later receipt is not due before the earlier one
    (R-TIME-05, R-TIME-07, R-TIME-08, R-TIME-09, R-TIME-10)."""
    early, late = sorted((first, second))
    assert due_at(early, limit, cal) <= due_at(late, limit, cal)


@FAST
@given(cal=calendars, received=moments(), m=minutes)
def test_it_counts_back_the_minutes_it_added(cal: Calendar, received: datetime, m: int) -> None:
    """GIVEN a normalized receipt on any calendar
    WHEN m working minutes are added and the working minutes in between are counted
    THEN the count is m (R-TIME-07, R-TIME-08)."""
    start = normalize_receipt(received, cal)
    assert working_minutes_between(start, add_working_minutes(start, m, cal), cal) == m


@FAST
@given(cal=calendars, received=moments(), cutoff=st.booleans())
def test_normalizing_twice_changes_nothing(cal: Calendar, received: datetime, cutoff: bool) -> None:
    """GIVEN any receipt
    WHEN it is normalized, then normalized again
    THEN the second normalization is a no-op, and the start is in working time (R-TIME-07)."""
    start = normalize_receipt(received, cal, cutoff_1500=cutoff)
    assert start >= received
    assert normalize_receipt(start, cal) == start
    assert add_working_minutes(start, 0, cal) == start
