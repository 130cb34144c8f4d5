"""Reads of the indicators: per unit and period from the rollups (never the dossier table), the
ranking of all communes and departments, trends, distributions, flows, and the drill-down to
the dossiers behind any number (R-IDX-05, R-IDX-07)."""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum

from motcua.agencies.models import Unit, UnitKind
from motcua.catalog import publication
from motcua.catalog.models import Field, OnlineLevel, ProcedureVersion
from motcua.core.errors import NotFound
from motcua.geo.models import Province
from motcua.insights.formulas import (
    FORMULA_VERSION,
    INDICATORS,
    Figure,
    Outcome,
    Score,
    figure,
    in_time_numerator,
    rank_key,
    score,
)
from motcua.insights.models import (
    DossierFact,
    FlowQuarterRollup,
    FlowRollup,
    OpenRollup,
    PaidProcedureRollup,
    ProcedureRollup,
    Rollup,
)
from motcua.insights.periods import Kind, Period
from motcua.insights.periods import month as month_period
from motcua.petitions import selectors as petition_selectors
from motcua.petitions.indicators import Tally
from motcua.petitions.models import Petition

#: Units that make up a commune's figures: its People's Committee, centre and police. A branch of
#: the provincial centre located in a commune stays provincial.
COMMUNE_KINDS = (UnitKind.COMMUNE_PC, UnitKind.COMMUNE_PSC, UnitKind.COMMUNE_POLICE)


@dataclass(frozen=True)
class Scope:
    key: str  # province | commune:<code> | unit:<uuid>
    name: str
    level: str  # province | commune | department | unit
    unit_ids: frozenset[uuid.UUID]
    commune_code: int | None = None
    everything: bool = False  # the whole province: no unit filter needed (one province per site)

    def only(self, query: QuerySet[Any], field: str) -> QuerySet[Any]:
        """``query`` restricted to this scope's units (a no-op for the whole province)."""
        if self.everything:
            return query
        return query.filter(**{f"{field}__in": list(self.unit_ids)})


def province_scope(province_id: int) -> Scope:

    province = Province.objects.get(pk=province_id)
    ids = frozenset(Unit.objects.filter(province_id=province_id).values_list("pk", flat=True))
    return Scope("province", province.name, "province", ids, everything=True)


def commune_scopes(province_id: int) -> list[Scope]:
    units: dict[int, set[uuid.UUID]] = defaultdict(set)
    names: dict[int, str] = {}
    for pk, commune_id, commune_name in Unit.objects.filter(
        province_id=province_id, kind__in=COMMUNE_KINDS, commune__isnull=False
    ).values_list("pk", "commune_id", "commune__name"):
        units[commune_id].add(pk)
        names[commune_id] = commune_name
    return [
        Scope(f"commune:{code}", names[code], "commune", frozenset(ids), commune_code=code)
        for code, ids in sorted(units.items(), key=lambda kv: names[kv[0]])
    ]


def department_scopes(province_id: int) -> list[Scope]:
    return [
        Scope(f"unit:{u.pk}", u.name, "department", frozenset({u.pk}))
        for u in Unit.objects.filter(province_id=province_id, kind=UnitKind.DEPARTMENT).order_by(
            "name"
        )
    ]


def scope_of(key: str, province_id: int) -> Scope:
    """The scope behind ``key``; NotFound for anything outside the province."""
    if key == "province":
        return province_scope(province_id)
    kind, _, ident = key.partition(":")
    if kind == "commune" and ident.isdigit():
        for scope in commune_scopes(province_id):
            if scope.commune_code == int(ident):
                return scope
    if kind == "unit":
        try:
            pk = uuid.UUID(ident)
        except ValueError:
            pk = None
        unit = Unit.objects.filter(province_id=province_id, pk=pk).first() if pk else None
        if unit is not None:
            level = "department" if unit.kind == UnitKind.DEPARTMENT else "unit"
            return Scope(f"unit:{unit.pk}", unit.name, level, frozenset({unit.pk}))
    raise NotFound("Không tìm thấy đơn vị", "Unit not found")


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


@dataclass(frozen=True)
class Catalogue:
    codes: frozenset[str]
    online: frozenset[str]
    fee: frozenset[str] = frozenset()  # fee-bearing procedures (R-PAY-03)
    payable: frozenset[str] = frozenset()  # ... whose fee the catalogue computes (R-PAY-05)


_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:đồng|đ\b|vnđ)", re.IGNORECASE)


