"""Reporting periods (R-IDX-05): month, quarter, the first 6 and 9 months, and the year. Every
period is a run of whole months, so its counters are sums of the monthly rollups. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Kind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "6m"
    NINE = "9m"
    YEAR = "year"


KIND_VI: dict[Kind, str] = {
    Kind.MONTH: "Tháng",
    Kind.QUARTER: "Quý",
    Kind.HALF: "6 tháng",
    Kind.NINE: "9 tháng",
    Kind.YEAR: "Năm",
}


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: Kind
    start: date  # first day
    end: date  # last day, inclusive

    @property
    def months(self) -> list[date]:
        out = []
        m = self.start
        while m <= self.end:
            out.append(m)
            m = _add_months(m, 1)
        return out

    @property
    def key(self) -> str:
        if self.kind == Kind.MONTH:
            return f"{self.start:%Y}-M{self.start.month:02d}"
        if self.kind == Kind.QUARTER:
            return f"{self.start:%Y}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == Kind.HALF:
            return f"{self.start:%Y}-6T"
        if self.kind == Kind.NINE:
            return f"{self.start:%Y}-9T"
        return f"{self.start:%Y}"

    @property
    def label_vi(self) -> str:
        if self.kind == Kind.MONTH:
            return f"Tháng {self.start.month:02d}/{self.start.year}"
        if self.kind == Kind.QUARTER:
            return f"Quý {(self.start.month - 1) // 3 + 1}/{self.start.year}"
        if self.kind == Kind.HALF:
            return f"6 tháng đầu năm {self.start.year}"
        if self.kind == Kind.NINE:
            return f"9 tháng đầu năm {self.start.year}"
        return f"Năm {self.start.year}"

    def evaluation_day(self, today: date) -> date:
        """R-TIME-15: open dossiers are judged at the period end, or today while it runs."""
        return min(today, self.end)

    def previous(self) -> Period:
        if self.kind == Kind.MONTH:
            return month(_add_months(self.start, -1))
        if self.kind == Kind.QUARTER:
            return quarter(_add_months(self.start, -3))
        return make(self.kind, self.start.year - 1, 1)


def month(d: date) -> Period:
    start = d.replace(day=1)
    return Period(Kind.MONTH, start, _add_months(start, 1) - timedelta(days=1))


def quarter(d: date) -> Period:
    start = date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    return Period(Kind.QUARTER, start, _add_months(start, 3) - timedelta(days=1))


def make(kind: Kind | str, year: int, number: int = 1) -> Period:
    kind = Kind(kind)
    if kind == Kind.MONTH:
        return month(date(year, number, 1))
    if kind == Kind.QUARTER:
        return quarter(date(year, 3 * (number - 1) + 1, 1))
    last = {Kind.HALF: 6, Kind.NINE: 9, Kind.YEAR: 12}[kind]
    return Period(kind, date(year, 1, 1), _add_months(date(year, last, 1), 1) - timedelta(days=1))


def current(kind: Kind | str, today: date) -> Period:
    kind = Kind(kind)
    if kind == Kind.MONTH:
        return month(today)
    if kind == Kind.QUARTER:
        return quarter(today)
    return make(kind, today.year)


_KEY = re.compile(r"^(\d{4})(?:-(M(\d{2})|Q([1-4])|6T|9T))?$")


def parse(key: str) -> Period:
    """``2026-M03``, ``2026-Q1``, ``2026-6T``, ``2026-9T`` or ``2026``; ValueError otherwise."""
    found = _KEY.match(key.strip().upper())
    if not found:
        raise ValueError(key)
    year = int(found.group(1))
    if not 2000 <= year <= 2100:
        raise ValueError(key)
    tail = found.group(2)
    if tail is None:
        return make(Kind.YEAR, year)
    if found.group(3):
        m = int(found.group(3))
        if not 1 <= m <= 12:
            raise ValueError(key)
        return make(Kind.MONTH, year, m)
    if found.group(4):
        return make(Kind.QUARTER, year, int(found.group(4)))
    return make(Kind.HALF if tail == "6T" else Kind.NINE, year)


def last_complete(kind: Kind | str, today: date) -> Period:
    """The latest period of ``kind`` that ended before ``today`` (what the schedule reports)."""
    period = current(kind, today)
    while period.end >= today:
        period = period.previous()
    return period
