"""Decision 766 indicators on a small history built through the real actions, with hand-computed
expectations (R-IDX-05..08, R-TIME-14/15, R-LATE-07)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import (
    Applicant,
    Filing,
    do_approve_dossier,
    do_create_dossier,
    do_extend_deadline,
    do_forward_dossier,
    do_receive_dossier,
    do_refuse_after_appraisal,
    do_refuse_at_receipt,
    do_request_supplement,
    do_submit_for_approval,
    do_withdraw_dossier,
)
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.tests.factories import (
    CITIZEN_ID,
    TRANSACTION_CERT,
    all_components,
    received,
    submitted,
)
from motcua.insights import periods
from motcua.insights.formulas import Band
from motcua.insights.models import DossierFact
from motcua.insights.rollups import rebuild, snapshot
from motcua.insights.selectors import (
    Scope,
    commune_scopes,
    drill_down,
    indicators,
    province_scope,
    ranking,
)
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db
PROVINCE = 92
MARCH = periods.make("month", 2026, 3)


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def approve(dossier: Dossier, specialist: User, leader: User) -> None:
    do_submit_for_approval(dossier, acting_user=specialist, proposal="approved", opinion="Đủ")
    do_approve_dossier(dossier, acting_user=leader)


@pytest.fixture
def march_history(
    officer_a: User,
    officer_b: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    psc_b: Unit,
    pc_a: Unit,
) -> dict[str, Dossier]:
    """Eight dossiers of commune A (competent: its People's Committee), March 2026:

    D1 birth, filed at commune B's counter, resolved the same day       → on time (=)
    D2 2-day certification, apology to 17/3, resolved 16/3 (due 12/3)    → LATE (R-LATE-07)
    D3 2-day, supplement requested 11/3 (clock stopped), still waiting   → open, in time
    D4 2-day, due 12/3, still in appraisal                               → open, overdue at 31/3
    D5 birth, withdrawn the day it was received                          → ended in time
    D6 birth, refused at the counter                                     → never counted
    D7 birth, refused after appraisal the same day (Form 03 is a result) → on time
    D8 2-day, online, reused component, result online on 11/3            → early
    """
    d: dict[str, Dossier] = {}
    with time_machine.travel(local(3, 10, 9), tick=False) as traveller:
        d["D1"] = received(officer_b, at=psc_b, competent=pc_a)
        d["D2"] = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        d["D3"] = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        d["D4"] = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        d["D5"] = received(officer_a, at=psc_a, competent=pc_a)
        d["D6"] = submitted(officer_a, at=psc_a, competent=pc_a)
        d["D7"] = received(officer_a, at=psc_a, competent=pc_a)
        d8 = do_create_dossier(
            Filing(
                procedure_code=TRANSACTION_CERT,
                receiving_unit=psc_a,
                competent_unit=pc_a,
                channel="online",
                result_delivery="online",
                components=tuple(all_components(TRANSACTION_CERT)),
                applicant=Applicant(kind="person", name="Trần Thị Tám", id_number=CITIZEN_ID),
            ),
            acting_user=None,
        )
        DossierComponent.objects.filter(dossier=d8).update(digitization=2)  # reused (R-DIG-01)
        do_receive_dossier(d8, acting_user=officer_a, at_unit=psc_a)
        d["D8"] = d8
        do_forward_dossier(d["D1"], acting_user=officer_b, at_unit=psc_b)
        approve(d["D1"], specialist_a, leader_a)
        for key in ("D2", "D3", "D4", "D7", "D8"):
            do_forward_dossier(d[key], acting_user=officer_a, at_unit=psc_a)
        do_withdraw_dossier(d["D5"], acting_user=officer_a, at_unit=psc_a, reason="Xin rút")
        do_refuse_at_receipt(d["D6"], acting_user=officer_a, at_unit=psc_a, reason="Sai thủ tục")
        do_refuse_after_appraisal(d["D7"], acting_user=leader_a, reason="Không đủ điều kiện")
        traveller.move_to(local(3, 11, 10))
        do_request_supplement(
            d["D3"], acting_user=specialist_a, at_unit=pc_a, items=[("Hợp đồng", "Thiếu trang 2")]
        )
        approve(d["D8"], specialist_a, leader_a)
        traveller.move_to(local(3, 11, 16))
        do_extend_deadline(
            d["D2"],
            acting_user=specialist_a,
            new_due_at=local(3, 17, 17),
            reason="Chờ xác minh của cơ quan khác",
        )
        traveller.move_to(local(3, 16, 10))
        approve(d["D2"], specialist_a, leader_a)
    for dossier in d.values():
        dossier.refresh_from_db()
    return d


def _commune_a() -> Scope:
    return next(s for s in commune_scopes(PROVINCE) if s.name == "Phường Ninh Kiều")


def codes(rows: object) -> set[str]:
    return {f.dossier.code for f in rows}  # type: ignore[attr-defined]


def test_the_on_time_rate_of_a_commune_counts_what_decision_766_counts(
    march_history: dict[str, Dossier],
) -> None:
    """GIVEN the eight March dossiers of commune A WHEN its March figures are read on 31/3
    THEN 7 are received (D6 refused at the counter is not, R-IDX-06) and 5 are in time: D1 and
    D7 on the due date, D8 early (R-TIME-14), D5 withdrawn before its deadline, D3 waiting for a
    supplement since before its deadline (R-TIME-13); D2 is late although its apology moved the
    date (R-LATE-07) and D4 is open past its deadline at the period end (R-TIME-15).
    On time 5/7 = 71.43 %, 20 × 5/7 = 14.29 points."""
    scope = _commune_a()
    summary = indicators(scope, MARCH, date(2026, 3, 31), PROVINCE)
    on_time = summary.figures["on_time"]
    assert (on_time.numerator, on_time.denominator) == (5, 7)
    assert on_time.percent == Decimal("71.43")
    assert on_time.points == Decimal("14.29")
    assert (summary.open_in_time, summary.open_overdue) == (1, 1)
    assert summary.counts["early"] == 1
    assert summary.counts["on_time"] == 2
    assert summary.counts["late"] == 1
    assert summary.counts["withdrawn"] == 1
    online = summary.figures["online_applied"]
    assert (online.numerator, online.denominator) == (1, 7)
    assert online.points == Decimal(3)  # below 50 %: 3 points [IMPL]
    # D1, D2, D8 approved and D7 refused: each has its signed result or refusal (R-RES-05), so
    # 4/7 have an electronic result and 4/7 are digitized (R-DIG-02: D8's reused components
    # count once); below 80 %: 3.2 points; e-result 6 × 4/7 = 3.43.
    assert (summary.figures["digitized"].numerator, summary.figures["reused"].numerator) == (4, 1)
    assert summary.figures["digitized"].points == Decimal("3.2")
    assert (summary.figures["e_result"].numerator, summary.figures["e_result"].denominator) == (
        4,
        7,
    )
    assert summary.figures["e_result"].points == Decimal("3.43")
    paid = summary.figures["online_paid"]
    assert (paid.numerator, paid.denominator, paid.ratio) == (0, 0, None)  # nothing fee-bearing
    assert not paid.pending
    synced = summary.figures["synced"]  # nothing delivered to the portal yet (R-SYNC-04)
    assert (synced.numerator, synced.denominator, synced.points) == (0, 7, Decimal(0))
    satisfaction = summary.figures["satisfaction"]  # nobody rated: 7/7 (R-IDX-04)
    assert (satisfaction.numerator, satisfaction.points) == (7, Decimal(6))
    pakn = summary.figures["feedback_on_time"]  # no petitions received: no ratio, not pending
    assert (pakn.numerator, pakn.denominator, pakn.ratio) == (0, 0, None)
    assert not pakn.pending
    assert summary.score.band == Band.INCOMPLETE


def test_a_complaint_about_a_dossier_counts_against_satisfaction(
    march_history: dict[str, Dossier], leader_a: User
) -> None:
    """GIVEN the seven received March dossiers of commune A, nobody rating WHEN a citizen files a
    feedback (phản ánh) about D2 and a proposal (kiến nghị) about D4 THEN R-IDX-04 counts 6/7
    (a proposal is not a complaint): 6 × 6/7 = 5.14 points, and the drill-down names D2; WHEN
    the unit forwards the D2 feedback as outside its competence THEN it is 7/7 again. The
    rebuild agrees."""
    from motcua.petitions.actions import PetitionContent, do_file_petition, do_mark_not_competent

    d = march_history
    scope = _commune_a()
    today = date(2026, 3, 31)

    def satisfaction() -> tuple[int | None, Decimal | None]:
        fig = indicators(scope, MARCH, today, PROVINCE).figures["satisfaction"]
        assert fig.denominator == 7
        assert not fig.pending
        return fig.numerator, fig.points

    complaint = do_file_petition(
        PetitionContent(
            unit=None,
            kind="phan_anh",
            subject="Trả kết quả chậm",
            content="Hồ sơ trễ hẹn mà không có thư xin lỗi.",
            name="Nguyễn Văn Bé",
            phone="0901234567",
            dossier_code=d["D2"].code or "",
        )
    )
    do_file_petition(
        PetitionContent(
            unit=None,
            kind="kien_nghi",
            subject="Kiến nghị",
            content="Đề nghị bố trí thêm ghế chờ.",
            name="Nguyễn Văn Bé",
            phone="0901234567",
            dossier_code=d["D4"].code or "",
        )
    )
    assert satisfaction() == (6, Decimal("5.14"))
    assert codes(drill_down(scope, MARCH, "satisfaction", "numerator", today)) == {
        d[k].code for k in ("D1", "D3", "D4", "D5", "D7", "D8")
    }
    incremental = snapshot()
    rebuild()
    assert snapshot() == incremental

    do_mark_not_competent(complaint, reason="Thuộc thẩm quyền cơ quan khác", acting_user=leader_a)
    assert satisfaction() == (7, Decimal(6))


def test_an_open_dossier_is_in_time_until_its_original_due_date(
    march_history: dict[str, Dossier],
) -> None:
    """GIVEN D4 due 12/3 and still in appraisal WHEN March is read on 12/3 THEN D4 counts in time
    (due ≥ evaluation date, R-TIME-15): 6/7; read on 13/3 it is overdue: 5/7."""
    scope = _commune_a()
    on_12 = indicators(scope, MARCH, date(2026, 3, 12), PROVINCE).figures["on_time"]
    on_13 = indicators(scope, MARCH, date(2026, 3, 13), PROVINCE).figures["on_time"]
    assert (on_12.numerator, on_13.numerator) == (6, 5)


def test_a_quarter_and_the_year_add_up_the_months(march_history: dict[str, Dossier]) -> None:
    """GIVEN only March dossiers WHEN Q1, the first 6 months and 2026 are read THEN each has the
    March figures (R-IDX-05: periods are sums of months); April has none and no ratio."""
    scope = _commune_a()
    today = date(2026, 12, 31)
    for key in ("2026-Q1", "2026-6T", "2026-9T", "2026"):
        fig = indicators(scope, periods.parse(key), today, PROVINCE).figures["on_time"]
        assert (fig.numerator, fig.denominator) == (5, 7), key
    april = indicators(scope, periods.parse("2026-M04"), today, PROVINCE).figures["on_time"]
    assert april.denominator == 0
    assert april.ratio is None


def test_the_drill_down_lists_exactly_the_dossiers_behind_the_number(
    march_history: dict[str, Dossier],
) -> None:
    """GIVEN the March history WHEN the on-time numerator and denominator are opened THEN they
    list D1, D3, D5, D7, D8 and the seven received dossiers (R-IDX-05)."""
    d = march_history
    scope = _commune_a()
    today = date(2026, 3, 31)
    num = drill_down(scope, MARCH, "on_time", "numerator", today)
    den = drill_down(scope, MARCH, "on_time", "denominator", today)
    assert codes(num) == {d[k].code for k in ("D1", "D3", "D5", "D7", "D8")}
    assert codes(den) == {d[k].code for k in ("D1", "D2", "D3", "D4", "D5", "D7", "D8")}
    late = drill_down(scope, MARCH, "late", "numerator", today)
    assert codes(late) == {d["D2"].code}
    overdue = drill_down(scope, MARCH, "open_overdue", "numerator", today)
    assert codes(overdue) == {d["D4"].code}


def test_boundary_free_receipts_count_where_filed_against_where_competent(
    march_history: dict[str, Dossier], psc_b: Unit
) -> None:
    """GIVEN D1 filed at commune B's counter for commune A WHEN the receipts are read THEN commune
    B received 1 dossier of another commune (1/1), commune A 0 of 6, the province 1 of 7
    (R-ORG-02, R-ORG-04)."""
    today = date(2026, 3, 31)
    b = next(s for s in commune_scopes(PROVINCE) if s.name == "Phường Cái Khế")
    fig_b = indicators(b, MARCH, today, PROVINCE).figures["boundary_free"]
    fig_a = indicators(_commune_a(), MARCH, today, PROVINCE).figures["boundary_free"]
    fig_p = indicators(province_scope(PROVINCE), MARCH, today, PROVINCE).figures["boundary_free"]
    assert (fig_b.numerator, fig_b.denominator) == (1, 1)
    assert (fig_a.numerator, fig_a.denominator) == (0, 6)
    assert (fig_p.numerator, fig_p.denominator) == (1, 7)
    assert psc_b.pk in b.unit_ids


def test_the_ranking_puts_every_commune_in_order_and_commune_a_first(
    march_history: dict[str, Dossier],
) -> None:
    """R-IDX-07: the communes with dossiers ranked by total points, then group points; the
    others follow, unranked (issue #14 item 7)."""
    rows = ranking(commune_scopes(PROVINCE), MARCH, date(2026, 3, 31), PROVINCE)
    assert len(rows) == 103
    assert rows[0].scope.name == "Phường Ninh Kiều"
    ranked = [r for r in rows if r.rank is not None]
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(r.received for r in ranked)
    assert all(not r.received for r in rows[len(ranked) :])
    totals = [r.score.total for r in ranked]
    assert totals == sorted(totals, reverse=True)


def test_the_rebuild_gives_the_counters_the_events_built(
    march_history: dict[str, Dossier],
) -> None:
    """The incremental counters of the March history equal a rebuild from the events."""
    incremental = snapshot()
    facts = set(DossierFact.objects.values_list("pk", "outcome", "open_until"))
    assert rebuild() == 7
    assert snapshot() == incremental
    assert set(DossierFact.objects.values_list("pk", "outcome", "open_until")) == facts


def test_the_rollups_command_checks_and_rebuilds(march_history: dict[str, Dossier]) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rollups", "check", stdout=out, stderr=StringIO())
    assert "differences=0" in out.getvalue()
    call_command("rollups", "rebuild", stdout=out, stderr=StringIO())
    assert "rebuilt facts=7" in out.getvalue()


def test_insights_registers_its_reactions_once_in_ready() -> None:
    """dossiers may not import insights (layers): insights registers its reactions to the
    events of the apps below it, explicitly, in its AppConfig.ready (issue #13)."""
    from motcua.core import events
    from motcua.insights import reactions

    reactions.register()  # again: a no-op
    assert events.reactions_for("dossier:state:received") == [reactions.state_changed]
    assert events.reactions_for("dossier:deadline:redated") == [reactions.redated]
    assert events.reactions_for("dossier:payment:paid") == [reactions.input_changed]
    assert events.reactions_for("dossier:result:signed") == [reactions.input_changed]
    assert events.reactions_for("outbox:delivered:portal.step") == [reactions.delivered]
    assert events.reactions_for("dossier:deadline:extended") == []
