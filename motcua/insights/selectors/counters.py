"""The rollups summed per unit over a period's months (R-IDX-05): never the dossier table."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum

from motcua.insights.models import (
    OpenRollup,
    PaidProcedureRollup,
    ProcedureRollup,
    Rollup,
)
from motcua.insights.selectors.scopes import Scope

# --------------------------------------------------------------------------- counters


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def unit_counters(
    months: list[date], unit_ids: Iterable[uuid.UUID] | None = None, *, details: bool = False
) -> dict[uuid.UUID, Counter[str]]:
    """Summed counters per unit over ``months``: one grouped query on the rollups, read raw
    (thousands of small rows: the ORM's per-row converters would cost more than the query)."""
    table = Rollup._meta.db_table
    params: list[Any] = list(months)
    sql = f"SELECT unit_id, metric, SUM(value) FROM {table} WHERE month IN ({', '.join(['%s'] * len(months))})"  # noqa: S608, E501
    if unit_ids is not None:
        ids = list(unit_ids)
        field = Rollup._meta.get_field("unit").target_field
        sql += f" AND unit_id IN ({', '.join(['%s'] * len(ids))})"
        params += [field.get_db_prep_value(pk, connection) for pk in ids]
    if not details:
        sql += " AND metric NOT LIKE 'field:%%'"
    sql += " GROUP BY unit_id, metric"
    out: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
    seen: dict[object, uuid.UUID] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for raw, metric, value in cursor.fetchall():
            unit_id = seen.get(raw)
            if unit_id is None:
                unit_id = seen[raw] = _as_uuid(raw)
            out[unit_id][metric] += int(value)
    return out


def open_in_time_by_unit(
    months: list[date], evaluation: date, unit_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, tuple[int, int]]:
    """(in time, overdue) open dossiers per unit of the cohort ``months`` at ``evaluation``
    (R-TIME-15)."""
    query = OpenRollup.objects.filter(month__in=months)
    if unit_ids is not None:
        query = query.filter(unit_id__in=list(unit_ids))
    out: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        query.annotate(ok=Q(open_until__gte=evaluation))
        .values_list("unit_id", "ok")
        .annotate(v=Sum("value"))
    )
    for unit_id, ok, value in rows:
        out[unit_id][0 if ok else 1] += int(value)
    return {k: (v[0], v[1]) for k, v in out.items()}


def online_used_by_unit(
    months: list[date], unit_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, int]:
    """Distinct online procedures with at least one dossier, per unit (units of one scope
    implement different procedures, so a scope's figure is the sum over its units)."""
    query = ProcedureRollup.objects.filter(month__in=months, value__gt=0)
    if unit_ids is not None:
        query = query.filter(unit_id__in=list(unit_ids))
    return dict(query.values_list("unit_id").annotate(n=Count("procedure_code", distinct=True)))


def online_used_total(months: list[date]) -> int:
    """The same over the whole province (a procedure counts once, whichever unit)."""
    return (
        ProcedureRollup.objects.filter(month__in=months, value__gt=0)
        .values("procedure_code")
        .distinct()
        .count()
    )


def field_counts(scope: Scope, months: list[date]) -> Counter[str]:
    """Received dossiers per catalogue field (``field:<id>`` counters) of a scope."""
    rows = (
        scope.only(Rollup.objects.filter(month__in=months, metric__startswith="field:"), "unit_id")
        .values_list("metric")
        .annotate(v=Sum("value"))
    )
    return Counter({metric: int(v) for metric, v in rows})


def paid_procedures_by_unit(
    months: list[date], unit_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, frozenset[str]]:
    """Procedures with at least one dossier paid online (R-PAY-04), per unit."""
    query = PaidProcedureRollup.objects.filter(month__in=months, value__gt=0)
    if unit_ids is not None:
        query = query.filter(unit_id__in=list(unit_ids))
    out: dict[uuid.UUID, set[str]] = defaultdict(set)
    for unit_id, code in query.values_list("unit_id", "procedure_code").distinct():
        out[unit_id].add(code)
    return {u: frozenset(c) for u, c in out.items()}
