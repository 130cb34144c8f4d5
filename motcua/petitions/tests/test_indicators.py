"""R-IDX-02 and R-IDX-03 on a hand-computed history (DOMAIN.md §10.3).

Commune A (its People's Committee), March 2026, 10 working days to handle (default):

=====  ========  =======  =====================================  ==============================
 id    received  due      what happened                          counts as
=====  ========  =======  =====================================  ==============================
 P1    2/3       16/3     answered 5/3, satisfied                in time; satisfied
 P2    2/3       16/3     late complaint 17/3, answered 18/3,    late; subtracted once (R-IDX-03)
                          not satisfied
 P3    3/3       17/3     not within competence (forwarded)      in neither denominator
 P4    3/3       17/3     answered 16/3, not satisfied           in time; subtracted
 P5    4/3       18/3     answered 18/3 (the due date)           in time (dates compared)
 P6    25/3      8/4      open                                   in time while due ≥ E
 P7    5/3       19/3     open, late complaint 20/3              overdue after 19/3; subtracted
 P8    5/3       19/3     commune B, open                        only in the province's figures
 P9    27/2      13/3     answered 3/3                           February: outside the period
=====  ========  =======  =====================================  ==============================

Read on 2/4 (E = 31/3): R-IDX-02 = {P1, P4, P5, P6} / {P1, P2, P4, P5, P6, P7} = 4/6 → 4.00 of
6 points; R-IDX-03 = (6 − {P2, P4, P7}) / 6 = 3/6 → 3.00 points. Province: 4/7 and 4/7 (P8 is
open and overdue, nobody complained). Read on 19/3 instead, P7 is still in time: 5/6.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.insights import selectors
from motcua.insights.periods import Kind, make
from motcua.petitions.actions import (
    do_answer_petition,
    do_complain_late,
    do_mark_not_competent,
    do_record_response,
)
from motcua.petitions.indicators import PetitionFacts, Tally
from motcua.petitions.models import Petition
from motcua.petitions.tests.conftest import file, local
from motcua.petitions.tokens import make_token

pytestmark = pytest.mark.django_db
PROVINCE = 92
MARCH = make(Kind.MONTH, 2026, 3)


def _answer(p: Petition, user: User) -> None:
    do_answer_petition(p, answer="Đã xem xét và giải quyết nội dung.", acting_user=user)


def _respond(p: Petition, *, satisfied: bool) -> None:
    do_record_response(p, satisfied=satisfied, token=make_token(p.pk))


@pytest.fixture
def history(traveller: Any, pc_a: Unit, pc_b: Unit, specialist_a: User) -> dict[str, Petition]:
    at = traveller.move_to
    at(local(2, 27))
    p9 = file(pc_a)
    at(local(3, 2))
    p1, p2 = file(pc_a), file(pc_a)
    at(local(3, 3))
    p3, p4 = file(pc_a), file(pc_a)
    _answer(p9, specialist_a)
    do_mark_not_competent(p3, reason="Thuộc thẩm quyền Sở Xây dựng", acting_user=specialist_a)
    at(local(3, 4))
    p5 = file(pc_a)
    at(local(3, 5))
    p7, p8 = file(pc_a), file(pc_b)
    _answer(p1, specialist_a)
    _respond(p1, satisfied=True)
    at(local(3, 16))
    _answer(p4, specialist_a)
    _respond(p4, satisfied=False)
    at(local(3, 17))
    do_complain_late(p2, token=make_token(p2.pk))
    at(local(3, 18))
    _answer(p2, specialist_a)
    _respond(p2, satisfied=False)
    _answer(p5, specialist_a)
    at(local(3, 20))
    do_complain_late(p7, token=make_token(p7.pk))
    at(local(3, 25))
    p6 = file(pc_a)
    at(local(4, 2))
    return {"P1": p1, "P2": p2, "P3": p3, "P4": p4, "P5": p5, "P6": p6, "P7": p7, "P8": p8}


def _commune_a() -> selectors.Scope:
    return next(s for s in selectors.commune_scopes(PROVINCE) if s.name == "Phường Ninh Kiều")


def test_the_deadlines_of_the_history(history: dict[str, Petition]) -> None:
    due = {k: p.due_on for k, p in history.items()}
    assert due == {
        "P1": date(2026, 3, 16),
        "P2": date(2026, 3, 16),
        "P3": date(2026, 3, 17),
        "P4": date(2026, 3, 17),
        "P5": date(2026, 3, 18),
        "P6": date(2026, 4, 8),
        "P7": date(2026, 3, 19),
        "P8": date(2026, 3, 19),
    }


def test_commune_figures_by_hand(history: dict[str, Petition]) -> None:
    summary = selectors.indicators(_commune_a(), MARCH, date(2026, 4, 2), PROVINCE)
    on_time = summary.figures["feedback_on_time"]
    assert (on_time.numerator, on_time.denominator) == (4, 6)
    assert on_time.percent == Decimal("66.67")
    assert on_time.points == Decimal("4.00")
    assert not on_time.pending
    satisfaction = summary.figures["feedback_satisfaction"]
    assert (satisfaction.numerator, satisfaction.denominator) == (3, 6)
    assert satisfaction.points == Decimal("3.00")
    t = summary.petitions
    assert (t.answered, t.answered_late, t.open_in_time, t.open_overdue, t.not_competent) == (
        4,
        1,
        1,
        1,
        1,
    )


def test_province_figures_include_commune_b(history: dict[str, Petition]) -> None:
    summary = selectors.indicators(
        selectors.province_scope(PROVINCE), MARCH, date(2026, 4, 2), PROVINCE
    )
    assert (
        summary.figures["feedback_on_time"].numerator,
        summary.figures["feedback_on_time"].denominator,
    ) == (4, 7)
    assert summary.figures["feedback_satisfaction"].numerator == 4


def test_an_open_petition_is_in_time_until_its_due_date(history: dict[str, Petition]) -> None:
    on_19 = selectors.indicators(_commune_a(), MARCH, date(2026, 3, 19), PROVINCE)
    on_20 = selectors.indicators(_commune_a(), MARCH, date(2026, 3, 20), PROVINCE)
    assert on_19.figures["feedback_on_time"].numerator == 5
    assert on_20.figures["feedback_on_time"].numerator == 4


def test_the_period_is_the_month_of_receipt(history: dict[str, Petition]) -> None:
    february = selectors.indicators(
        _commune_a(), make(Kind.MONTH, 2026, 2), date(2026, 4, 2), PROVINCE
    )
    assert (february.figures["feedback_on_time"].numerator,) == (1,)  # P9 only
    assert february.figures["feedback_on_time"].denominator == 1
    april = selectors.indicators(
        _commune_a(), make(Kind.MONTH, 2026, 4), date(2026, 4, 2), PROVINCE
    )
    assert april.figures["feedback_on_time"].ratio is None  # nothing received: no number


def test_the_drill_down_lists_exactly_the_counted_petitions(history: dict[str, Petition]) -> None:
    def codes(code: str, part: str) -> set[str]:
        rows = selectors.petition_drill_down(_commune_a(), MARCH, code, part, date(2026, 4, 2))
        names = {p.code: k for k, p in history.items()}
        return {names[c] for c in rows.values_list("code", flat=True)}

    assert codes("feedback_on_time", "numerator") == {"P1", "P4", "P5", "P6"}
    assert codes("feedback_on_time", "denominator") == {"P1", "P2", "P4", "P5", "P6", "P7"}
    assert codes("feedback_satisfaction", "numerator") == {"P1", "P5", "P6"}


def test_the_ranking_and_the_board_use_the_same_numbers(history: dict[str, Petition]) -> None:
    from motcua.insights import board

    ranked = selectors.ranking(
        selectors.commune_scopes(PROVINCE), MARCH, date(2026, 4, 2), PROVINCE
    )
    a = next(r for r in ranked if r.scope.name == "Phường Ninh Kiều")
    assert a.figures["feedback_on_time"].numerator == 4
    built = board.build(MARCH, date(2026, 4, 2), PROVINCE)
    assert built.province.figures["feedback_satisfaction"].numerator == 4
    b = next(
        r
        for r in [*built.communes, *built.unranked_communes]  # no dossiers: listed apart
        if r.scope.name == "Phường Cái Khế"
    )
    assert (b.figures["feedback_on_time"].numerator, b.figures["feedback_on_time"].denominator) == (
        0,
        1,
    )


def test_api_and_operations_centre_show_numbers_and_the_petitions_behind(
    history: dict[str, Petition], ioc_viewer: User
) -> None:
    client = logged_in(ioc_viewer)
    key = _commune_a().key
    body = client.get(f"/api/v1/insights/indicators?scope={key}&period=2026-M03").json()
    fig = next(f for f in body["figures"] if f["code"] == "feedback_on_time")
    assert (fig["numerator"], fig["denominator"], fig["pending"]) == (4, 6, "")
    assert body["formula_version"] == "766-2026.5"
    rows = client.get(
        f"/api/v1/insights/indicators/feedback_on_time/petitions?scope={key}&period=2026-M03"
    ).json()
    assert sorted(r["code"] for r in rows) == sorted(
        history[k].code for k in ("P1", "P4", "P5", "P6")
    )
    assert "petitioner_phone" not in rows[0]
    page = client.get(
        f"/ioc/chi-so/feedback_satisfaction/ho-so/?pham-vi={key}&ky=2026-M03&phan=mau-so"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert history["P7"].code in html
    assert history["P3"].code not in html  # not within competence
    assert "6 phản ánh, kiến nghị" in html
    commune = client.get(f"/ioc/xa/{_commune_a().commune_code}/?ky=2026-M03").content.decode()
    assert "/ioc/chi-so/feedback_on_time/ho-so/" in commune


def test_the_pure_rule_agrees_with_itself_on_edge_cases() -> None:
    t = Tally()
    due = date(2026, 3, 16)
    t.add(PetitionFacts("answered", due, date(2026, 3, 16), False, False), date(2026, 3, 31))
    t.add(PetitionFacts("answered", due, date(2026, 3, 17), True, True), date(2026, 3, 31))
    t.add(PetitionFacts("in_progress", due, None, False, False), date(2026, 3, 16))
    t.add(PetitionFacts("not_competent", due, None, True, True), date(2026, 3, 31))
    assert (t.competent, t.in_time, t.dissatisfied, t.satisfied, t.not_competent) == (3, 2, 1, 2, 1)


def test_reports_carry_the_figures_and_the_petition_counters(history: dict[str, Petition]) -> None:
    import io

    from openpyxl import load_workbook

    from motcua.insights import reports

    content = reports.collect(_commune_a().key, MARCH, date(2026, 4, 2), PROVINCE)
    wb = load_workbook(io.BytesIO(reports.build_xlsx(content)))
    rows = {r[0]: r for r in wb["Chỉ số 766"].iter_rows(values_only=True) if r and r[0]}
    assert rows["feedback_on_time"][3:7] == (4, 6, 66.67, 4.0)
    assert rows["feedback_satisfaction"][3:5] == (3, 6)
    counters = dict(r[:2] for r in wb["Số liệu"].iter_rows(values_only=True))
    assert counters["PAKN đang xử lý quá hạn"] == 1
    assert counters["PAKN không thuộc thẩm quyền (đã chuyển)"] == 1
    assert reports.build_pdf(content).startswith(b"%PDF")
