"""The board's other pieces: the trend, the distributions, the boundary-free flows and the lists
of overdue and at-risk dossiers."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum

from motcua.agencies.models import Unit
from motcua.catalog.models import Field
from motcua.insights.formulas import (
    Outcome,
    figure,
    in_time_numerator,
)
from motcua.insights.models import (
    DossierFact,
    FlowQuarterRollup,
    FlowRollup,
    OpenRollup,
    Rollup,
)
from motcua.insights.periods import Kind, Period
from motcua.insights.periods import month as month_period
from motcua.insights.selectors.scopes import Scope

# --------------------------------------------------------------------------- board pieces


def trend(scope: Scope, last_month: date, months: int = 12) -> list[dict[str, Any]]:
    """Received, resolved late and the on-time rate for each of the last ``months`` months."""

    series = []
    m = last_month.replace(day=1)
    wanted = []
    for _ in range(months):
        wanted.append(m)
        m = (m - timedelta(days=1)).replace(day=1)
    wanted.reverse()
    rows = (
        scope.only(
            Rollup.objects.filter(
                month__in=wanted,
                metric__in=["received", "early", "on_time", "late", "ended_in_time", "ch_online"],
            ),
            "unit_id",
        )
        .values_list("month", "metric")
        .annotate(v=Sum("value"))
    )
    by_month: dict[date, Counter[str]] = defaultdict(Counter)
    for month_start, metric, value in rows:
        by_month[month_start][metric] += int(value)
    opens = (
        scope.only(OpenRollup.objects.filter(month__in=wanted), "unit_id")
        .values_list("month", "open_until")
        .annotate(v=Sum("value"))
    )
    open_rows: dict[date, list[tuple[date, int]]] = defaultdict(list)
    for month_start, until, value in opens:
        open_rows[month_start].append((until, int(value)))
    for month_start in wanted:
        c = by_month[month_start]
        period = month_period(month_start)
        e = period.evaluation_day(last_month if last_month >= month_start else month_start)
        in_time = sum(v for until, v in open_rows[month_start] if until >= e)
        fig = figure("on_time", in_time_numerator(c, in_time), c.get("received", 0))
        series.append(
            {
                "month": month_start,
                "received": c.get("received", 0),
                "online": c.get("ch_online", 0),
                "late": c.get("late", 0),
                "on_time_percent": fig.percent,
            }
        )
    return series


def distribution(counts: Counter[str], prefix: str) -> list[tuple[str, int]]:
    rows = [(m.removeprefix(prefix), v) for m, v in counts.items() if m.startswith(prefix) and v]
    rows.sort(key=lambda kv: kv[1], reverse=True)
    return rows


def field_names(ids: Iterable[str]) -> dict[str, str]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): name for pk, name in Field.objects.filter(pk__in=wanted).values_list("pk", "name")
    }


def flows(period: Period, scope: Scope, limit: int = 15) -> list[dict[str, Any]]:
    """Boundary-free receipts between units: where filed vs where competent (R-ORG-04). Grouped
    by unit ids first; names only for the rows shown."""
    ids = list(scope.unit_ids)
    mine = Q(receiving_unit_id__in=ids) | Q(competent_unit_id__in=ids)
    rows: list[tuple[Any, Any, int]]
    if period.kind == Kind.QUARTER:  # one row per pair already: the first rows of an index
        quarterly = FlowQuarterRollup.objects.filter(quarter=period.start, value__gt=0)
        if not scope.everything:
            quarterly = quarterly.filter(mine)
        rows = list(
            quarterly.order_by("-value", "receiving_unit_id", "competent_unit_id").values_list(
                "receiving_unit_id", "competent_unit_id", "value"
            )[:limit]
        )
    else:
        query = FlowRollup.objects.filter(month__in=period.months)
        if not scope.everything:
            query = query.filter(mine)
        rows = list(
            query.values_list("receiving_unit_id", "competent_unit_id")
            .annotate(v=Sum("value"))
            .order_by("-v", "receiving_unit_id", "competent_unit_id")[:limit]
        )
    wanted = {r for r, _, _ in rows} | {c for _, c, _ in rows}
    names = {
        pk: commune or name
        for pk, commune, name in Unit.objects.filter(pk__in=wanted).values_list(
            "pk", "commune__name", "name"
        )
    }
    return [{"from": names.get(r, ""), "to": names.get(c, ""), "count": int(v)} for r, c, v in rows]


def open_facts(scope: Scope) -> QuerySet[DossierFact]:
    return scope.only(DossierFact.objects.filter(outcome=Outcome.OPEN), "competent_unit_id")


#: What the board's lists show: the code, the competent unit and the original due date. Loading
#: only these spares the two dozen columns (timestamps mostly) of each dossier and unit.
LIST_FIELDS = (
    "dossier__code",
    "competent_unit__name",
    "competent_unit__short_name",
    "due_on",
    "open_until",
)


def overdue(scope: Scope, today: date, limit: int = 20) -> QuerySet[DossierFact]:
    """Open dossiers past their ORIGINAL deadline (R-LATE-07, R-TIME-15), oldest first."""
    return (
        open_facts(scope)
        .filter(open_until__lt=today)
        .select_related("dossier", "competent_unit")
        .only(*LIST_FIELDS)
        .order_by("open_until")[:limit]
    )


def at_risk(scope: Scope, today: date, until: date, limit: int = 20) -> QuerySet[DossierFact]:
    """Open dossiers due between today and ``until`` (the next working day, R-LATE-06)."""
    return (
        open_facts(scope)
        .filter(open_until__gte=today, open_until__lte=until)
        .select_related("dossier", "competent_unit")
        .only(*LIST_FIELDS)
        .order_by("open_until")[:limit]
    )
