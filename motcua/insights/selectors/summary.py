"""The Decision 766 figures of one scope over one period (numerator and denominator from the
registry, ``formulas.INDICATORS``) and the ranking of scopes (R-IDX-05, R-IDX-07)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from motcua.catalog import publication
from motcua.core.text import vi_sorted
from motcua.insights.formulas import (
    FORMULA_VERSION,
    INDICATORS,
    Figure,
    Inputs,
    Score,
    figure,
    rank_key,
    score,
)
from motcua.insights.periods import Period
from motcua.insights.selectors.catalogue import Catalogue, catalogue_by_unit, merged_catalogue
from motcua.insights.selectors.counters import (
    online_used_by_unit,
    online_used_total,
    open_in_time_by_unit,
    paid_procedures_by_unit,
    unit_counters,
)
from motcua.insights.selectors.scopes import Scope
from motcua.petitions import selectors as petition_selectors
from motcua.petitions.indicators import Tally


@dataclass(frozen=True)
class Part:
    """One line of a figure's breakdown; ``counted``: part of the numerator."""

    key: str
    label: str
    count: int
    counted: bool
    drill: str  # the list of its dossiers (``selectors.drill.EXTRA_NUMERATORS``)


@dataclass
class Summary:
    """The indicators of one scope over one period."""

    scope: Scope
    period: Period
    evaluation: date
    counts: Counter[str]
    open_in_time: int
    open_overdue: int
    figures: dict[str, Figure]
    score: Score
    version: str = FORMULA_VERSION
    petitions: Tally = field(default_factory=Tally)  # R-IDX-02/03 counters of the scope
    publications: publication.Tally | None = None  # §10.4 "published on time" of the scope
    rank: int | None = None  # R-IDX-07, set by ``ranked_apart``; None: not ranked

    @property
    def received(self) -> int:
        return self.counts.get("received", 0)

    @property
    def has_data(self) -> bool:
        """Dossiers were received in the period: only then is the scope ranked (R-IDX-07)."""
        return self.received > 0

    @property
    def resolved_in_time(self) -> int:
        """Resolved early or on time, or withdrawn/stopped before the original due date."""
        c = self.counts
        return c.get("early", 0) + c.get("on_time", 0) + c.get("ended_in_time", 0)

    @property
    def on_time_parts(self) -> list[Part]:
        """What the on-time figure (R-IDX-08) is made of: resolved in time and open "not late
        yet" (R-TIME-15) in the numerator, the rest of the denominator after them. Open dossiers
        are never called on time."""
        c = self.counts
        return [
            Part("early", "Giải quyết trước hạn", c.get("early", 0), True, "early"),
            Part("on_time", "Giải quyết đúng hạn", c.get("on_time", 0), True, "resolved_on_time"),
            Part(
                "ended_in_time",
                "Rút, dừng trước hạn",
                c.get("ended_in_time", 0),
                True,
                "ended_in_time",
            ),
            Part(
                "open_in_time",
                "Đang giải quyết, chưa quá hạn",
                self.open_in_time,
                True,
                "open_in_time",
            ),
            Part("late", "Giải quyết quá hạn", c.get("late", 0), False, "late"),
            Part(
                "open_overdue",
                "Đang giải quyết, đã quá hạn",
                self.open_overdue,
                False,
                "open_overdue",
            ),
        ]

    @property
    def published(self) -> list[Figure]:
        return [self.figures[i.code] for i in INDICATORS if i.published]

    @property
    def scored(self) -> list[Figure]:
        return [self.figures[i.code] for i in INDICATORS if i.max_points is not None]


def figures_of(
    counts: Counter[str],
    open_in_time: int,
    catalogues: list[Catalogue],
    online_used: int,
    paid_procedures: frozenset[str] = frozenset(),
    *,
    petitions: Tally | None = None,
    publications: publication.Tally | None = None,
) -> dict[str, Figure]:
    """Every indicator's figure, its numerator and denominator read by its registry entry."""
    merged = merged_catalogue(tuple(dict.fromkeys(catalogues)))
    inputs = Inputs(
        counts=counts,
        open_in_time=open_in_time,
        codes=merged.codes,
        online=merged.online,
        fee=merged.fee,
        payable=merged.payable,
        online_used=online_used,
        paid=paid_procedures,
        petitions=petitions,  # R-IDX-02, R-IDX-03 (motcua.petitions.indicators)
        publications=publications,  # §10.4 (catalog.publication, docs/decisions/0006)
    )
    return {i.code: figure(i.code, *i.values(inputs)) for i in INDICATORS}


