"""The indicators whose inputs live in other apps: online payments (R-PAY-04), signed electronic
results (R-RES-05), ratings (R-IDX-04) and the National Portal sync (R-SYNC-04) — on a small
history built through the real actions, with hand-computed expectations; the counters follow
each input as it changes and agree with a rebuild."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings

from contracts import payment as c
from contracts.common import now_ts
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.actions import (
    do_forward_dossier,
    do_record_payment,
    do_request_payment,
    do_return_result,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.exchange import outbox, routing
from motcua.feedback.actions import do_rate_dossier
from motcua.insights import periods
from motcua.insights.models import DossierFact
from motcua.insights.rollups import rebuild, snapshot
from motcua.insights.selectors import (
    Scope,
    catalogue_by_unit,
    commune_scopes,
    drill_down,
    fee_kind,
    indicators,
)
from motcua.insights.tests.test_indicators import approve
from motcua.payments.actions import do_apply_confirmation, do_create_payment_order
from motcua.worktime.calc import TZ
from simulators.tests.conftest import PAYMENT_SECRET

pytestmark = pytest.mark.django_db
PROVINCE = 92
APRIL = periods.make("month", 2026, 4)
_TRANSACTIONS = count(1)


def local(day: int, hour: int) -> datetime:
    return datetime(2026, 4, day, hour, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _payment_secret(settings: Any) -> None:
    settings.MOTCUA_PAYMENT_SECRET = PAYMENT_SECRET


@pytest.fixture
def portal_accepts_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the portal topic, delivered by a handler that accepts (no HTTP in this test)."""
    route = routing.Route("portal.step", lambda envelope: None, "portal", True)
    monkeypatch.setattr(outbox, "routes", lambda: {"portal.step": route})


def pay_online(dossier: Dossier) -> None:
    """The platform confirms the dossier's order with MaLoi 00 (R-PAY-04, R-PAY-07)."""
    order = do_create_payment_order(dossier, acting_user=None)
    callback = c.Callback(
        MaLoi="00",
        MaDoiTac=django_settings.MOTCUA_PAYMENT_MERCHANT,
        MaThamChieu=order.reference,
        SoTien=order.amount,
        MaGiaoDich=f"GD{next(_TRANSACTIONS):08d}",
        MaNganHang="VCB",
        ThoiGianGD=now_ts(),
        ThongTinGiaoDich=order.description,
    )
    callback.MaXacThuc = c.callback_checksum(callback, PAYMENT_SECRET)
    logged = do_apply_confirmation(callback.model_dump(mode="json"), source="callback")
    assert logged.outcome == "accepted"


def _commune_a() -> Scope:
    return next(s for s in commune_scopes(PROVINCE) if s.name == "Phường Ninh Kiều")


@pytest.fixture
def april_history(
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    pc_a: Unit,
    portal_accepts_everything: None,
) -> dict[str, Dossier]:
    """Four dossiers of commune A, April 2026:

    P1 2-day certification, payment requested, paid online (MaLoi 00)  → fee-bearing, paid online
    P2 2-day certification, payment requested, paid at the counter       → fee-bearing only
    P3 birth, approved, returned at the counter, rated 2                 → e-result, not satisfied
    P4 birth, approved, returned at the counter, rated 5                 → e-result, satisfied

    Then the outbox delivers everything to the portal, and P2's payment is recorded afterwards:
    its new state is not on the portal yet (3 of 4 synced).
    """
    d: dict[str, Dossier] = {}
    with time_machine.travel(local(6, 9), tick=False) as traveller:
        for key in ("P1", "P2"):
            d[key] = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        for key in ("P3", "P4"):
            d[key] = received(officer_a, at=psc_a, competent=pc_a)
        for dossier in d.values():
            do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        for key in ("P1", "P2"):
            do_request_payment(d[key], acting_user=specialist_a, amount=50_000, reason="Lệ phí")
        for key in ("P3", "P4"):
            approve(d[key], specialist_a, leader_a)
            do_return_result(d[key], acting_user=officer_a, at_unit=psc_a)
        traveller.move_to(local(7, 10))
        d["P1"].refresh_from_db()
        pay_online(d["P1"])
        do_rate_dossier(d["P3"], score=2, comment="Chờ lâu", channel="portal")
        do_rate_dossier(d["P4"], score=5, comment="", channel="counter_qr")
        traveller.move_to(local(7, 11))
        outbox.drain()
        d["P2"].refresh_from_db()
        do_record_payment(d["P2"], acting_user=specialist_a, reference="BL-0001")
    for dossier in d.values():
        dossier.refresh_from_db()
    return d


