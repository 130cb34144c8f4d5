"""The demo petitions give the board real R-IDX-02/03 numbers, and seeding twice adds nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from motcua.insights import selectors
from motcua.insights.periods import Kind, current
from motcua.petitions.demo import seed_demo_petitions
from motcua.petitions.models import Petition
from motcua.petitions.tests.conftest import local

pytestmark = pytest.mark.django_db


def test_demo_petitions_feed_the_board(traveller: Any) -> None:
    traveller.move_to(local(5, 28))  # late in a quarter: the whole history fits in Q2
    assert seed_demo_petitions() == 6
    assert seed_demo_petitions() == 0
    assert Petition.objects.count() == 6
    period = current(Kind.QUARTER, date(2026, 5, 28))
    summary = selectors.indicators(
        selectors.province_scope(92), period, date(2026, 5, 28), province_id=92
    )
    on_time = summary.figures["feedback_on_time"]
    satisfaction = summary.figures["feedback_satisfaction"]
    # Within competence: 5 (one forwarded). In time: the quick answer and the two fresh ones;
    # the late answer and the overdue one count against (R-IDX-02) → 3/5.
    assert (on_time.numerator, on_time.denominator) == (3, 5)
    assert on_time.points is not None
    # Not satisfied (the late answer) and the complaint (the overdue one) → (5 − 2)/5.
    assert (satisfaction.numerator, satisfaction.denominator) == (3, 5)
    states = sorted(Petition.objects.values_list("state", flat=True))
    assert states == ["answered", "answered", "not_competent", "received", "received", "received"]
