"""Reading and editing the working calendar. The only writers of calendar entries live here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Subquery

from motcua.core import events
from motcua.core.actions import action
from motcua.core.clock import local_today
from motcua.core.errors import ValidationFailed
from motcua.geo.models import Province
from motcua.worktime import calc
from motcua.worktime.models import (
    DAY_OFF_KINDS,
    CalendarChange,
    CalendarEntry,
    EntryKind,
    WorkingCalendar,
)
from motcua.worktime.seed import SEED

if TYPE_CHECKING:
    from motcua.accounts.models import User


def seed_calendar_values() -> calc.Calendar:
    """The national seed as a pure calendar, for when no database calendar exists."""
    return calc.Calendar(
        days_off=frozenset(e.day for e in SEED if e.kind in DAY_OFF_KINDS),
        extra_working_days=frozenset(
            e.day for e in SEED if e.kind == EntryKind.SWAPPED_WORKING_DAY
        ),
    )


@transaction.atomic
def seed_calendar(province: Province) -> WorkingCalendar:
    """Create the province's calendar with the 2025/2026 seed (R-CAL-04); idempotent."""
    calendar, _ = WorkingCalendar.objects.get_or_create(province=province)
    existing = set(calendar.entries.values_list("day", flat=True))
    CalendarEntry.objects.bulk_create(
        [
            CalendarEntry(
                calendar=calendar,
                day=e.day,
                kind=e.kind,
                name=e.name,
                legal_basis=e.legal_basis,
                verified=e.verified,
            )
            for e in SEED
            if e.day not in existing
        ]
    )
    return calendar


def to_calc(calendar: WorkingCalendar) -> calc.Calendar:
    entries = list(calendar.entries.values_list("day", "kind"))
    return calc.Calendar(
        days_off=frozenset(day for day, kind in entries if kind in DAY_OFF_KINDS),
        extra_working_days=frozenset(
            day for day, kind in entries if kind == EntryKind.SWAPPED_WORKING_DAY
        ),
        sessions=(
            calc.Session(calendar.morning_start, calendar.morning_end),
            calc.Session(calendar.afternoon_start, calendar.afternoon_end),
        ),
        cutoff=calendar.cutoff,
        skip_holidays_in_calendar_days=calendar.skip_holidays_in_calendar_days,
    )


_CACHE: dict[int, tuple[object, calc.Calendar]] = {}


def calendar_for(province: Province | int) -> calc.Calendar:
    """The province's calendar; the national seed if the province has none yet.

    Built once per process and kept while the calendar's ``updated_at`` (touched by every
    edit, in the edit's transaction) is unchanged: one small query per call instead of reading
    every entry, and never a stale calendar, even across processes.
    """
    province_id = province.pk if isinstance(province, Province) else province
    row = (
        WorkingCalendar.objects.filter(province_id=province_id)
        .values_list("pk", "updated_at")
        .first()
    )
    return calendar_from_mark(province_id, row)


def calendar_mark(province_id: Any) -> tuple[Subquery, Subquery]:
    """Two scalar subqueries (calendar id, ``updated_at``) for a query that already reads a row
    of the province (``province_id`` may be an ``OuterRef``): with ``calendar_from_mark`` the
    calendar then costs no query of its own while it is unchanged."""
    calendar = WorkingCalendar.objects.filter(province_id=province_id)
    return Subquery(calendar.values("pk")[:1]), Subquery(calendar.values("updated_at")[:1])


def calendar_from_mark(province_id: int, row: tuple[Any, Any] | None) -> calc.Calendar:
    """The calendar for ``row`` = (calendar id, updated_at) as just read, or None (no calendar
    yet: the national seed)."""
    if row is None or row[0] is None:
        return seed_calendar_values()
    cached = _CACHE.get(province_id)
    if cached is not None and cached[0] == row:
        return cached[1]
    built = to_calc(WorkingCalendar.objects.get(pk=row[0]))
    _CACHE[province_id] = (row, built)
    return built


def _check_entry(day: date, kind: str, name: str, legal_basis: str) -> None:
    if kind not in EntryKind.values:
        raise ValidationFailed(
            f"Loại ngày “{kind}” không hợp lệ.", f"Unknown calendar entry kind {kind!r}."
        )
    if not name.strip():
        raise ValidationFailed("Hãy nhập tên ngày (ví dụ: Quốc khánh).", "A name is required.")
    if not legal_basis.strip():
        raise ValidationFailed(
            "Hãy ghi căn cứ pháp lý (số văn bản) của ngày này (R-VER-01).",
            "The legal basis (document number) is required (R-VER-01).",
        )
    weekend = day.weekday() >= 5
    if kind in DAY_OFF_KINDS and weekend:
        raise ValidationFailed(
            f"Ngày {day:%d/%m/%Y} là ngày nghỉ cuối tuần; nếu ngày lễ trùng cuối tuần, hãy thêm "
            "ngày nghỉ bù vào ngày làm việc kế tiếp (Bộ luật Lao động Điều 111(3)).",
            f"{day:%d/%m/%Y} is a weekend day; add the compensatory day off on the next working "
            "day instead.",
        )
    if kind == EntryKind.SWAPPED_WORKING_DAY and not weekend:
        raise ValidationFailed(
            f"Ngày làm việc bù {day:%d/%m/%Y} phải là thứ Bảy hoặc Chủ nhật.",
            f"A swapped working day must be a Saturday or Sunday ({day:%d/%m/%Y}).",
        )


