"""The law's arithmetic of the indicators, without a database (DOMAIN §10, §6.6)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from motcua.insights import formulas as f
from motcua.insights import periods
from motcua.insights.formulas import (
    FOREVER,
    INDICATORS,
    Band,
    Outcome,
    band,
    classify_dates,
    figure,
    open_until,
    score,
)


def test_results_are_early_on_time_or_late_by_date_not_time() -> None:
    """GIVEN a due date of 12/3 WHEN the result is dated 11/3, 12/3 (even at 23:59) or 13/3
    THEN it is early, on time, late (R-TIME-14)."""
    due = date(2026, 3, 12)
    assert classify_dates(date(2026, 3, 11), due) == Outcome.EARLY
    assert classify_dates(date(2026, 3, 12), due) == Outcome.ON_TIME
    assert classify_dates(date(2026, 3, 13), due) == Outcome.LATE


def test_a_stopped_clock_keeps_an_open_dossier_in_time_unless_it_was_already_late() -> None:
    """GIVEN an open dossier due 12/3 WHEN its clock stopped on 11/3 THEN it stays in time at
    any evaluation date; stopped on 13/3 it stays overdue after 12/3 (R-TIME-13, R-TIME-15)."""
    due = date(2026, 3, 12)
    assert open_until(due, None) == due
    assert open_until(due, date(2026, 3, 11)) == FOREVER
    assert open_until(due, date(2026, 3, 13)) == due


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (100, Band.EXCELLENT),
        (90, Band.EXCELLENT),
        (89.99, Band.GOOD),
        (65, Band.FAIR),
        (50, Band.AVERAGE),
        (49.99, Band.WEAK),
        (0, Band.WEAK),
    ],
)
def test_bands_follow_r_idx_01(total: float, expected: Band) -> None:
    """R-IDX-01: ≥90 excellent, <50 weak [S]; the bands between are configurable [I]."""
    assert band(Decimal(str(total))) == expected


def test_points_follow_the_thresholds_of_the_registry() -> None:
    assert figure("on_time", 5, 7).points == Decimal("14.29")
    assert figure("online_applied", 1, 2).points == Decimal(6)
    assert figure("online_applied", 49, 100).points == Decimal(3)
    assert figure("digitized", 80, 100).points == Decimal(4)
    assert figure("digitized", 79, 100).points == Decimal("3.20")
    assert figure("on_time", 0, 0).ratio is None


def test_pending_inputs_give_no_number_and_an_incomplete_band(monkeypatch: Any) -> None:
    """Never a made-up number: an indicator whose input does not exist yet has no ratio and no
    points, and the total is not banded (R-IDX-05). No registry entry is fully pending since
    766-2026.4, so one is made pending here."""
    from dataclasses import replace

    from motcua.insights import formulas

    pending = replace(formulas.BY_CODE["publicity_on_time"], pending="chưa có dữ liệu")
    monkeypatch.setitem(formulas.BY_CODE, "publicity_on_time", pending)
    figure.cache_clear()
    fig = figure("publicity_on_time", 10, 10)
    assert (fig.numerator, fig.ratio, fig.points) == (None, None, None)
    assert fig.pending
    whole = figure("satisfaction", 9, 10)  # R-IDX-04 with complaints since 766-2026.4
    assert (whole.numerator, whole.points) == (9, Decimal("5.40"))
    assert not whole.pending
    for code in ("online_paid", "payment_procedures", "payable_on_portal", "synced", "e_result"):
        assert not figure(code, 1, 2).pending, code
    figs = {i.code: figure(i.code, 1, 1) for i in INDICATORS}
    s = score(figs)
    assert s.band == Band.INCOMPLETE
    assert s.total == s.possible
    assert s.indicative_band == Band.EXCELLENT
    monkeypatch.undo()
    figure.cache_clear()
    assert figure("publicity_on_time", 10, 10).points == Decimal(4)  # computed since 2026.3


def test_the_group_points_add_up_to_100() -> None:
    from motcua.insights.formulas import GROUP_POINTS

    assert sum(GROUP_POINTS.values()) == 100
    for ind in INDICATORS:
        if ind.max_points is not None:
            assert ind.max_points <= GROUP_POINTS[ind.group]


def test_periods_are_runs_of_whole_months() -> None:
    assert periods.parse("2026-Q1").months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert periods.parse("2026-6T").end == date(2026, 6, 30)
    assert periods.parse("2026-9T").end == date(2026, 9, 30)
    assert periods.parse("2026").end == date(2026, 12, 31)
    assert periods.parse("2026-M02").end == date(2026, 2, 28)
    assert periods.parse("2026-q4").label_vi == "Quý 4/2026"
    assert periods.last_complete("quarter", date(2026, 4, 1)).key == "2026-Q1"
    assert periods.last_complete("6m", date(2026, 3, 31)).key == "2025-6T"
    for bad in ("2026-Q5", "2026-M13", "x", "1999"):
        with pytest.raises(ValueError, match=bad):
            periods.parse(bad)


def test_the_arithmetic_modules_import_no_django() -> None:
    code = (
        "import sys, motcua.insights.formulas, motcua.insights.periods, motcua.insights.svg; "
        "assert not any(m.startswith('django') for m in sys.modules), 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_zero_rate_earns_nothing_unless_the_province_reads_the_rule_otherwise() -> None:
    """DOMAIN §10.4 [IMPL] "2 if ≥80 %, else 1.6": by default 0 % earns 0 points (issue #14
    item 7); MOTCUA_766_ZERO_EARNS_PARTIAL gives it the partial points, and the rule's words
    follow."""
    rule = f.Scoring(Decimal(2), Decimal("0.8"), Decimal("1.6"))
    assert rule.points(Decimal(0)) == 0
    assert rule.points(Decimal("0.01")) == Decimal("1.6")
    assert rule.describe_vi().endswith("0 % được 0 điểm")
    try:
        f.configure(zero_earns_partial=True)
        assert rule.points(Decimal(0)) == Decimal("1.6")
        assert "0 % được 0 điểm" not in rule.describe_vi()
    finally:
        f.configure(zero_earns_partial=False)
    assert rule.points(Decimal(0)) == 0
