"""766 "TTHC published/updated on time" (group 1, 4 of 18 points; DOMAIN §10.4) on the board,
the API and the drill-down, from the catalogue's publication decisions (catalog/publication.py,
docs/decisions/0006; lead time 5 working days, unverified).

Hand-computed on the seeded calendar of Cần Thơ. Three versions take effect in Q1 2026:
* A: effective Mon 9/3, deadline Mon 2/3 (Fri 6, Thu 5, Wed 4, Tue 3, Mon 2), published 2/3
  → on time; implemented by Phường Ninh Kiều;
* B: effective Mon 9/3, published Tue 3/3 → late; implemented by Phường Ninh Kiều and Cái Khế;
* C: effective Tue 24/2, deadline Tue 10/2 (Tết 16–20/2 skipped), never published → late as of
  any day after 10/2; implemented by nobody (counts for the province only).
Province: 1/3 → ratio 0.333333, points 4 × 0.333333 = 1.33. Ninh Kiều: 1/2 → 2.00 points.
Cái Khế: 0/1 → 0.00 points.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.insights import periods
from motcua.insights.formulas import figure
from motcua.insights.selectors import (
    commune_scopes,
    indicators,
    province_scope,
    publication_drill_down,
    ranking,
)

pytestmark = pytest.mark.django_db

PROVINCE = 92
Q1 = periods.make("quarter", 2026, 1)
READ_ON = date(2026, 6, 1)


def _version(
    procedure: Procedure, effective_from: date, published_on: date | None
) -> ProcedureVersion:
    base = procedure.versions.order_by("version").first()
    assert base is not None
    base.pk = None
    base.version = 50
    base.effective_from = effective_from
    base.published_on = published_on
    base.publication_decision = "DEMO-09/QĐ-UBND" if published_on else ""
    base.save(force_insert=True)
    return base


@pytest.fixture
def published(pc_a: Unit, pc_b: Unit) -> dict[str, ProcedureVersion]:
    procs = list(Procedure.objects.filter(province_id=PROVINCE).order_by("code_national")[:3])
    a = _version(procs[0], date(2026, 3, 9), date(2026, 3, 2))
    b = _version(procs[1], date(2026, 3, 9), date(2026, 3, 3))
    c = _version(procs[2], date(2026, 2, 24), None)
    a.implementing_units.set([pc_a])
    b.implementing_units.set([pc_a, pc_b])
    return {"a": a, "b": b, "c": c}


def _scope(name: str) -> Any:
    return next(s for s in commune_scopes(PROVINCE) if s.name == name)


def test_the_province_figure_counts_every_version_taking_effect(
    published: dict[str, ProcedureVersion],
) -> None:
    fig = indicators(province_scope(PROVINCE), Q1, READ_ON, PROVINCE).figures["publicity_on_time"]
    assert (fig.numerator, fig.denominator) == (1, 3)
    assert fig.ratio == Decimal("0.333333")
    assert fig.points == Decimal("1.33")
    assert not fig.pending


def test_a_commune_counts_the_versions_it_implements(
    published: dict[str, ProcedureVersion],
) -> None:
    ninh_kieu = indicators(_scope("Phường Ninh Kiều"), Q1, READ_ON, PROVINCE)
    fig = ninh_kieu.figures["publicity_on_time"]
    assert (fig.numerator, fig.denominator, fig.points) == (1, 2, Decimal("2.00"))
    rows = {s.scope.name: s for s in ranking(commune_scopes(PROVINCE), Q1, READ_ON, PROVINCE)}
    cai_khe = rows["Phường Cái Khế"].figures["publicity_on_time"]
    assert (cai_khe.numerator, cai_khe.denominator, cai_khe.points) == (0, 1, Decimal("0.00"))
    assert rows["Phường Ninh Kiều"].figures["publicity_on_time"] == fig
    # A commune implementing none of them: nothing to publish, no ratio, no points.
    other = next(
        s for name, s in rows.items() if name not in {"Phường Ninh Kiều", "Phường Cái Khế"}
    ).figures["publicity_on_time"]
    assert (other.numerator, other.denominator, other.points) == (0, 0, None)


def test_nothing_taking_effect_gives_no_number() -> None:
    fig = indicators(province_scope(PROVINCE), Q1, READ_ON, PROVINCE).figures["publicity_on_time"]
    assert (fig.numerator, fig.denominator, fig.ratio, fig.points) == (0, 0, None, None)
    assert figure("publicity_on_time", 3, 4).points == Decimal("3.00")


def test_the_drill_down_lists_the_versions_behind_each_number(
    published: dict[str, ProcedureVersion],
) -> None:
    scope = province_scope(PROVINCE)
    numerator = publication_drill_down(scope, Q1, "numerator", READ_ON, PROVINCE)
    denominator = publication_drill_down(scope, Q1, "denominator", READ_ON, PROVINCE)
    assert [r.version_id for r in numerator] == [str(published["a"].pk)]
    assert {r.version_id for r in denominator} == {str(published[k].pk) for k in "abc"}


def test_the_api_lists_the_versions(
    published: dict[str, ProcedureVersion], ioc_viewer: User
) -> None:
    client = logged_in(ioc_viewer)
    rows = client.get(
        "/api/v1/insights/indicators/publicity_on_time/versions",
        {"period": "2026-Q1", "part": "denominator"},
    ).json()
    by_code = {r["code"]: r for r in rows}
    a = by_code[published["a"].procedure.code_national]
    assert (a["deadline"], a["published_on"], a["status"]) == (
        "2026-03-02",
        "2026-03-02",
        "on_time",
    )
    c = by_code[published["c"].procedure.code_national]
    assert (c["deadline"], c["published_on"], c["status"], c["decision"]) == (
        "2026-02-10",
        None,
        "late",
        "",
    )
    wrong = client.get("/api/v1/insights/indicators/on_time/versions", {"period": "2026-Q1"})
    assert wrong.status_code == 404


def test_the_reports_carry_the_version_counters(published: dict[str, ProcedureVersion]) -> None:
    from motcua.insights.reports import publication_rows

    summary = indicators(province_scope(PROVINCE), Q1, READ_ON, PROVINCE)
    assert publication_rows(summary) == [
        ("TTHC phải công bố (có hiệu lực trong kỳ)", 3),
        ("TTHC công bố đúng hạn", 1),
        ("TTHC chưa công bố, chưa đến hạn", 0),
        ("TTHC công bố trễ hạn hoặc quá hạn chưa công bố", 2),
    ]


def test_the_operations_centre_lists_the_versions_behind_the_figure(
    published: dict[str, ProcedureVersion], ioc_viewer: User
) -> None:
    """The board links the figure to its versions (R-IDX-05: explainable down to the records):
    the numerator is A (on time); the denominator A, B and C with their deadlines and status."""
    client = logged_in(ioc_viewer, verified=True)
    url = "/ioc/chi-so/publicity_on_time/ho-so/"
    numerator = client.get(url, {"ky": "2026-Q1", "phan": "tu-so"}).content.decode()
    denominator = client.get(url, {"ky": "2026-Q1", "phan": "mau-so"}).content.decode()
    a, b, c = (published[k].procedure.code_national for k in ("a", "b", "c"))
    assert "1 phiên bản thủ tục" in numerator
    assert f">{a}<" in numerator
    assert f">{b}<" not in numerator
    assert "3 phiên bản thủ tục" in denominator
    assert all(f">{code}<" in denominator for code in (a, b, c))
    assert "02/03/2026" in denominator  # A's deadline and its publication date
    assert "10/02/2026" in denominator  # C's deadline, Tết skipped
    assert "DEMO-09/QĐ-UBND ngày 03/03/2026" in denominator  # B, published late
    assert denominator.count("Công bố trễ hạn") == 1  # B
    assert denominator.count("Chưa công bố, đã quá hạn") == 1  # C: late, but never published
    board = client.get("/ioc/", {"ky": "2026-Q1"}).content.decode()
    assert "/ioc/chi-so/publicity_on_time/ho-so/" in board
