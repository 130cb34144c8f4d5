"""Released documents travel to the national document axis through the outbox (R-DOC-13):
nothing lost, nothing duplicated under injected faults, the package carries the signed PDF."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.correspondence import edxml
from motcua.correspondence.models import BodyProfile, Document
from motcua.correspondence.tests.factories import DEPARTMENT_CODE, draft, to_released
from motcua.exchange import outbox
from motcua.exchange.http import breakers
from motcua.worktime.calc import TZ

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]  # the `national` fixture
START = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def drain_in_time(clock: time_machine.Traveller, rounds: int = 50) -> None:
    for _ in range(rounds):
        outbox.drain()
        upcoming = outbox.next_due_at()
        if upcoming is None:
            return
        reopen = min(breakers.open_systems().values(), default=upcoming)
        clock.move_to(max(upcoming, reopen) + timedelta(seconds=1))
    pytest.fail("outbox did not drain")


def test_a_released_document_reaches_the_axis_once_despite_faults(
    national: National,
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    tmp_path: Path,
) -> None:
    """GIVEN a released decision addressed to the Department of Justice by its agency code and
    an axis that first fails, then commits but loses its reply WHEN the outbox delivers THEN the
    department's inbox holds exactly one package whose PDF is the document as signed."""
    axis = national.use("docaxis")
    doc = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    doc = Document.objects.get(pk=doc.pk)
    [message] = OutboxMessage.objects.filter(topic="docaxis.send", key=str(doc.pk))
    assert message.idempotency_key == f"docaxis:{doc.pk}:0"
    axis.inject("error", times=1)
    outbox.deliver_outbox()
    axis.inject("timeout-after=5", times=1)
    national.settings.MOTCUA_EXCHANGE_TIMEOUT_MS = 300
    clock.move_to(outbox.next_due_at() + timedelta(seconds=1))  # type: ignore[operator]
    drain_in_time(clock)
    message.refresh_from_db()
    assert message.status == "delivered"
    assert message.attempts == 3
    # The simulator lives for the session: other tests' packages may wait there too.
    inbox = [
        item
        for item in axis.get("/api/edoc/inbox", organ_id=DEPARTMENT_CODE)["items"]
        if item["document_id"] == str(doc.pk)
    ]
    assert len(inbox) == 1
    package = edxml.parse_package(inbox[0]["package"].encode("utf-8"))
    assert package.sender.organ_id == pc_a.eid_code
    assert (package.number, package.notation) == (1, "QĐ-UBND")
    assert package.business_type == edxml.NEW
    assert package.pdf == doc.pdf.read()
    out = tmp_path / "received.pdf"
    out.write_bytes(package.pdf)
    report = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True, check=False)
    assert report.stdout.count("Signature is Valid.") == 2
