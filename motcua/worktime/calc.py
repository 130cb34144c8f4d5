"""Deadline arithmetic for the one-stop counter (DOMAIN.md §6, worked examples §12).

Pure and total: standard library only, no Django. Every datetime going in must be timezone-aware
(any zone); every datetime coming out is in Asia/Ho_Chi_Minh (UTC+7, no DST). A naive datetime
raises ``ValueError``; so does a calendar that has no working day within ``SEARCH_LIMIT_DAYS``
of a date being searched from, so nothing here can loop forever.

Conventions chosen where DOMAIN.md is silent (each is also stated where it is implemented):

* Times keep their seconds; the 15:00 cut-off (R-TIME-05/07/10) is compared on the *minute*
  printed on Form 01, so 15:00:59 is "15:00" (not after) and 15:01:00 is after.
* A working session is the half-open interval [start, end) for *receipt* (R-TIME-07): a dossier
  received at 11:30 exactly starts counting at 13:30, one received at 17:00 exactly starts the next
  working day. ``add_working_minutes`` treats an exact session end as a valid resting point so
  that an exact fit ends at 11:30/17:00 (R-TIME-08) and additivity holds.
* One working day is ``Calendar.minutes_per_day()`` minutes (480 = 8 h with the default sessions,
  R-TIME-03), so a province with other session hours still ends a 1-day limit at its closing time.
* Calendar-day limits (R-TIME-09) count from the local *date* of receipt whatever the time of day
  (Civil Code Art. 147: the first day is not counted); with the 15:00 flag, the date of the
  normalized receipt (R-TIME-07) is used instead, so a dossier received after 15:00 or on a day off
  counts as received on the next working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = [
    "SEARCH_LIMIT_DAYS",
    "TZ",
    "Calendar",
    "LimitUnit",
    "Outcome",
    "Session",
    "TimeLimit",
    "add_working_minutes",
    "classify",
    "due_at",
    "limit_minutes",
    "next_working_day",
    "normalize_receipt",
    "previous_working_day",
    "resume_after_pause",
    "to_local",
    "working_minutes_between",
]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: How far next_working_day / previous_working_day search before declaring the calendar broken.
SEARCH_LIMIT_DAYS = 3700

#: Shown as the due time of calendar-day limits: the end of the last day (R-TIME-09, R-TIME-11).
END_OF_DAY = time(23, 59)

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)
_ZERO = timedelta(0)
# Fixed English names: strftime("%a") depends on the process locale.
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class LimitUnit(StrEnum):
    """Unit of a procedure's statutory time limit (R-TIME-01)."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    DAYS = "days"
    SAME_DAY = "same_day"


