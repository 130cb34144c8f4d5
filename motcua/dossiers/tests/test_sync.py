"""National portal sync from the dossier side: the dossier record and the reconcile job
(issue #7 item 5), against the portal simulator over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from pytest_django.fixtures import Settings as SettingsWrapper

from contracts.portal import DossierSync, NationalStatus, ProcessStep, is_allowed_transition
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.dossiers.actions import (
    do_forward_dossier,
    do_provide_supplement,
    do_request_supplement,
    do_send_interagency,
    do_stop_dossier,
    do_withdraw_dossier,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import NATIONAL_CODE, TRANSITIONS
from motcua.dossiers.sync import portal_dossier_fields, reconcile_portal
from motcua.dossiers.tests.factories import BIRTH, all_components, received, submitted
from motcua.exchange import outbox
from motcua.exchange.portal import HttpPortalClient, reported_status
from motcua.worktime.calc import TZ

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]  # the `national` fixture


@pytest.fixture
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def test_the_dossier_record_fills_the_sync_fields_of_the_contract(
    tuesday: None, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN a received birth registration WHEN its portal record is built THEN it validates
    against the portal contract with the procedure, owner, ID and dates (R-SYNC-01, §9.1)."""
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    fields = portal_dossier_fields(dossier)
    record = DossierSync.model_validate({"MaHoSo": dossier.code, "TrangThaiHoSo": 2, **fields})
    assert record.MaTTHC == "1.001193"
    assert record.KenhThucHien == "1"
    assert record.NgayTiepNhan == "20260310090000"
    assert [p.SoDinhDanh for p in record.DinhDanhCHS] == ["092190000001"]
    assert record.NoiNopHoSo == psc_b.eid_code