def fee_kind(fee_rules: object, fee_text: str) -> tuple[bool, bool]:
    """(fee-bearing, payable online) of a procedure version [I]: fee-bearing when a catalogue
    rule other than ``free`` exists or the published wording states an amount in đồng; payable
    through the National Portal platform when a non-free rule lets us compute the amount
    (``payments.quotes``, R-PAY-03/05). Without a rule, the fee is paid at the counter."""
    rules = fee_rules if isinstance(fee_rules, list) else []
    priced = any(isinstance(r, dict) and r.get("kind", "free") != "free" for r in rules)
    stated = not rules and bool(_AMOUNT.search(fee_text or ""))
    return priced or stated, priced


_CATALOGUES: dict[int, tuple[str, dict[uuid.UUID, Catalogue]]] = {}


def catalogue_by_unit(province_id: int) -> dict[uuid.UUID, Catalogue]:
    """Current procedure versions each unit implements and which are online (R-ONL-01). Cached
    for five minutes: the catalogue changes by import, not by the minute."""
    key = f"insights:catalogue:v3:{province_id}"
    # The shared cache holds a token; the catalogue itself stays in this process (unpickling
    # ~200 units' sets on every request cost more than the rest of the board's arithmetic).
    # Clearing the cache, or another process rebuilding it, renews the token.
    token = cache.get(key)
    local = _CATALOGUES.get(province_id)
    if token is not None and local is not None and local[0] == token:
        return local[1]
    # Raw ids are UUID objects on PostgreSQL and hex strings on SQLite: key by every form.
    versions = {
        raw: (code, level in (OnlineLevel.FULL, OnlineLevel.PARTIAL), *fee_kind(rules, text))
        for pk, code, level, rules, text in ProcedureVersion.objects.filter(
            procedure__province_id=province_id, procedure__current=F("pk")
        ).values_list("pk", "procedure__code_national", "online_level", "fee_rules", "fee_text")
        for raw in (pk, pk.hex, str(pk))
    }
    units = {
        raw: pk
        for pk in Unit.objects.filter(province_id=province_id).values_list("pk", flat=True)
        for raw in (pk, pk.hex, str(pk))
    }
    through = ProcedureVersion.implementing_units.through._meta.db_table
    allp: dict[uuid.UUID, set[str]] = defaultdict(set)
    online: dict[uuid.UUID, set[str]] = defaultdict(set)
    fee: dict[uuid.UUID, set[str]] = defaultdict(set)
    payable: dict[uuid.UUID, set[str]] = defaultdict(set)
    # Tens of thousands of (unit, version) pairs: read raw, without per-row field converters.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id, procedureversion_id FROM {through}")  # noqa: S608
        for raw_unit, version_id in cursor.fetchall():
            unit_id = units.get(raw_unit)
            found = versions.get(version_id)
            if unit_id is None or found is None:
                continue
            allp[unit_id].add(found[0])
            if found[1]:
                online[unit_id].add(found[0])
            if found[2]:
                fee[unit_id].add(found[0])
            if found[3]:
                payable[unit_id].add(found[0])
    # Units of the same kind implement the same procedures: one shared object per distinct
    # catalogue, so a scope's union (merged_catalogue) is computed once, not per commune.
    interned: dict[Catalogue, Catalogue] = {}
    result = {
        u: interned.setdefault(c, c)
        for u, c in (
            (
                u,
                Catalogue(
                    frozenset(codes), frozenset(online[u]), frozenset(fee[u]), frozenset(payable[u])
                ),
            )
            for u, codes in allp.items()
        )
    }
    if token is None:  # first after expiry or a clear: announce a new version
        token = uuid.uuid4().hex
        cache.set(key, token, 300)
    # Otherwise another process built it already: adopt its token (never overwrite it, or
    # processes would invalidate each other on every request).
    _CATALOGUES[province_id] = (token, result)
    return result


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

    @property
    def received(self) -> int:
        return self.counts.get("received", 0)

    @property
    def published(self) -> list[Figure]:
        return [self.figures[i.code] for i in INDICATORS if i.published]

    @property
    def scored(self) -> list[Figure]:
        return [self.figures[i.code] for i in INDICATORS if i.max_points is not None]


