"""National portal sync from the dossier side: the dossier record and the reconcile job
(issue #7 item 5), against the portal simulator over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
import time_machine

from contracts.portal import DossierSync
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.dossiers.actions import do_forward_dossier
from motcua.dossiers.sync import portal_dossier_fields, reconcile_portal
from motcua.dossiers.tests.factories import received
from motcua.exchange import outbox
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
