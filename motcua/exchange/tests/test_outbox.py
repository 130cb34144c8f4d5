"""Outbox delivery to the portal and SMS simulators over real HTTP (issue #7 items 2 and 5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.db import transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from motcua.core.clock import now
from motcua.core.models import OutboxMessage
from motcua.core.outbox import enqueue
from motcua.exchange import outbox, routing
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


def step(code: str, status: int, minute: int = 0) -> dict[str, object]:
    at = f"20260310{9 + minute // 60:02d}{minute % 60:02d}00"
    return {
        "status": status,
        "step": {
            "MaHoSo": code,
            "NguoiXuLy": "Trần Văn Bình",
            "ChucDanh": "Chuyên viên",
            "ThoiDiemXuLy": at,
            "PhongBanXuLy": "UBND phường Ninh Kiều",
            "NoiDungXuLy": f"Bước {status}",
            "TrangThai": status,
            "NgayBatDau": at,
            "NgayKetThucTheoQuyDinh": "",
        },
    }


def put(code: str, *statuses: int) -> list[OutboxMessage]:
    with transaction.atomic():
        return [
            enqueue(
                topic="portal.step",
                key=code,
                payload=step(code, s, i),
                idempotency_key=f"portal:{code}:{i + 1}",
            )
            for i, s in enumerate(statuses)
        ]


def drain_in_time(clock: time_machine.Traveller, rounds: int = 50) -> None:
    """Deliver until nothing is pending, travelling to each retry instead of sleeping."""
    for _ in range(rounds):
        outbox.drain()
        upcoming = outbox.next_due_at()
        if upcoming is None:
            return
        reopen = min(breakers.open_systems().values(), default=upcoming)
        clock.move_to(max(upcoming, reopen) + timedelta(seconds=1))
    pytest.fail("outbox did not drain")


def test_each_state_change_reaches_the_portal_once_with_its_process_step(
    national: National, clock: time_machine.Traveller
) -> None:
    """GIVEN a received dossier that is processed, decided and returned WHEN the outbox is
    delivered THEN the portal created it with status 2 and holds one update per later status and
    one process step per change (R-SYNC-01, R-SYNC-04, R-SYNC-05)."""
    portal = national.use("portal")
    code = "000.00.01.H26-260310-0001"
    put(code, 2, 4, 4, 9, 10)
    outbox.drain()
    got = portal.received(code)
    assert got["TrangThaiHoSo"] == 10
    assert got["status_counts"] == {"2": 1, "4": 2, "9": 1, "10": 1}
    assert got["step_counts"] == {"2": 1, "4": 2, "9": 1, "10": 1}
    assert [e["kind"] for e in got["events"]][:2] == ["dossier", "step"]
    assert got["events"][0]["payload"]["NgayTiepNhan"] == "20260310090000"
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_lost_reply_is_sent_again_without_a_second_effect(
    national: National, clock: time_machine.Traveller, settings: SettingsWrapper
) -> None:
    """GIVEN the portal commits the create but the reply never arrives (timeout-after) WHEN the
    outbox retries with the same Idempotency-Key THEN the portal replays its stored reply and
    counts the status once (issue #7 item 6)."""
    portal = national.use("portal")
    settings.MOTCUA_EXCHANGE_TIMEOUT_MS = 300
    code = "000.00.01.H26-260310-0002"
    [message] = put(code, 2)
    portal.inject("timeout-after=5", times=1)
    report = outbox.deliver_outbox()
    assert (report.claimed, report.retried, report.errors) == (1, 1, {"ExchangeTimeout": 1})
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.next_attempt_at > now()
    assert "ExchangeTimeout" in message.last_error
    drain_in_time(clock)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 2)
    assert portal.received(code)["status_counts"] == {"2": 1}


def test_a_later_status_waits_while_an_earlier_one_of_the_same_dossier_is_pending(
    national: National, clock: time_machine.Traveller
) -> None:
    """GIVEN the portal fails the first call WHEN the outbox runs THEN the dossier's status 4 is
    not sent before its status 2, while another dossier's messages go through."""
    portal = national.use("portal")
    first, second = "000.00.01.H26-260310-0003", "000.00.01.H26-260310-0004"
    put(first, 2, 4)
    put(second, 2)
    portal.inject("error", times=1)
    report = outbox.deliver_outbox()
    assert report.claimed == 2  # the heads of both keys, never first's status 4
    assert OutboxMessage.objects.get(idempotency_key=f"portal:{first}:2").attempts == 0
    drain_in_time(clock)
    assert portal.received(first)["status_counts"] == {"2": 1, "4": 1}
    assert [e["status"] for e in portal.received(first)["events"]] == [2, 2, 4, 4]


