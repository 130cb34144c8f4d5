"""How dates and times are written on the forms (DOMAIN.md §6 wording, R-FORM-05).

Moments print in Asia/Ho_Chi_Minh local time. Day numbers below 10 and months 1 and 2 take a
leading zero ("ngày 05 tháng 02 năm 2026"), as Decree 30/2020/NĐ-CP requires on administrative
documents, so a date cannot be altered by adding a digit.
"""

from __future__ import annotations

from datetime import date, datetime

from motcua.core.clock import LOCAL_TZ


def local(moment: datetime) -> datetime:
    """``moment`` in Vietnamese local time; a naive datetime is refused (its zone is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Forms need timezone-aware datetimes.")
    return moment.astimezone(LOCAL_TZ)


def _day(d: date) -> str:
    return f"{d.day:02d}" if d.day < 10 else str(d.day)


def _month(d: date) -> str:
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def date_text(d: date | datetime) -> str:
    """``"ngày 05 tháng 9 năm 2025"``; an aware datetime is converted to local time first."""
    if isinstance(d, datetime):
        d = local(d).date()
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def moment_text(moment: datetime) -> str:
    """R-FORM-05: ``"14 giờ 30 phút, ngày 15 tháng 9 năm 2025"`` in local time."""
    at = local(moment)
    return f"{at.hour:02d} giờ {at.minute:02d} phút, {date_text(at.date())}"


def place_date_line(place: str, d: date | datetime) -> str:
    """``"Cần Thơ, ngày 15 tháng 9 năm 2025"``."""
    return f"{place}, {date_text(d)}"


def place_of(province_name: str) -> str:
    """The place name of the date line: ``"Thành phố Cần Thơ"`` → ``"Cần Thơ"``."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if province_name.startswith(prefix):
            return province_name.removeprefix(prefix)
    return province_name


def short_date(moment: datetime | None) -> str:
    """``"15/09/2025"`` (tables, where the long wording does not fit); empty when unknown."""
    return "" if moment is None else local(moment).strftime("%d/%m/%Y")


def short_moment(moment: datetime | None) -> str:
    """``"14:30 15/09/2025"`` for table cells; empty when unknown."""
    return "" if moment is None else local(moment).strftime("%H:%M %d/%m/%Y")
