"""The fault test (issue #7 item 6): the portal fails 30 % of calls and times out on others
while officers drive 2,000 dossiers through their lifecycle. Every status change reaches the
portal exactly once (its own counts prove it), nothing is lost or duplicated, and no officer
action waited for a national system.

Bounded in time: the state changes run in-process through the real actions under a frozen clock
(time_machine); the outbox is then delivered round after round, travelling to each retry's
due time instead of sleeping, with a short client timeout against the real simulator process.
``MOTCUA_FAULT_DOSSIERS`` changes the number of dossiers (bench/exchange.py runs 20,000).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from pytest_django.fixtures import Settings as SettingsWrapper

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.clock import now
from motcua.core.models import OutboxMessage
from motcua.dossiers.actions import (
    ComponentInput,
    do_approve_dossier,
    do_create_dossier,
    do_forward_dossier,
    do_provide_supplement,
    do_receive_dossier,
    do_request_supplement,
    do_return_result,
    do_submit_for_approval,
    do_withdraw_dossier,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import BIRTH, CITIZEN_ID, all_components
from motcua.exchange import outbox
from motcua.exchange.http import breakers
from motcua.worktime.calc import TZ

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National, Sim

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]  # the `national` fixture

#: 2,000 is the issue's figure; the default keeps `make test` bounded (~30 s on SQLite: the real
#: actions cost ~60 ms per dossier and the simulator serialises its writes at ~1.4 ms per call).
#: ``MOTCUA_FAULT_DOSSIERS=2000`` runs the full figure; bench/exchange.py runs 20,000.
DOSSIERS = int(os.environ.get("MOTCUA_FAULT_DOSSIERS", "200"))


@pytest.fixture
def monday() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(datetime(2026, 4, 6, 8, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller


def lifecycle(
    n: int,
    *,
    officer: User,
    specialist: User,
    leader: User,
    counter: Unit,
    competent: Unit,
    components: list[ComponentInput],
) -> Dossier:
    """One dossier's way through the one-stop shop; every 10th is withdrawn after receipt and
    every 7th gets one supplement request after appraisal (R-SUP-02)."""
    dossier = do_create_dossier(
        BIRTH,
        acting_user=officer,
        receiving_unit=counter,
        competent_unit=competent,
        channel="counter",
        applicant_kind="person",
        applicant_name=f"Người nộp {n}",
        applicant_id_number=CITIZEN_ID,
        components=components,
    )
    do_receive_dossier(dossier, acting_user=officer, at_unit=counter)
    if n % 10 == 0:
        return do_withdraw_dossier(dossier, acting_user=officer, at_unit=counter, reason="Rút")
    do_forward_dossier(dossier, acting_user=officer, at_unit=counter)
    if n % 7 == 0:
        do_request_supplement(
            dossier, acting_user=specialist, at_unit=competent, items=[("Tờ khai", "Thiếu chữ ký")]
        )
        do_provide_supplement(dossier, acting_user=officer, at_unit=counter, components=[])
    do_submit_for_approval(dossier, acting_user=specialist, proposal="approved", opinion="Đủ")
    do_approve_dossier(dossier, acting_user=leader)
    return do_return_result(dossier, acting_user=officer, at_unit=counter)


def drain(clock: time_machine.Traveller, rounds: int = 2000) -> int:
    """Deliver until nothing is pending; returns the number of delivery rounds."""
    for done in range(rounds):
        outbox.deliver_outbox(limit=1000)
        upcoming = outbox.next_due_at(last=True)
        if upcoming is None:
            return done
        reopen = breakers.open_systems().values()
        target = max([upcoming, *reopen])
        clock.move_to(max(target, now()) + timedelta(milliseconds=1))
    pytest.fail("the outbox did not drain")


def test_every_state_change_reaches_a_failing_portal_exactly_once(
    national: National,
    settings: SettingsWrapper,
    monday: time_machine.Traveller,
    officer_b: User,
    specialist_a: User,
    leader_a: User,
    psc_b: Unit,
    pc_a: Unit,
) -> None:
    """GIVEN the portal answers 503 to ~30 % of calls and holds ~3 % past the client timeout
    (after committing: a lost reply) WHEN officers drive the dossiers through receipt,
    appraisal, supplement, decision, return or withdrawal THEN every action succeeds at once,
    and after delivery the portal's own counts equal the local state changes per dossier and
    status: nothing lost, nothing duplicated, in order (R-SYNC-04, issue #7 item 6)."""
    portal: Sim = national.fresh("portal")
    settings.MOTCUA_EXCHANGE_TIMEOUT_MS = 150
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 60
    settings.MOTCUA_OUTBOX_CONCURRENCY = 8
    # ~30 % errors, ~3 % lost replies: one configured fault applies to 33 % of calls; of
    # those, 91 % answer 503 and the rest commit and then hold the reply for 5 s.
    portal.inject("error-rate=0.91,timeout-after=5", rate=0.33)
    components = all_components(BIRTH)
    for n in range(1, DOSSIERS + 1):
        lifecycle(
            n,
            officer=officer_b,
            specialist=specialist_a,
            leader=leader_a,
            counter=psc_b,
            competent=pc_a,
            components=components,
        )
        if n % 50 == 0:  # the worker runs while officers work
            outbox.deliver_outbox(limit=1000)
    drain(monday)
    portal.clear()

    sent = OutboxMessage.objects.filter(topic="portal.step")
    assert sent.exclude(status="delivered").count() == 0
    expected: dict[str, Counter[int]] = {}
    for code, payload in sent.order_by("id").values_list("key", "payload"):
        expected.setdefault(code, Counter())[int(payload["status"])] += 1
    assert len(expected) == DOSSIERS
    stats = portal.get("/_sim/stats")
    assert stats["faults"].get("error", 0) > 0.2 * sum(map(sum, expected.values()))
    assert stats["faults"].get("timeout_after", 0) > 0
    mismatched = []
    for code, counts in expected.items():
        got = portal.received(code)
        want = {str(s): n for s, n in sorted(counts.items())}
        if got["status_counts"] != want or got["step_counts"] != want:
            mismatched.append((code, want, got["status_counts"], got["step_counts"]))
    assert mismatched == []