class Outcome(StrEnum):
    """Statistics class of a completed dossier (R-TIME-14)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


@dataclass(frozen=True)
class Session:
    """One working session of a day, e.g. 07:00–11:30 (R-TIME-03). Whole minutes, naive times."""

    start: time
    end: time

    def __post_init__(self) -> None:
        for t in (self.start, self.end):
            if t.tzinfo is not None:
                raise ValueError(f"session times are local wall-clock times, got tzinfo on {t}")
            if t.second or t.microsecond:
                raise ValueError(f"session times must be whole minutes, got {t}")
        if not self.start < self.end:
            raise ValueError(f"session must start before it ends: {self.start}-{self.end}")

    @property
    def minutes(self) -> int:
        """Length of the session in minutes."""
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


_DEFAULT_SESSIONS = (Session(time(7, 0), time(11, 30)), Session(time(13, 30), time(17, 0)))


@dataclass(frozen=True)
class Calendar:
    """A working calendar (R-CAL-01/02) with its session hours (R-TIME-03).

    ``days_off`` holds holidays, compensatory days off and swapped days off; ``extra_working_days``
    holds swapped working days (usually Saturdays). A date in both is a working day (R-CAL-02:
    "… or it is a swapped working day").
    """

    days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    sessions: tuple[Session, ...] = _DEFAULT_SESSIONS
    weekend: frozenset[int] = frozenset({5, 6})
    cutoff: time = time(15, 0)
    skip_holidays_in_calendar_days: bool = False

    def __post_init__(self) -> None:
        if not self.sessions:
            raise ValueError("a calendar needs at least one working session")
        for before, after in zip(self.sessions, self.sessions[1:], strict=False):
            if after.start < before.end:
                raise ValueError(
                    f"sessions must be in order and must not overlap: "
                    f"{before.start}-{before.end} then {after.start}-{after.end}"
                )
        if not self.weekend <= frozenset(range(7)):
            raise ValueError(f"weekend holds weekday() numbers 0..6, got {sorted(self.weekend)}")
        if self.cutoff.tzinfo is not None:
            raise ValueError("cutoff is a local wall-clock time without tzinfo")

    def is_working_day(self, d: date) -> bool:
        """R-CAL-02: Mon–Fri and not a day off, or a swapped working day."""
        if d in self.extra_working_days:
            return True
        return d.weekday() not in self.weekend and d not in self.days_off

    def minutes_per_day(self) -> int:
        """Working minutes in one working day: 480 (8 h) with the default sessions (R-TIME-03)."""
        return sum(s.minutes for s in self.sessions)

    @property
    def opening(self) -> time:
        """Start of the first session (07:00 by default)."""
        return self.sessions[0].start

    @property
    def closing(self) -> time:
        """End of the last session (17:00 by default); same-day procedures are due then."""
        return self.sessions[-1].end


@dataclass(frozen=True)
class TimeLimit:
    """A procedure's time limit: value + unit (R-TIME-01) and the multi-day 15:00 flag (R-TIME-05).

    ``value`` is in the unit: working days (0.5-day steps and finer, R-TIME-02, as long as the
    result is a whole number of minutes), working hours, or whole calendar days. Ignored for
    ``SAME_DAY``.
    """

    value: Decimal
    unit: LimitUnit
    cutoff_1500: bool = False

    def __post_init__(self) -> None:
        value: object = self.value
        if isinstance(value, int) and not isinstance(value, bool):
            object.__setattr__(self, "value", Decimal(value))
        elif not isinstance(value, Decimal):
            raise TypeError(f"TimeLimit.value must be a Decimal, got {type(value).__name__}")
        if not self.value.is_finite() or self.value < 0:
            raise ValueError(f"time limit must be a finite non-negative number, got {self.value}")
        if self.unit is LimitUnit.DAYS and self.value != self.value.to_integral_value():
            raise ValueError(f"calendar-day limits are whole days, got {self.value}")


# --------------------------------------------------------------------------- helpers


def to_local(dt: datetime) -> datetime:
    """Convert an aware datetime to Asia/Ho_Chi_Minh; reject naive ones."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()} given: pass a timezone-aware datetime")
    return dt.astimezone(TZ)


def _at(d: date, t: time) -> datetime:
    return datetime.combine(d, t, tzinfo=TZ)


def _day(d: date) -> str:
    return f"{_WEEKDAY_NAMES[d.weekday()]} {d.isoformat()}"


def _stamp(dt: datetime) -> str:
    text = f"{_day(dt.date())} {dt:%H:%M}"
    if dt.second or dt.microsecond:
        text += f":{dt:%S}" + (f".{dt:%f}" if dt.microsecond else "")
    return text


def _fmt_minutes(td: timedelta) -> str:
    whole, rest = divmod(td, _ONE_MINUTE)
    if not rest:
        return str(whole)
    return f"{td / _ONE_MINUTE:.2f}"


def cutoff_words(cutoff: time) -> str:
    """The cut-off time as the forms write it (R-TIME-05): "15 giờ", "15 giờ 30"."""
    return f"{cutoff.hour} giờ" + (f" {cutoff.minute:02d}" if cutoff.minute else "")


def _after_cutoff(local: datetime, cutoff: time) -> bool:
    # R-TIME-05/10 "after 15:00": compared on the minute printed on Form 01 (R-FORM-05), so any
    # second within 15:00 is still "15:00"; 15:01 is after.
    return local.time().replace(second=0, microsecond=0, tzinfo=None) > cutoff


