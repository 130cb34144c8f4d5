"""The records behind a number (R-IDX-05): exactly the rows its numerator or denominator
counts, generated from each indicator's ``Drill`` in the registry (``formulas.INDICATORS``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Q, QuerySet

from motcua.catalog import publication
from motcua.core.errors import NotFound
from motcua.insights.formulas import (
    BY_CODE,
    INDICATORS,
    Outcome,
)
from motcua.insights.models import (
    DossierFact,
)
from motcua.insights.periods import Period
from motcua.insights.selectors.scopes import Scope
from motcua.insights.selectors.summary import publication_tally
from motcua.petitions import selectors as petition_selectors
from motcua.petitions.models import Petition

# --------------------------------------------------------------------------- drill-down

PARTS = ("numerator", "denominator")


def _in_time(evaluation: date) -> Q:
    """R-IDX-08 numerator: early, on time, ended in time, or open and not late yet."""
    return _resolved_in_time(evaluation) | _open_in_time(evaluation)


def _resolved_in_time(evaluation: date) -> Q:
    del evaluation
    return Q(outcome__in=[Outcome.EARLY, Outcome.ON_TIME]) | Q(
        outcome__in=[Outcome.WITHDRAWN, Outcome.STOPPED], ended_in_time=True
    )


def _open_in_time(evaluation: date) -> Q:
    return Q(outcome=Outcome.OPEN, open_until__gte=evaluation)  # R-TIME-15: "chưa quá hạn"


def _open_overdue(evaluation: date) -> Q:
    return Q(outcome=Outcome.OPEN, open_until__lt=evaluation)


#: Numerators that depend on the evaluation day, named by a registry entry's ``Drill``.
NAMED: dict[str, Callable[[date], Q]] = {
    "in_time": _in_time,
    "resolved_in_time": _resolved_in_time,
    "open_in_time": _open_in_time,
    "open_overdue": _open_overdue,
}
#: Lists that are not indicators but parts of one (the on-time figure's breakdown): code → filter.
EXTRA_NUMERATORS: dict[str, Callable[[date], Q]] = {
    "early": lambda _e: Q(outcome=Outcome.EARLY),
    "resolved_on_time": lambda _e: Q(outcome=Outcome.ON_TIME),
    "ended_in_time": lambda _e: Q(
        outcome__in=[Outcome.WITHDRAWN, Outcome.STOPPED], ended_in_time=True
    ),
    "late": lambda _e: Q(outcome=Outcome.LATE),
    "resolved_in_time": _resolved_in_time,
    "open_in_time": _open_in_time,
    "open_overdue": _open_overdue,
}

PETITION_CODES = frozenset(
    i.code for i in INDICATORS if i.drill is not None and i.drill.kind == "petitions"
)
PUBLICATION_CODES = frozenset(
    i.code for i in INDICATORS if i.drill is not None and i.drill.kind == "versions"
)
#: Every code whose records can be listed: the board links exactly these.
DRILLABLE = frozenset(i.code for i in INDICATORS if i.drill is not None)


def dossier_filters(code: str, evaluation: date) -> tuple[str, Q, Q]:
    """(unit field, denominator filter, numerator filter) of a dossier list, from the registry."""
    if code in EXTRA_NUMERATORS:
        return "competent_unit_id", Q(), EXTRA_NUMERATORS[code](evaluation)
    ind = BY_CODE.get(code)
    drill = ind.drill if ind is not None else None
    if drill is None or drill.kind != "dossiers":
        raise NotFound("Chỉ số này không có danh sách hồ sơ", "No dossier list for this indicator")
    if isinstance(drill.numerator, str):
        numerator = NAMED[drill.numerator](evaluation)
    else:
        numerator = Q(*drill.numerator)
        if drill.exclude:
            numerator = ~numerator
    return drill.unit, Q(*drill.denominator), numerator


def drill_down(
    scope: Scope, period: Period, code: str, part: str, today: date
) -> QuerySet[DossierFact]:
    """The dossiers behind a number: exactly the rows the numerator or denominator counts."""
    if part not in PARTS:
        raise NotFound("Không tìm thấy chỉ số", "Indicator not found")
    unit, denominator, numerator = dossier_filters(code, period.evaluation_day(today))
    query = scope.only(DossierFact.objects.filter(month__in=period.months), unit)
    query = query.filter(denominator)
    if part == "numerator":
        query = query.filter(numerator)
    return query.select_related("dossier", "competent_unit", "receiving_unit")


def petition_drill_down(
    scope: Scope, period: Period, code: str, part: str, today: date
) -> QuerySet[Petition]:
    """The petitions behind an R-IDX-02/03 number: exactly the rows it counts."""
    if part not in PARTS:
        raise NotFound("Không tìm thấy chỉ số", "Indicator not found")
    return petition_selectors.behind(
        code,
        part,
        start=period.start,
        end=period.end,
        evaluation=period.evaluation_day(today),
        unit_ids=None if scope.everything else scope.unit_ids,
    )


def publication_drill_down(
    scope: Scope, period: Period, part: str, today: date, province_id: int
) -> list[publication.Row]:
    """The procedure versions behind the §10.4 "published on time" numerator or denominator."""
    if part not in PARTS:
        raise NotFound("Không tìm thấy chỉ số", "Indicator not found")
    tally = publication_tally(period, today, province_id)
    if not scope.everything:
        tally = tally.for_units(scope.unit_ids)
    return tally.counted if part == "numerator" else tally.rows
