"""Issue #13 item 2: each Decision 766 indicator is ONE registry entry (``formulas.INDICATORS``)
carrying its metrics (``values``), its fact flags and its drill-down; every view is derived from
it. This test enumerates the registry against every derived view, so an indicator added in one
place and forgotten in another fails here (docs/map.md, "Adding a Decision 766 indicator")."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import BooleanField

from bench.seed import Writer
from motcua.core.errors import NotFound
from motcua.insights import formulas, selectors
from motcua.insights.api import _figure
from motcua.insights.formulas import (
    BY_CODE,
    COUNTED_FLAGS,
    FACT_FLAGS,
    INDICATORS,
    Fact,
    Inputs,
    Outcome,
    contributions,
    figure,
)
from motcua.insights.models import DossierFact
from motcua.insights.selectors.catalogue import Catalogue
from motcua.ioc import board as ioc_board
from motcua.petitions import selectors as petition_selectors
from motcua.petitions.indicators import Tally

EVALUATION = date(2026, 3, 31)
FACT_FIELDS = {f.name for f in dataclasses.fields(Fact)}
MODEL_BOOLEANS = {f.name for f in DossierFact._meta.get_fields() if isinstance(f, BooleanField)}


def _fact(**flags: bool) -> Fact:
    base = dict.fromkeys(FACT_FLAGS, False)
    base.update(flags)
    return Fact(
        competent="a",
        receiving="a",
        month=date(2026, 3, 1),
        channel="online",
        field="",
        procedure="P",
        outcome=Outcome.EARLY,
        until=None,
        **base,
    )


def _full_inputs() -> Inputs:
    tally = Tally(competent=4, in_time=3, dissatisfied=2)
    return Inputs(
        counts=Counter(dict.fromkeys(["received", "rcv_received", "fee_bearing"], 10)),
        codes=frozenset({"A", "B"}),
        online=frozenset({"A"}),
        fee=frozenset({"A"}),
        payable=frozenset({"A"}),
        online_used=1,
        paid=frozenset({"A"}),
        petitions=tally,
        publications=type("Pub", (), {"numerator": 1, "denominator": 2})(),
    )


def test_every_indicator_is_one_entry_and_every_view_derives_from_it() -> None:
    """GIVEN the registry WHEN each entry is checked against the figures, the fact, the model,
    the counters, the drill-down, the board's links, the API and the bench seed THEN each view
    has exactly the registry's indicators and flags, nothing more, nothing less."""
    codes = [i.code for i in INDICATORS]
    assert len(codes) == len(set(codes)) == len(BY_CODE)
    inputs = _full_inputs()
    # The summary's figures: one per entry, each computed from its own values() with full inputs.
    figures = selectors.figures_of(
        Counter(inputs.counts),
        0,
        [Catalogue(inputs.codes, inputs.online, inputs.fee, inputs.payable)],
        inputs.online_used,
        inputs.paid,
        petitions=inputs.petitions,  # type: ignore[arg-type]
        publications=inputs.publications,  # type: ignore[arg-type]
    )
    assert list(figures) == codes
    seed_columns = Writer.TABLES["facts"]
    for ind in INDICATORS:
        numerator, denominator = ind.values(inputs)
        assert numerator is not None, ind.code
        assert denominator, ind.code
        assert figures[ind.code].denominator == denominator, ind.code
        # Its flags: a field of the fact, a column of the model, written by the seed, a counter.
        for flag in ind.flags:
            assert flag in FACT_FIELDS, (ind.code, flag)
            assert flag in MODEL_BOOLEANS, (ind.code, flag)
            assert flag in FACT_FLAGS, (ind.code, flag)
            assert flag in seed_columns, (ind.code, flag)
            counters = {m for (_, _, m) in contributions(_fact(**{flag: True})).rollup}
            assert flag in counters, (ind.code, flag)
        # Its drill-down: the board links exactly the registry's drillable codes.
        drill = ind.drill
        assert (ind.code in selectors.DRILLABLE) is (drill is not None), ind.code
        if drill is None:
            with pytest.raises(NotFound):
                selectors.dossier_filters(ind.code, EVALUATION)
        elif drill.kind == "dossiers":
            unit, _den, _num = selectors.dossier_filters(ind.code, EVALUATION)
            lookups = (
                () if isinstance(drill.numerator, str) else drill.numerator
            ) + drill.denominator
            for lookup, _value in lookups:
                DossierFact._meta.get_field(lookup.split("__")[0])
            DossierFact._meta.get_field(unit.removesuffix("_id"))
            if isinstance(drill.numerator, str):
                assert drill.numerator in selectors.NAMED, ind.code
        elif drill.kind == "petitions":
            assert ind.code in petition_selectors.CODES, ind.code
        else:
            assert drill.kind == "versions", ind.code
            assert ind.code in selectors.PUBLICATION_CODES, ind.code
        # It explains itself: formula and points rule, on the page and in the API.
        out = _figure(figure(ind.code, numerator, denominator))
        assert out.formula == f"{ind.numerator} / {ind.denominator}"
        if ind.scoring is not None:
            assert out.points_rule == ind.scoring.describe_vi()
            # DOMAIN §10 as read in issue #14 item 7: nothing earned at 0 %, the maximum at 100 %.
            assert ind.scoring.points(Decimal(0)) == 0, ind.code
            assert ind.scoring.points(Decimal(1)) == ind.max_points, ind.code
    assert ioc_board.DRILLABLE == selectors.DRILLABLE
    assert set(petition_selectors.CODES) == selectors.PETITION_CODES
    # Every boolean the fact keeps is a registry flag, an extra one or the fact's own.
    assert set(FACT_FLAGS) == MODEL_BOOLEANS
    assert {f for f in FACT_FIELDS if f in MODEL_BOOLEANS} == set(FACT_FLAGS)
    assert set(COUNTED_FLAGS) <= set(FACT_FLAGS)
    assert set(formulas.EXTRA_FLAGS).isdisjoint(f for i in INDICATORS for f in i.flags)
    # The group points of §10.2 add up to 100 and the scored entries fit in their groups.
    assert sum(formulas.GROUP_POINTS.values()) == 100
    for group, points in formulas.GROUP_POINTS.items():
        assert sum(i.max_points or 0 for i in INDICATORS if i.group == group) <= points, group
