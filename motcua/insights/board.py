"""What the operations-centre board shows, assembled from the rollups in a fixed, small number of
queries whatever the size of the history (DESIGN §6)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from motcua.insights import selectors, svg
from motcua.insights.formulas import FORMULA_VERSION, GROUP_VI, Group
from motcua.insights.periods import Kind, Period, current, parse
from motcua.insights.selectors import Scope, Summary
from motcua.petitions import selectors as petition_selectors
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

CHANNEL_VI = {"counter": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"}


def choose_period(key: str | None, today: date) -> Period:
    """The period asked for (``2026-Q1``…), else the current quarter."""
    if key:
        try:
            return parse(key)
        except ValueError:
            pass
    return current(Kind.QUARTER, today)


def period_choices(today: date) -> list[Period]:
    this_quarter = current(Kind.QUARTER, today)
    this_month = current(Kind.MONTH, today)
    return [
        this_month,
        this_month.previous(),
        this_quarter,
        this_quarter.previous(),
        current(Kind.HALF, today),
        current(Kind.NINE, today),
        current(Kind.YEAR, today),
        current(Kind.YEAR, today).previous(),
    ]


@dataclass
class Board:
    period: Period
    today: date
    province: Summary
    communes: list[Summary]
    departments: list[Summary]
    extras: dict[str, Any]
    #: R-IDX-07: scopes without dossiers in the period, listed apart and never ranked.
    unranked_communes: list[Summary] = field(default_factory=list)
    unranked_departments: list[Summary] = field(default_factory=list)


def trend_chart(
    scope: Scope, period: Period, today: date
) -> tuple[SafeString, list[dict[str, Any]]]:
    last = min(period.end, today).replace(day=1)
    series = selectors.trend(scope, last)
    chart = svg.trend(
        [f"{row['month']:%m/%y}" for row in series],
        [row["received"] for row in series],
        [row["on_time_percent"] for row in series],
        title=f"Hồ sơ tiếp nhận và tỷ lệ đúng hạn (gồm chưa quá hạn) 12 tháng — {scope.name}",
        bar_label="Hồ sơ tiếp nhận",
        line_label="Tỷ lệ đúng hạn, chưa quá hạn (%)",
    )
    return mark_safe(chart), series  # noqa: S308 - svg.py escapes every text it writes


def distributions(counts: Counter[str], fields_count: Counter[str]) -> dict[str, Any]:
    fields = selectors.distribution(fields_count, "field:")[:10]
    names = selectors.field_names(f for f, _ in fields)
    field_rows = [(names.get(f, "Chưa phân loại"), v) for f, v in fields]
    channel_rows = [(CHANNEL_VI.get(c, c), v) for c, v in selectors.distribution(counts, "ch_")]
    return {
        "fields": field_rows,
        "field_chart": mark_safe(  # noqa: S308 - escaped in svg.py
            svg.hbar(field_rows, title="Hồ sơ tiếp nhận theo lĩnh vực (10 lĩnh vực nhiều nhất)")
        ),
        "channels": channel_rows,
        "channel_chart": mark_safe(  # noqa: S308 - escaped in svg.py
            svg.hbar(channel_rows, title="Hồ sơ tiếp nhận theo kênh nộp")
        ),
    }


def lists(scope: Scope, today: date, province_id: int) -> dict[str, Any]:

    next_day = calc.next_working_day(today, calendar_for(province_id))
    return {
        "overdue": list(selectors.overdue(scope, today)),
        "at_risk": list(selectors.at_risk(scope, today, next_day)),
        "next_working_day": next_day,
    }


def build(period: Period, today: date, province_id: int, *, live_only: bool = False) -> Board:
    """The province overview with the ranking of every commune and department."""
    counters = selectors.unit_counters(period.months)
    evaluation = period.evaluation_day(today)
    opens = selectors.open_in_time_by_unit(period.months, evaluation)
    catalogues = selectors.catalogue_by_unit(province_id)
    province_scope = selectors.province_scope(province_id)
    used = selectors.online_used_by_unit(period.months)
    paid = selectors.paid_procedures_by_unit(period.months)
    shared = {
        "counters": counters,
        "opens": opens,
        "catalogues": catalogues,
        "used": used,
        "paid": paid,
        "petitions": selectors.petition_tallies(period, today),  # R-IDX-02/03
        "publications": selectors.publication_tally(period, today, province_id),  # §10.4
    }
    province = selectors.summarize(province_scope, period, today, **shared)  # type: ignore[arg-type]
    communes: list[Summary] = []
    departments: list[Summary] = []
    unranked_communes: list[Summary] = []
    unranked_departments: list[Summary] = []
    extras: dict[str, Any] = {}
    if not live_only:
        communes, unranked_communes = _ranked(
            selectors.commune_scopes(province_id), period, today, shared
        )
        departments, unranked_departments = _ranked(
            selectors.department_scopes(province_id), period, today, shared
        )
        chart, series = trend_chart(province_scope, period, today)
        extras.update(trend_chart=chart, trend=series)
        extras.update(
            distributions(province.counts, selectors.field_counts(province_scope, period.months))
        )
        extras["flows"] = selectors.flows(period, province_scope)
        # Issue #18: petitions per intake channel (portal, Open311 apps, counter, hotline).
        extras["petition_channels"] = petition_selectors.channel_counts(period.start, period.end)
        extras["petition_channels_title"] = petition_selectors.CHANNELS_TITLE
    extras.update(lists(province_scope, today, province_id))
    return Board(
        period,
        today,
        province,
        communes,
        departments,
        extras,
        unranked_communes,
        unranked_departments,
    )


def _ranked(
    scopes: list[Scope], period: Period, today: date, shared: dict[str, Any]
) -> tuple[list[Summary], list[Summary]]:
    """(ranked, listed apart): only scopes with dossiers in the period are ranked (R-IDX-07)."""
    return selectors.ranked_apart([selectors.summarize(s, period, today, **shared) for s in scopes])


def scope_page(scope: Scope, period: Period, today: date, province_id: int) -> dict[str, Any]:
    """A commune's (or a department's) own page: figures, trend, lists, flows."""
    summary = selectors.indicators(scope, period, today, province_id)
    chart, series = trend_chart(scope, period, today)
    return {
        "summary": summary,
        "trend_chart": chart,
        "trend": series,
        **distributions(summary.counts, selectors.field_counts(scope, period.months)),
        **lists(scope, today, province_id),
        "flows": selectors.flows(period, scope),
    }


GROUPS = [(g, GROUP_VI[g]) for g in Group]
__all__ = ["FORMULA_VERSION", "GROUPS", "Board", "build", "choose_period", "scope_page"]