def test_a_refused_message_is_dead_lettered_at_once_and_holds_back_its_dossier(
    national: National, clock: time_machine.Traveller, admin_user: object
) -> None:
    """GIVEN a first message the portal refuses ("-3": status 4 cannot create a dossier) WHEN
    delivered THEN it is a dead letter after one attempt and the dossier's next message waits
    behind it; replaying it unchanged gets the same refusal (permanent errors do not heal)."""
    national.use("portal")
    code = "000.00.01.H26-260310-0005"
    bad, later = put(code, 4, 9)
    outbox.drain()
    bad.refresh_from_db()
    later.refresh_from_db()
    assert (bad.status, bad.attempts) == ("dead", 1)
    assert "-3" in bad.last_error
    assert (later.status, later.attempts) == ("pending", 0)
    assert outbox.replay_dead_letter(bad.pk, acting_user=admin_user)
    outbox.drain()
    bad.refresh_from_db()
    assert (bad.status, bad.attempts) == ("dead", 1)  # reset by the replay, tried once more


def test_it_dead_letters_after_the_last_attempt_and_a_replay_delivers_it_in_order(
    national: National,
    clock: time_machine.Traveller,
    settings: SettingsWrapper,
    admin_user: object,
) -> None:
    """GIVEN a portal that keeps failing WHEN the attempts run out THEN the message is a dead
    letter with its last error and the dossier's later message waits; once the portal is back an
    operator's replay delivers both, in order: nothing was lost."""
    portal = national.use("portal")
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 3
    settings.MOTCUA_EXCHANGE_BREAKER_FAILURES = 100
    code = "000.00.01.H26-260310-0006"
    message, later = put(code, 2, 4)
    portal.inject("error")
    drain_in_time(clock)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("dead", 3)
    assert "ExchangeUnavailable" in message.last_error
    assert OutboxMessage.objects.get(pk=later.pk).status == "pending"
    portal.clear()
    assert outbox.replay_dead_letter(message.pk, acting_user=admin_user)
    drain_in_time(clock)
    assert portal.received(code)["status_counts"] == {"2": 1, "4": 1}


def test_two_workers_never_take_the_same_message(
    national: National, clock: time_machine.Traveller
) -> None:
    """GIVEN worker A has claimed the due messages WHEN worker B claims THEN it gets none; when
    A's lease runs out B may take them, and A's late outcome is dropped."""
    national.use("portal")
    put("000.00.01.H26-260310-0007", 2)
    mine, token_a = outbox.claim(10)
    theirs, _ = outbox.claim(10)
    assert (len(mine), len(theirs)) == (1, 0)
    clock.shift(timedelta(seconds=200))  # past the lease
    theirs, token_b = outbox.claim(10)
    assert len(theirs) == 1
    envelope = routing.Envelope(mine[0].id, "portal.step", mine[0].key, mine[0].payload, "x", 1)
    report = outbox.DeliveryReport()
    outbox._record_delivered([envelope], token_a, report)  # A comes back late: ignored
    assert OutboxMessage.objects.get(pk=mine[0].pk).status == "pending"
    outbox._record_delivered([envelope], token_b, report)
    assert OutboxMessage.objects.get(pk=mine[0].pk).status == "delivered"


def test_an_open_circuit_defers_delivery_without_spending_attempts(
    national: National, clock: time_machine.Traveller, settings: SettingsWrapper
) -> None:
    """GIVEN the portal failed three times in a row WHEN the breaker is open THEN no portal
    message is claimed until the cool-down ends, and then they are delivered."""
    portal = national.use("portal")
    settings.MOTCUA_EXCHANGE_BREAKER_FAILURES = 3
    settings.MOTCUA_OUTBOX_CONCURRENCY = 1
    codes = [f"000.00.01.H26-260310-001{i}" for i in range(5)]
    for code in codes:
        put(code, 2)
    portal.inject("error")
    report = outbox.deliver_outbox()
    assert "portal" in breakers.open_systems()
    assert (report.retried, report.deferred) == (3, 2)
    assert outbox.deliver_outbox().claimed == 0  # breaker open: nothing claimed
    portal.clear()
    drain_in_time(clock)
    for code in codes:
        assert portal.received(code)["status_counts"] == {"2": 1}
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1, 2, 2, 2]


def test_an_sms_is_sent_once_even_when_the_reply_is_lost(
    national: National, clock: time_machine.Traveller, settings: SettingsWrapper
) -> None:
    sms = national.use("sms")
    settings.MOTCUA_EXCHANGE_TIMEOUT_MS = 300
    with transaction.atomic():
        enqueue(
            topic="sms.send",
            key="000.00.01.H26-260310-0020",
            payload={"phone": "0912345678", "text": "Hồ sơ đã có kết quả", "kind": "result"},
            idempotency_key="sms:test-once",
        )
    sms.inject("timeout-after=5", times=1)
    drain_in_time(clock)
    sent = sms.get("/_sim/messages", phone="0912345678")
    texts = [m["text"] for m in (sent["messages"] if isinstance(sent, dict) else sent)]
    assert texts.count("Hồ sơ đã có kết quả") == 1


def test_an_unknown_phone_number_is_a_dead_letter_at_once(
    national: National, clock: time_machine.Traveller
) -> None:
    national.use("sms")
    with transaction.atomic():
        message = enqueue(
            topic="sms.send",
            key="k",
            payload={"phone": "0000000000", "text": "x", "kind": "x"},
            idempotency_key="sms:bad-number",
        )
    outbox.drain()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("dead", 1)
