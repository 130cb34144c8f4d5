"""A dead worker is seen (issue #12 part 8): /healthz fails on a stale or missing worker after
the start-up grace, and a task left running by a dead worker is requeued or marked failed."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.core import health
from motcua.core.clock import now
from motcua.core.heartbeat import Heartbeat, beat
from motcua.core.models import WorkerHeartbeat
from motcua.core.tasklease import WORKER_LOST, reclaim_stale_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    """This web process started long ago: the start-up grace is over."""
    monkeypatch.setattr(health, "PROCESS_STARTED", time.monotonic() - 10_000)


@pytest.fixture
def just_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "PROCESS_STARTED", time.monotonic())


@override_settings(MOTCUA_WORKER_HEARTBEAT_SECONDS=10)
def test_a_stale_worker_fails_the_health_check(client: Client, after_grace: None) -> None:
    WorkerHeartbeat.objects.create(name="w1", beat_at=now() - timedelta(seconds=31), pid=1)
    for url in ("/healthz", "/api/v1/health"):
        response = client.get(url)
        assert response.status_code == 503, url
        body = response.json()
        assert body["worker"] == "stale", body
        assert body.get("status") != "ok", body
        assert body["worker_last_beat_seconds"] >= 31


def test_no_worker_at_all_fails_after_the_grace(client: Client, after_grace: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "never seen"
    assert response.json()["status"] == "error"


def test_a_worker_not_seen_yet_in_the_first_seconds_is_starting(
    client: Client, just_started: None
) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "worker": "starting",
        "database_vendor": response.json()["database_vendor"],
        "status": "ok",
    }


def test_a_live_worker_is_ok_even_after_the_grace(client: Client, after_grace: None) -> None:
    beat("host:42")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == "ok"
    assert response.json()["status"] == "ok"


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_while_the_caller_is_busy() -> None:
    thread = Heartbeat("busy:1", every=0.05)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not WorkerHeartbeat.objects.filter(name="busy:1").exists():
            assert time.monotonic() < deadline, "the heartbeat thread never beat"
            time.sleep(0.05)  # the "main loop" is busy with something else
        first = WorkerHeartbeat.objects.get(name="busy:1").beat_at
        while WorkerHeartbeat.objects.get(name="busy:1").beat_at == first:
            assert time.monotonic() < deadline, "the heartbeat thread beat only once"
            time.sleep(0.05)
    finally:
        thread.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()


def running_task(worker: str, started_ago_s: float, claims: int = 1) -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=now() - timedelta(seconds=started_ago_s),
        args_kwargs={"args": [], "kwargs": {}},
        task_path="motcua.dossiers.tasks.redate_after_calendar_change",
        backend_name="default",
        run_after=now() - timedelta(seconds=started_ago_s),
        worker_ids=[f"old:{i}" for i in range(claims - 1)] + [worker],
    )


@override_settings(MOTCUA_TASK_LEASE_SECONDS=300, MOTCUA_TASK_MAX_CLAIMS=3)
def test_a_task_of_a_dead_worker_goes_back_to_the_queue_then_fails() -> None:
    WorkerHeartbeat.objects.create(name="dead:1", beat_at=now() - timedelta(seconds=400), pid=1)
    WorkerHeartbeat.objects.create(name="alive:2", beat_at=now(), pid=2)
    lost = running_task("dead:1", started_ago_s=400)
    vanished = running_task("never-beat:3", started_ago_s=400, claims=2)
    lost_again = running_task("dead:1", started_ago_s=400, claims=3)
    long_but_alive = running_task("alive:2", started_ago_s=4000)
    recent = running_task("dead:1", started_ago_s=10)

    report = reclaim_stale_tasks()

    assert (report.requeued, report.failed) == (2, 1)
    for task in (lost, vanished):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.READY
        assert task.started_at is None
    assert DBTaskResult.objects.ready().filter(pk__in=[lost.pk, vanished.pk]).count() == 2
    lost_again.refresh_from_db()
    assert lost_again.status == TaskResultStatus.FAILED
    assert lost_again.exception_class_path == WORKER_LOST
    assert "dead:1" in lost_again.traceback
    assert lost_again.finished_at is not None
    for task in (long_but_alive, recent):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    assert reclaim_stale_tasks() == type(report)(0, 0)  # nothing left to reclaim