def summarize(
    scope: Scope,
    period: Period,
    today: date,
    *,
    counters: dict[uuid.UUID, Counter[str]] | None = None,
    opens: dict[uuid.UUID, tuple[int, int]] | None = None,
    catalogues: dict[uuid.UUID, Catalogue] | None = None,
    used: dict[uuid.UUID, int] | None = None,
    paid: dict[uuid.UUID, frozenset[str]] | None = None,
    province_id: int | None = None,
    petitions: dict[uuid.UUID, Tally] | None = None,
    publications: publication.Tally | None = None,
) -> Summary:
    evaluation = period.evaluation_day(today)
    if counters is None:
        counters = unit_counters(period.months, None if scope.everything else scope.unit_ids)
    if opens is None:
        opens = open_in_time_by_unit(
            period.months, evaluation, None if scope.everything else scope.unit_ids
        )
    if catalogues is None:
        assert province_id is not None
        catalogues = catalogue_by_unit(province_id)
    counts: Counter[str] = Counter()
    in_time = overdue = 0
    for unit_id in scope.unit_ids:
        counts.update(counters.get(unit_id, Counter()))
        ok, late = opens.get(unit_id, (0, 0))
        in_time += ok
        overdue += late
    cats = [catalogues[u] for u in scope.unit_ids if u in catalogues]
    if scope.everything:
        online_used = online_used_total(period.months)
    else:
        if used is None:
            used = online_used_by_unit(period.months, scope.unit_ids)
        online_used = sum(used.get(u, 0) for u in scope.unit_ids)
    if paid is None:
        paid = paid_procedures_by_unit(period.months, None if scope.everything else scope.unit_ids)
    paid_codes: set[str] = set()
    for u in scope.unit_ids:
        paid_codes |= paid.get(u, frozenset())
    if petitions is None:
        petitions = petition_tallies(period, today, None if scope.everything else scope.unit_ids)
    tally = Tally()
    for u in scope.unit_ids:
        if u in petitions:
            tally.merge(petitions[u])
    published = _scope_publications(scope, period, today, province_id, publications)
    figs = figures_of(
        counts,
        in_time,
        cats,
        online_used,
        frozenset(paid_codes),
        petitions=tally,
        publications=published,
    )
    return Summary(
        scope,
        period,
        evaluation,
        counts,
        in_time,
        overdue,
        figs,
        score(figs),
        petitions=tally,
        publications=published,
    )


def _scope_publications(
    scope: Scope,
    period: Period,
    today: date,
    province_id: int | None,
    publications: publication.Tally | None,
) -> publication.Tally:
    """The province's tally (read now unless given), cut to the versions the scope implements."""
    if publications is None:
        assert province_id is not None
        publications = publication_tally(period, today, province_id)
    return publications if scope.everything else publications.for_units(scope.unit_ids)


def publication_tally(period: Period, today: date, province_id: int) -> publication.Tally:
    """§10.4 "TTHC published/updated on time": the province's versions taking effect in the
    period, judged as of the evaluation day (two queries; a unit's share is ``for_units``)."""
    return publication.publication_tally(
        province_id, period.start, period.end, as_of=period.evaluation_day(today)
    )


def petition_tallies(
    period: Period, today: date, unit_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, Tally]:
    """R-IDX-02/03 counters per unit: petitions received in the period (one query)."""
    return petition_selectors.tallies(
        period.start, period.end, period.evaluation_day(today), unit_ids
    )


def indicators(scope: Scope, period: Period, today: date, province_id: int) -> Summary:
    return summarize(scope, period, today, province_id=province_id)


def ranking(scopes: list[Scope], period: Period, today: date, province_id: int) -> list[Summary]:
    """R-IDX-07: every scope, the ranked ones first (by total points, then group points), then
    those without dossiers in the period, unranked; a few queries whatever the number of
    scopes."""
    evaluation = period.evaluation_day(today)
    counters = unit_counters(period.months)
    opens = open_in_time_by_unit(period.months, evaluation)
    catalogues = catalogue_by_unit(province_id)
    used = online_used_by_unit(period.months)
    paid = paid_procedures_by_unit(period.months)
    petitions = petition_tallies(period, today)
    publications = publication_tally(period, today, province_id)
    rows = [
        summarize(
            s,
            period,
            today,
            counters=counters,
            opens=opens,
            catalogues=catalogues,
            used=used,
            paid=paid,
            petitions=petitions,
            publications=publications,
        )
        for s in scopes
    ]
    ranked, apart = ranked_apart(rows)
    return ranked + apart


def ranked_apart(rows: list[Summary]) -> tuple[list[Summary], list[Summary]]:
    """R-IDX-07: the scopes with dossiers in the period ranked by total points, then by group
    points (``rank`` set from 1); the scopes without any listed apart in Vietnamese
    alphabetical order, never ranked (``rank`` None; issue #14 items 4 and 7)."""
    ranked = sorted(
        (r for r in rows if r.has_data),
        key=lambda r: (rank_key(r.score), r.received),
        reverse=True,
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    apart = vi_sorted((r for r in rows if not r.has_data), key=lambda r: r.scope.name)
    for row in apart:
        row.rank = None
    return ranked, apart