def test_reconcile_finds_a_lost_state_change_and_sends_it_again(
    national: National, tuesday: None, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN a dossier whose forward (status 4) message was lost before delivery WHEN the
    reconcile job runs THEN it reports the drift (portal 2, local 4), enqueues the missing step
    under its original idempotency key, and after delivery the portal agrees (R-SYNC-04)."""
    portal = national.fresh("portal")
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    assert dossier.code is not None
    lost = OutboxMessage.objects.filter(topic="portal.step", key=dossier.code).order_by("id").last()
    assert lost is not None
    lost_key = lost.idempotency_key
    lost.delete()
    outbox.drain()
    assert portal.received(dossier.code)["TrangThaiHoSo"] == 2

    report = reconcile_portal()
    assert len(report.drift) == 1
    drift = report.drift[0]
    assert (drift.local_status, drift.portal_status, drift.missing_steps) == (4, 2, 1)
    assert OutboxMessage.objects.filter(idempotency_key=lost_key, status="pending").exists()
    outbox.drain()
    got = portal.received(dossier.code)
    assert got["TrangThaiHoSo"] == 4
    assert got["status_counts"] == {"2": 1, "4": 1}
    again = reconcile_portal()
    assert (again.in_sync, again.drift) == (1, [])


def test_reconcile_counts_a_dossier_with_pending_messages_as_in_flight(
    national: National, tuesday: None, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    national.fresh("portal")
    received(officer_b, at=psc_b, competent=pc_a)
    report = reconcile_portal()
    assert (report.checked, report.in_flight, report.drift) == (1, 1, [])


# --------------------------------------------------------------------------- status sequences


@pytest.mark.parametrize("pauses_as_released", [True, False])
def test_the_portal_table_accepts_every_local_transition(
    settings: SettingsWrapper, pauses_as_released: bool
) -> None:
    """GIVEN the local state machine WHEN each of its edges is seen through the national codes
    the portal is sent (R-STATE-01, with and without R-STATE-02) THEN the portal contract's table
    accepts it: no state change the law allows can be dead-lettered as an illegal sequence."""
    settings.MOTCUA_PORTAL_PAUSES_AS_RELEASED = pauses_as_released
    refused = [
        (source.value, target.value)
        for source, targets in TRANSITIONS.items()
        for target in targets
        if not is_allowed_transition(
            NationalStatus(reported_status(NATIONAL_CODE[source])),
            NationalStatus(reported_status(NATIONAL_CODE[target])),
        )
    ]
    assert refused == []


def _delivered_without_dead_letters(code: str) -> None:
    report = outbox.drain()
    assert report.dead == 0, OutboxMessage.objects.filter(status="dead").values("last_error")
    rows = OutboxMessage.objects.filter(topic="portal.step", key=code)
    assert rows.exists()
    assert set(rows.values_list("status", flat=True)) == {"delivered"}


def test_withdrawal_during_inter_agency_processing_reaches_the_portal(
    national: National,
    tuesday: None,
    officer_b: User,
    specialist_a: User,
    psc_b: Unit,
    pc_a: Unit,
    pc_b: Unit,
) -> None:
    """GIVEN a dossier sent to another agency (national 0) WHEN the applicant withdraws (7,
    R-STOP-01/02) THEN the portal accepts 0 → 7: nothing is dead-lettered."""
    portal = national.fresh("portal")
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    do_send_interagency(dossier, acting_user=specialist_a, agency=pc_b, task="Xác minh")
    do_withdraw_dossier(dossier, acting_user=officer_b, at_unit=psc_b, reason="Rút hồ sơ")
    assert dossier.code is not None
    _delivered_without_dead_letters(dossier.code)
    got = portal.received(dossier.code)
    assert got["TrangThaiHoSo"] == 7
    assert got["status_counts"] == {"2": 1, "4": 1, "0": 1, "7": 1}
    assert got["step_counts"] == got["status_counts"]


def _online_before_receipt(officer: User, *, at: Unit, competent: Unit, complete: bool) -> Dossier:
    """A dossier submitted on the national portal: it has its code before receipt and the portal
    already holds it at status 1 with its submission step (R-SYNC-06)."""
    dossier = submitted(officer, at=at, competent=competent, complete=complete)
    code = f"G22.99-260310-{str(dossier.pk)[:8]}"
    Dossier.objects.filter(pk=dossier.pk).update(code=code)
    dossier.code = code
    client = HttpPortalClient()
    record = DossierSync(MaHoSo=code, TrangThaiHoSo=1, MaTTHC=BIRTH, KenhThucHien="2")
    assert client.create(record, idempotency_key=f"dvcqg:{code}").ok
    step = ProcessStep(
        MaHoSo=code, NguoiXuLy="Nguyễn Văn Bé", ThoiDiemXuLy="20260310083000", TrangThai=1
    )
    client.push_steps([step], idempotency_key=f"dvcqg:{code}:step")
    return dossier


def test_withdrawal_of_an_online_dossier_before_receipt_reaches_the_portal(
    national: National, tuesday: None, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN an online dossier the portal holds at 1 WHEN it is withdrawn before receipt THEN
    the portal accepts 1 → 7 (R-STOP-01/02)."""
    portal = national.fresh("portal")
    dossier = _online_before_receipt(officer_b, at=psc_b, competent=pc_a, complete=True)
    do_withdraw_dossier(dossier, acting_user=officer_b, at_unit=psc_b, reason="Rút hồ sơ")
    assert dossier.code is not None
    _delivered_without_dead_letters(dossier.code)
    got = portal.received(dossier.code)
    assert (got["TrangThaiHoSo"], got["status_counts"]) == (7, {"1": 1, "7": 1})


@pytest.mark.parametrize(
    ("pauses_as_released", "statuses", "stopped"),
    [
        # R-STATE-02: the supplement request and the stop are both told as 9.
        (True, {"1": 1, "9": 2}, 9),
        (False, {"1": 1, "5": 1, "8": 1}, 8),
    ],
)
def test_supplement_then_stop_before_receipt_reaches_the_portal(
    national: National,
    settings: SettingsWrapper,
    tuesday: None,
    officer_b: User,
    leader_a: User,
    psc_b: Unit,
    pc_a: Unit,
    pauses_as_released: bool,
    statuses: dict[str, int],
    stopped: int,
) -> None:
    """GIVEN an online dossier at 1 that lacks components WHEN the counter asks for a supplement
    (5, R-RCV-07) and the unit then stops it (8) THEN the portal accepts the sequence, as 1 → 9
    → 9 with the step "Cán bộ trả hồ sơ bổ sung" under R-STATE-02, or as 1 → 5 → 8."""
    settings.MOTCUA_PORTAL_PAUSES_AS_RELEASED = pauses_as_released
    portal = national.fresh("portal")
    dossier = _online_before_receipt(officer_b, at=psc_b, competent=pc_a, complete=False)
    missing = [(c.name, "Chưa nộp") for c in dossier.components.filter(provided=False)]
    do_request_supplement(dossier, acting_user=officer_b, at_unit=psc_b, items=missing)
    do_stop_dossier(dossier, acting_user=leader_a, reason="Quá hạn bổ sung")
    assert dossier.code is not None
    _delivered_without_dead_letters(dossier.code)
    got = portal.received(dossier.code)
    assert (got["TrangThaiHoSo"], got["status_counts"]) == (stopped, statuses)
    steps = [e["payload"] for e in got["events"] if e["kind"] == "step"]
    assert [s["TrangThai"] for s in steps] == [1, *([9, 9] if pauses_as_released else [5, 8])]
    if pauses_as_released:
        assert steps[1]["NoiDungXuLy"].startswith("Cán bộ trả hồ sơ bổ sung")
        assert steps[2]["NoiDungXuLy"].startswith("Dừng xử lý")


def test_a_supplement_reported_as_9_resumes_and_is_withdrawn_on_the_portal(
    national: National, tuesday: None, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN an online dossier asked for a supplement before receipt (told as 9, R-STATE-02)
    WHEN the applicant brings it (back to 1) and then withdraws (7) THEN the portal accepts
    1 → 9 → 1 → 7 and the reconcile job finds it in sync."""
    portal = national.fresh("portal")
    dossier = _online_before_receipt(officer_b, at=psc_b, competent=pc_a, complete=False)
    missing = [(c.name, "Chưa nộp") for c in dossier.components.filter(provided=False)]
    do_request_supplement(dossier, acting_user=officer_b, at_unit=psc_b, items=missing)
    do_provide_supplement(
        dossier, acting_user=officer_b, at_unit=psc_b, components=all_components(BIRTH)
    )
    do_withdraw_dossier(dossier, acting_user=officer_b, at_unit=psc_b, reason="Rút hồ sơ")
    assert dossier.code is not None
    _delivered_without_dead_letters(dossier.code)
    got = portal.received(dossier.code)
    assert got["TrangThaiHoSo"] == 7
    assert [e["status"] for e in got["events"] if e["kind"] == "step"] == [1, 9, 1, 7]
    assert reconcile_portal().drift == []