@action
def do_add_calendar_entry(
    calendar: WorkingCalendar,
    *,
    day: date,
    kind: str,
    name: str,
    legal_basis: str,
    acting_user: User | None,
) -> CalendarEntry:
    _check_entry(day, kind, name, legal_basis)
    before = calendar_for(calendar.province_id)
    if calendar.entries.filter(day=day).exists():
        raise ValidationFailed(
            f"Ngày {day:%d/%m/%Y} đã có trong lịch; xóa mục cũ trước khi thêm mục mới.",
            f"{day:%d/%m/%Y} is already in the calendar; remove it first.",
        )
    entry = CalendarEntry.objects.create(
        calendar=calendar,
        day=day,
        kind=kind,
        name=name.strip(),
        legal_basis=legal_basis.strip(),
        created_by=acting_user,
    )
    CalendarChange.objects.create(
        calendar=calendar,
        day=day,
        action=CalendarChange.Action.ADDED,
        kind=kind,
        name=entry.name,
        legal_basis=entry.legal_basis,
        actor=acting_user,
    )
    _changed(calendar, before, day, f"Lịch làm việc: {entry.get_kind_display()} {day:%d/%m/%Y}")
    return entry


@action
def do_remove_calendar_entry(entry: CalendarEntry, *, acting_user: User | None) -> None:
    before = calendar_for(entry.calendar.province_id)
    CalendarChange.objects.create(
        calendar=entry.calendar,
        day=entry.day,
        action=CalendarChange.Action.REMOVED,
        kind=entry.kind,
        name=entry.name,
        legal_basis=entry.legal_basis,
        actor=acting_user,
    )
    entry.delete()
    _changed(entry.calendar, before, entry.day, f"Lịch làm việc: bỏ ngày {entry.day:%d/%m/%Y}")


@action
def do_set_cutoff(
    calendar: WorkingCalendar, *, cutoff: time, legal_basis: str, acting_user: User | None
) -> WorkingCalendar:
    """Set the province's cut-off time (R-TIME-05: a dossier received after it counts from the
    next working day), audited like a day, and re-date the open dossiers from today (R-CAL-04).
    Every text that states the cut-off reads it from the calendar (``calc.cutoff_words``)."""
    if not legal_basis.strip():
        raise ValidationFailed(
            "Hãy ghi căn cứ pháp lý (số văn bản) của giờ tiếp nhận này (R-VER-01).",
            "The legal basis (document number) is required (R-VER-01).",
        )
    if not (calendar.morning_start <= cutoff <= calendar.afternoon_end):
        raise ValidationFailed(
            "Giờ tiếp nhận muộn nhất phải nằm trong giờ làm việc.",
            "The cut-off must fall within working hours.",
        )
    if cutoff == calendar.cutoff:
        return calendar
    before = calendar_for(calendar.province_id)
    today = local_today()
    CalendarChange.objects.create(
        calendar=calendar,
        day=today,
        action=CalendarChange.Action.CUTOFF,
        kind="",
        name=f"{calc.cutoff_words(calendar.cutoff)} → {calc.cutoff_words(cutoff)}",
        legal_basis=legal_basis.strip(),
        actor=acting_user,
    )
    calendar.cutoff = cutoff
    calendar.save(update_fields=["cutoff"])
    _changed(
        calendar,
        before,
        today,
        f"Lịch làm việc: giờ tiếp nhận muộn nhất {calc.cutoff_words(cutoff)}",
    )
    return calendar


@dataclass(frozen=True)
class CalendarChanged:
    """What the reactions to ``calendar:changed`` get: the calendar before the change, the day
    changed and the reason written on every re-dated dossier (R-CAL-04)."""

    province_id: int
    before: calc.Calendar
    day: date
    reason: str


def _changed(calendar: WorkingCalendar, before: calc.Calendar, day: date, reason: str) -> None:
    """In the change's transaction: mark the calendar changed (every process rebuilds it) and
    announce it, so that the apps above re-date their open work (``dossiers`` enqueues the
    re-dating job in this same transaction: both commit, or neither)."""
    calendar.save(update_fields=["updated_at"])
    events.announce(
        "calendar:changed",
        [calendar.province_id],
        context=CalendarChanged(calendar.province_id, before, day, reason),
    )
