"""Reads of the Decision 766 indicators, split by concern (issue #13 item 2):

* ``scopes`` — the province, its communes and departments;
* ``counters`` — the rollups summed per unit (never the dossier table);
* ``catalogue`` — the procedures each unit implements (online, fee-bearing, payable);
* ``summary`` — the figures of a scope from the registry (``formulas.INDICATORS``), the ranking;
* ``pieces`` — the board's trend, distributions, flows, overdue and at-risk lists;
* ``drill`` — the records behind any number, generated from each indicator's ``Drill``.

Callers import this package (``from motcua.insights import selectors``); the names below are
its public surface."""

from __future__ import annotations

from motcua.insights.selectors.catalogue import (
    Catalogue,
    catalogue_by_unit,
    fee_kind,
    merged_catalogue,
)
from motcua.insights.selectors.counters import (
    field_counts,
    online_used_by_unit,
    online_used_total,
    open_in_time_by_unit,
    paid_procedures_by_unit,
    unit_counters,
)
from motcua.insights.selectors.drill import (
    DRILLABLE,
    EXTRA_NUMERATORS,
    NAMED,
    PARTS,
    PETITION_CODES,
    PUBLICATION_CODES,
    dossier_filters,
    drill_down,
    petition_drill_down,
    publication_drill_down,
)
from motcua.insights.selectors.pieces import (
    LIST_FIELDS,
    at_risk,
    distribution,
    field_names,
    flows,
    open_facts,
    overdue,
    trend,
)
from motcua.insights.selectors.scopes import (
    COMMUNE_KINDS,
    Scope,
    commune_scopes,
    department_scopes,
    province_scope,
    scope_of,
)
from motcua.insights.selectors.summary import (
    Part,
    Summary,
    figures_of,
    indicators,
    petition_tallies,
    publication_tally,
    ranked_apart,
    ranking,
    summarize,
)

__all__ = [
    "COMMUNE_KINDS",
    "DRILLABLE",
    "EXTRA_NUMERATORS",
    "LIST_FIELDS",
    "NAMED",
    "PARTS",
    "PETITION_CODES",
    "PUBLICATION_CODES",
    "Catalogue",
    "Part",
    "Scope",
    "Summary",
    "at_risk",
    "catalogue_by_unit",
    "commune_scopes",
    "department_scopes",
    "distribution",
    "dossier_filters",
    "drill_down",
    "fee_kind",
    "field_counts",
    "field_names",
    "figures_of",
    "flows",
    "indicators",
    "merged_catalogue",
    "online_used_by_unit",
    "online_used_total",
    "open_facts",
    "open_in_time_by_unit",
    "overdue",
    "paid_procedures_by_unit",
    "petition_drill_down",
    "petition_tallies",
    "province_scope",
    "publication_drill_down",
    "publication_tally",
    "ranked_apart",
    "ranking",
    "scope_of",
    "summarize",
    "trend",
    "unit_counters",
]