@lru_cache(maxsize=1024)
def merged_catalogue(catalogues: tuple[Catalogue, ...]) -> Catalogue:
    """The procedures of a scope: a procedure counts once, however many of its units implement
    it."""
    if len(catalogues) == 1:
        return catalogues[0]
    return Catalogue(
        frozenset().union(*(c.codes for c in catalogues)),
        frozenset().union(*(c.online for c in catalogues)),
        frozenset().union(*(c.fee for c in catalogues)),
        frozenset().union(*(c.payable for c in catalogues)),
    )


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
    received = counts.get("received", 0)
    merged = merged_catalogue(tuple(dict.fromkeys(catalogues)))
    codes, online, fee, payable = merged.codes, merged.online, merged.fee, merged.payable
    values: dict[str, tuple[int | None, int | None]] = {
        "on_time": (in_time_numerator(counts, open_in_time), received),
        "digitized": (counts.get("digitized", 0), received),
        "reused": (counts.get("reused", 0), received),
        "e_result": (counts.get("e_result", 0), received),
        "online_applied": (counts.get("ch_online", 0), received),
        "online_provision": (len(online), len(codes)),
        "online_used": (min(online_used, len(online)), len(online)),
        "boundary_free": (counts.get("rcv_cross", 0), counts.get("rcv_received", 0)),
        "synced": (counts.get("synced", 0), received),  # R-SYNC-04
        "online_paid": (counts.get("paid_online", 0), counts.get("fee_bearing", 0)),  # R-PAY-04
        # R-PAY-04: fee-bearing procedures of the scope with at least one online payment.
        "payment_procedures": (len(paid_procedures & fee), len(fee)),
        "payable_on_portal": (len(payable), len(fee)),
        # R-IDX-04: every dossier minus those rated not satisfied or complained about.
        "satisfaction": (received - counts.get("unsatisfied", 0), received),
    }
    if petitions is not None:  # R-IDX-02, R-IDX-03 (motcua.petitions.indicators)
        values["feedback_on_time"] = (petitions.in_time, petitions.competent)
        values["feedback_satisfaction"] = (petitions.satisfied, petitions.competent)
    if publications is not None:  # §10.4 (catalog.publication, docs/decisions/0006)
        values["publicity_on_time"] = (publications.numerator, publications.denominator)
    return {i.code: figure(i.code, *values.get(i.code, (None, None))) for i in INDICATORS}


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
    """R-IDX-07: every scope ranked by total points, then group points; three queries whatever
    the number of scopes."""
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
    rows.sort(key=lambda r: (rank_key(r.score), r.received), reverse=True)
    return rows


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


# --------------------------------------------------------------------------- drill-down

PARTS = ("numerator", "denominator")


def drill_down(
    scope: Scope, period: Period, code: str, part: str, today: date
) -> QuerySet[DossierFact]:
    """The dossiers behind a number: exactly the rows the numerator or denominator counts."""
    if part not in PARTS:
        raise NotFound("Không tìm thấy chỉ số", "Indicator not found")
    base = DossierFact.objects.filter(month__in=period.months)
    evaluation = period.evaluation_day(today)
    if code == "boundary_free":
        query = scope.only(base, "receiving_unit_id")
        if part == "numerator":
            query = query.filter(cross_boundary=True)
        return query.select_related("dossier", "competent_unit", "receiving_unit")
    query = scope.only(base, "competent_unit_id")
    numerators: dict[str, Q] = {
        "on_time": Q(outcome__in=[Outcome.EARLY, Outcome.ON_TIME])
        | Q(outcome__in=[Outcome.WITHDRAWN, Outcome.STOPPED], ended_in_time=True)
        | Q(outcome=Outcome.OPEN, open_until__gte=evaluation),
        "digitized": Q(digitized=True),
        "reused": Q(reused=True),
        "e_result": Q(e_result=True),
        "synced": Q(synced=True),
        "satisfaction": ~Q(unsatisfied=True),
        "online_paid": Q(paid_online=True),
        "online_applied": Q(channel="online"),
        "late": Q(outcome=Outcome.LATE),
        "open_overdue": Q(outcome=Outcome.OPEN, open_until__lt=evaluation),
    }
    if code not in numerators:
        raise NotFound("Chỉ số này không có danh sách hồ sơ", "No dossier list for this indicator")
    # Denominators other than "received in the period": fee-bearing dossiers (R-PAY-04).
    denominators: dict[str, Q] = {"online_paid": Q(fee_bearing=True)}
    if code in denominators:
        query = query.filter(denominators[code])
    if part == "numerator":
        query = query.filter(numerators[code])
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


PETITION_CODES = petition_selectors.CODES
PUBLICATION_CODES = frozenset({"publicity_on_time"})


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