def test_payments_ratings_signed_results_and_sync_give_their_figures(
    april_history: dict[str, Dossier],
) -> None:
    """GIVEN the April history WHEN commune A's April figures are read THEN
    online payment 1/2 fee-bearing = 50 % ≥ 30 % → 6 points (R-PAY-04);
    e-result 2/4 (P3, P4 signed) → 6 × 0.5 = 3 points (R-RES-05);
    satisfaction (4 − 1 rated not satisfied)/4 = 75 % → 4.5 points (R-IDX-04);
    synced 3/4 (P2's latest state is still in the outbox) → 4.5 points (R-SYNC-04);
    procedures with online payment: the certification, 1 of the fee-bearing procedures."""
    summary = indicators(_commune_a(), APRIL, date(2026, 4, 30), PROVINCE)
    f = summary.figures
    assert summary.received == 4
    assert (f["online_paid"].numerator, f["online_paid"].denominator) == (1, 2)
    assert f["online_paid"].points == Decimal(6)
    assert (f["e_result"].numerator, f["e_result"].points) == (2, Decimal(3))
    assert (f["satisfaction"].numerator, f["satisfaction"].denominator) == (3, 4)
    assert f["satisfaction"].points == Decimal("4.50")
    assert (summary.counts["rated"], summary.counts["unsatisfied"]) == (2, 1)
    assert (f["synced"].numerator, f["synced"].denominator) == (3, 4)
    assert f["synced"].points == Decimal("4.50")
    assert f["payment_procedures"].numerator == 1
    fee_codes: set[str] = set()
    for unit_id in _commune_a().unit_ids:
        cat = catalogue_by_unit(PROVINCE).get(unit_id)
        fee_codes |= cat.fee if cat else set()
    assert TRANSACTION_CERT in fee_codes
    assert f["payment_procedures"].denominator == len(fee_codes)
    assert not f["online_paid"].pending
    assert not f["payment_procedures"].pending


def test_the_drill_down_of_the_online_payment_rate(april_history: dict[str, Dossier]) -> None:
    """The numerator lists P1; the denominator the two fee-bearing dossiers (R-IDX-05)."""
    d = april_history
    today = date(2026, 4, 30)
    num = drill_down(_commune_a(), APRIL, "online_paid", "numerator", today)
    den = drill_down(_commune_a(), APRIL, "online_paid", "denominator", today)
    assert {x.dossier.code for x in num} == {d["P1"].code}
    assert {x.dossier.code for x in den} == {d["P1"].code, d["P2"].code}
    unsynced = drill_down(_commune_a(), APRIL, "synced", "denominator", today).exclude(synced=True)
    assert {x.dossier.code for x in unsynced} == {d["P2"].code}


def test_each_input_moves_the_counters_and_a_rebuild_agrees(
    april_history: dict[str, Dossier],
) -> None:
    """The counters kept by the hooks (payment event, signed document, rating, delivery) equal a
    rebuild from the source tables (DESIGN §6)."""
    facts = {
        r.pk: (r.paid_online, r.fee_bearing, r.e_result, r.rated, r.unsatisfied, r.synced)
        for r in DossierFact.objects.all()
    }
    d = april_history
    assert facts[d["P1"].pk] == (True, True, False, False, False, True)
    assert facts[d["P2"].pk] == (False, True, False, False, False, False)
    assert facts[d["P3"].pk] == (False, False, True, True, True, True)
    assert facts[d["P4"].pk] == (False, False, True, True, False, True)
    incremental = snapshot()
    assert rebuild() == 4
    assert snapshot() == incremental
    assert incremental.paid_procs == {
        (str(d["P1"].competent_unit_id), date(2026, 4, 1), TRANSACTION_CERT): 1
    }


def test_a_delivery_after_the_last_change_makes_the_dossier_synced(
    april_history: dict[str, Dossier], portal_accepts_everything: None
) -> None:
    """P2's pending message delivered → 4/4 synced (R-SYNC-04)."""
    with time_machine.travel(local(8, 9), tick=False):
        outbox.drain()
    summary = indicators(_commune_a(), APRIL, date(2026, 4, 30), PROVINCE)
    assert (summary.figures["synced"].numerator, summary.figures["synced"].denominator) == (4, 4)


@pytest.mark.parametrize(
    ("rules", "text", "expected"),
    [
        ([{"kind": "per_transaction", "amount": 50000}], "", (True, True)),
        ([{"kind": "free"}], "Miễn phí", (False, False)),
        ([], "Lệ phí: 8.000 đồng/bản sao", (True, False)),
        ([], "Không", (False, False)),
        ([], "", (False, False)),
    ],
)
def test_fee_bearing_and_payable_procedures(
    rules: list[dict[str, Any]], text: str, expected: tuple[bool, bool]
) -> None:
    """A procedure bears a fee when a non-free rule or a stated amount exists; it is payable on
    the National Portal when the catalogue rule computes the amount (R-PAY-03, R-PAY-05)."""
    assert fee_kind(rules, text) == expected


def test_the_certification_is_fee_bearing_and_payable_in_the_catalogue() -> None:
    version = ProcedureVersion.objects.filter(
        procedure__code_national=TRANSACTION_CERT, procedure__province_id=PROVINCE
    ).first()
    assert version is not None
    assert fee_kind(version.fee_rules, version.fee_text) == (True, True)


def test_the_catalogue_stays_in_the_process_behind_a_shared_token() -> None:
    """Read once per process while the shared token lasts; a cleared cache renews it, and a
    token set by another process is adopted, never overwritten (no ping-pong)."""
    from django.core.cache import cache

    first = catalogue_by_unit(PROVINCE)
    assert catalogue_by_unit(PROVINCE) is first
    cache.clear()
    second = catalogue_by_unit(PROVINCE)
    assert second is not first
    assert second == first
    cache.set(f"insights:catalogue:v3:{PROVINCE}", "built-by-another-process", 300)
    third = catalogue_by_unit(PROVINCE)
    assert third is not second
    assert cache.get(f"insights:catalogue:v3:{PROVINCE}") == "built-by-another-process"
    assert catalogue_by_unit(PROVINCE) is third