def _step(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise ValueError(
            f"date arithmetic from {d.isoformat()} leaves the supported range"
        ) from None


def next_working_day(d: date, cal: Calendar) -> date:
    """The first working day strictly after ``d`` (R-CAL-02).

    Raises ValueError if there is none within SEARCH_LIMIT_DAYS days.
    """
    for offset in range(1, SEARCH_LIMIT_DAYS + 1):
        candidate = _step(d, offset)
        if cal.is_working_day(candidate):
            return candidate
    raise ValueError(
        f"no working day within {SEARCH_LIMIT_DAYS} days after {d.isoformat()}: "
        "check the calendar's weekend and days off"
    )


def previous_working_day(d: date, cal: Calendar) -> date:
    """The last working day strictly before ``d`` (R-CAL-02), e.g. for "T−1" warnings.

    Raises ValueError if there is none within SEARCH_LIMIT_DAYS days.
    """
    for offset in range(1, SEARCH_LIMIT_DAYS + 1):
        candidate = _step(d, -offset)
        if cal.is_working_day(candidate):
            return candidate
    raise ValueError(
        f"no working day within {SEARCH_LIMIT_DAYS} days before {d.isoformat()}: "
        "check the calendar's weekend and days off"
    )


def _next_day_opening(d: date, cal: Calendar) -> datetime:
    return _at(next_working_day(d, cal), cal.opening)


# --------------------------------------------------------------------------- R-TIME-07


def normalize_receipt(
    received_at: datetime,
    cal: Calendar,
    *,
    cutoff_1500: bool = False,
    explain: list[str] | None = None,
) -> datetime:
    """The moment the clock starts for a dossier received at ``received_at`` (R-TIME-07).

    * non-working day → next working day's opening (07:00);
    * before opening on a working day → that day's opening;
    * between sessions (lunch) → start of the next session (13:30);
    * at or after the end of the last session → next working day's opening (R-TIME-06);
    * with ``cutoff_1500`` (R-TIME-05 multi-day flag) and after 15:00 → next working day's opening.

    Sessions are half-open for receipt: a dossier received at 11:30 exactly starts at 13:30, one
    received at 17:00 exactly starts the next working day. Inside a session the time is kept as is.
    """
    local = to_local(received_at)
    d = local.date()
    result: datetime | None = None
    reason = ""
    if not cal.is_working_day(d):
        result, reason = _next_day_opening(d, cal), "not a working day"
    elif cutoff_1500 and _after_cutoff(local, cal.cutoff):
        result = _next_day_opening(d, cal)
        reason = f"after {cal.cutoff:%H:%M} with the 15:00 flag (R-TIME-05)"
    else:
        for index, session in enumerate(cal.sessions):
            s_start, s_end = _at(d, session.start), _at(d, session.end)
            if local < s_start:
                result = s_start
                reason = "before opening" if index == 0 else "between sessions"
                break
            if local < s_end:
                result = local
                break
        if result is None:
            result, reason = _next_day_opening(d, cal), "after closing"
    if explain is not None:
        if result == local:
            explain.append(f"received {_stamp(local)}: inside working hours, counting starts now")
        else:
            explain.append(
                f"received {_stamp(local)}: {reason} → counting starts {_stamp(result)} (R-TIME-07)"
            )
    return result


# --------------------------------------------------------------------------- R-TIME-08


def _add(start: datetime, amount: timedelta, cal: Calendar, explain: list[str] | None) -> datetime:
    """Walk ``amount`` through the working sessions from local ``start``.

    An exact session end is a resting point: with nothing left to add it is returned as is (an
    exact fit ends at 11:30/17:00, R-TIME-08); with time left it behaves like the next session's
    start, which makes the walk additive.
    """
    cur = start
    d = cur.date()
    remaining = amount
    if not cal.is_working_day(d):
        d = next_working_day(d, cal)
        cur = _at(d, cal.opening)
    while True:
        for session in cal.sessions:
            s_start, s_end = _at(d, session.start), _at(d, session.end)
            if cur > s_end:
                continue
            begin = max(cur, s_start)
            available = s_end - begin
            if remaining <= available:
                end = begin + remaining
                if explain is not None and remaining > _ZERO:
                    explain.append(
                        f"{_day(d)} {begin:%H:%M}-{end:%H:%M}: "
                        f"{_fmt_minutes(remaining)} min, 0 left"
                    )
                return end
            remaining -= available
            if explain is not None and available > _ZERO:
                explain.append(
                    f"{_day(d)} {begin:%H:%M}-{s_end:%H:%M}: "
                    f"{_fmt_minutes(available)} min, {_fmt_minutes(remaining)} left"
                )
            cur = s_end
        d = next_working_day(d, cal)
        cur = _at(d, cal.opening)


def add_working_minutes(
    start: datetime, minutes: int, cal: Calendar, *, explain: list[str] | None = None
) -> datetime:
    """Add ``minutes`` working minutes to ``start`` (R-TIME-08).

    Only sessions of working days count (weekends, holidays, compensatory and swapped days off are
    skipped; swapped working Saturdays count). An exact fit ends at the end of the session (11:30 or
    17:00), not at the start of the next one.

    ``start`` outside working hours is first moved to the next session start; a start exactly at a
    session end stays there when ``minutes == 0`` and otherwise continues in the next session, so
    ``add(add(t, a), b) == add(t, a + b)`` for all ``a, b >= 0``.
    """
    if minutes < 0:
        raise ValueError(f"cannot add a negative number of working minutes ({minutes})")
    local = to_local(start)
    try:
        return _add(local, timedelta(minutes=minutes), cal, explain)
    except OverflowError:
        raise ValueError(
            f"adding {minutes} working minutes to {local.isoformat()} leaves the supported range"
        ) from None


def working_minutes_between(a: datetime, b: datetime, cal: Calendar) -> int:
    """Whole working minutes in [a, b) (R-TIME-08 sessions of working days); 0 if ``b <= a``.

    Sub-minute remainders are dropped (floor).
    """
    start, stop = to_local(a), to_local(b)
    if stop <= start:
        return 0
    total = _ZERO
    d = start.date()
    last = stop.date()
    while d <= last:
        if cal.is_working_day(d):
            for session in cal.sessions:
                lo = max(start, _at(d, session.start))
                hi = min(stop, _at(d, session.end))
                if hi > lo:
                    total += hi - lo
        if d == last:
            break
        d = _step(d, 1)
    return total // _ONE_MINUTE


# --------------------------------------------------------------------------- limits


def limit_minutes(limit: TimeLimit, cal: Calendar) -> int:
    """Working minutes of a working-day or working-hour limit (R-TIME-03, R-TIME-08).

    Working days × ``cal.minutes_per_day()`` (480 = 8 h by default); 0.5-day steps (R-TIME-02) and
    any value giving whole minutes are allowed. Working hours × 60. Calendar-day and same-day limits
    have no working-minute length and raise ValueError.
    """
    if limit.unit is LimitUnit.WORKING_DAYS:
        amount = limit.value * cal.minutes_per_day()
    elif limit.unit is LimitUnit.WORKING_HOURS:
        amount = limit.value * 60
    else:
        raise ValueError(f"a {limit.unit} limit is not measured in working minutes")
    if amount != amount.to_integral_value():
        raise ValueError(
            f"{limit.value} {limit.unit} is not a whole number of working minutes ({amount})"
        )
    return int(amount)


def _calendar_days_due(
    received_at: datetime, limit: TimeLimit, cal: Calendar, explain: list[str] | None
) -> datetime:
    """R-TIME-09 / R-TIME-11: calendar days, first day not counted, end of the last day.

    The base date is the local receipt date whatever the time of day (Civil Code Art. 147); with
    the 15:00 flag it is the date of the normalized receipt (R-TIME-05/07). With
    ``skip_holidays_in_calendar_days`` the days off inside the span are not counted (weekends are).
    """
    local = to_local(received_at)
    if limit.cutoff_1500:
        base = normalize_receipt(local, cal, cutoff_1500=True, explain=explain).date()
    else:
        base = local.date()
    days = int(limit.value)
    if cal.skip_holidays_in_calendar_days:
        last = base
        counted = 0
        while counted < days:
            last = _step(last, 1)
            if last not in cal.days_off:
                counted += 1
    else:
        last = _step(base, days)
    if explain is not None:
        explain.append(
            f"{days} calendar days from {_day(base)} (first day not counted) → last day "
            f"{_day(last)} (R-TIME-09)"
        )
    if not cal.is_working_day(last):
        moved = next_working_day(last, cal)
        if explain is not None:
            explain.append(
                f"{_day(last)} is not a working day → end of next working day {_day(moved)} "
                "(R-TIME-11)"
            )
        last = moved
    return _at(last, END_OF_DAY)


def _same_day_due(received_at: datetime, cal: Calendar, explain: list[str] | None) -> datetime:
    """R-TIME-10: closing time today if received ≤ 15:00 on a working day, else next working day."""
    local = to_local(received_at)
    d = local.date()
    if cal.is_working_day(d) and not _after_cutoff(local, cal.cutoff):
        due_day = d
        reason = f"received ≤ {cal.cutoff:%H:%M} on a working day"
    else:
        due_day = next_working_day(d, cal)
        reason = (
            f"received after {cal.cutoff:%H:%M}"
            if cal.is_working_day(d)
            else "received on a day off"
        )
    result = _at(due_day, cal.closing)
    if explain is not None:
        explain.append(f"same day: {reason} → due {_stamp(result)} (R-TIME-10)")
    return result


def due_at(
    received_at: datetime,
    limit: TimeLimit,
    cal: Calendar,
    *,
    explain: list[str] | None = None,
) -> datetime:
    """The appointment (due moment) of a dossier received at ``received_at``.

    * working days / working hours: normalize the receipt (R-TIME-07, with the 15:00 flag if set,
      R-TIME-05), then add the limit's working minutes (R-TIME-08);
    * calendar days: R-TIME-09/11, due at 23:59 of the last day (or of the next working day);
    * same day: R-TIME-10, due at the closing time (17:00) of the receipt day or the next one.
    """
    try:
        if limit.unit is LimitUnit.DAYS:
            return _calendar_days_due(received_at, limit, cal, explain)
        if limit.unit is LimitUnit.SAME_DAY:
            return _same_day_due(received_at, cal, explain)
        minutes = limit_minutes(limit, cal)
        start = normalize_receipt(received_at, cal, cutoff_1500=limit.cutoff_1500, explain=explain)
        if explain is not None:
            explain.append(f"limit {limit.value} {limit.unit} = {minutes} working minutes")
        return _add(start, timedelta(minutes=minutes), cal, explain)
    except OverflowError:
        raise ValueError(
            f"the deadline for {limit.value} {limit.unit} from {received_at.isoformat()} "
            "leaves the supported range"
        ) from None


# --------------------------------------------------------------------------- pauses, statistics


def resume_after_pause(
    *,
    limit: TimeLimit,
    due_before_pause: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    cal: Calendar,
    mode: Literal["restart", "shift"],
) -> datetime:
    """New due moment once a paused dossier resumes (R-TIME-12, R-SUP-02).

    * ``restart`` (default, R-SUP-02): the full limit runs again from ``resumed_at`` as a new
      receipt — ``due_at(resumed_at, limit)``.
    * ``shift``: the working time left at the pause, ``working_minutes_between(paused_at,
      due_before_pause)``, is added from the normalized resumption (no 15:00 rule: the clock
      resumes, it is not a new receipt). For calendar-day limits the due date moves by the
      calendar days paused, then R-TIME-11 applies; same-day limits restart.
    """
    paused, resumed = to_local(paused_at), to_local(resumed_at)
    due_before = to_local(due_before_pause)
    if resumed < paused:
        raise ValueError(
            f"resumed_at {resumed.isoformat()} is before paused_at {paused.isoformat()}"
        )
    if mode == "restart" or limit.unit is LimitUnit.SAME_DAY:
        return due_at(resumed, limit, cal)
    if mode != "shift":
        raise ValueError(f"unknown resume mode {mode!r}: use 'restart' or 'shift'")
    if limit.unit is LimitUnit.DAYS:
        last = _step(due_before.date(), (resumed.date() - paused.date()).days)
        if not cal.is_working_day(last):
            last = next_working_day(last, cal)
        return _at(last, END_OF_DAY)
    remaining = working_minutes_between(paused, due_before, cal)
    return add_working_minutes(normalize_receipt(resumed, cal), remaining, cal)


def classify(completed_at: datetime, due: datetime) -> Outcome:
    """Early / on time / late by comparing local DATES, not times (R-TIME-14)."""
    completed_date = to_local(completed_at).date()
    due_date = to_local(due).date()
    if completed_date < due_date:
        return Outcome.EARLY
    if completed_date == due_date:
        return Outcome.ON_TIME
    return Outcome.LATE
