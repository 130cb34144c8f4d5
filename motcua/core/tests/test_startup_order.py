"""Start-up order (issue #12): a scheduled job that calls a national system first runs once the
system answers, at most ``MOTCUA_WORKER_DEPENDENCY_WAIT_S`` after boot; no other job waits.

Real sockets on the loopback (a listening one answers, a closed port refuses), a settable clock."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from config.jobs import NEEDS, SCHEDULE
from motcua.core.startup import DependencyGate, address, answers


@pytest.fixture
def listening() -> Iterator[str]:
    """The URL of a port that accepts connections."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.fixture
def refusing() -> str:
    """The URL of a port nobody listens on (bound, then closed)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_address_reads_host_and_port_with_the_scheme_default() -> None:
    assert address("http://127.0.0.1:8111") == ("127.0.0.1", 8111)
    assert address("https://lgsp.example.vn/axis/") == ("lgsp.example.vn", 443)
    assert address("http://lgsp.example.vn") == ("lgsp.example.vn", 80)


def test_answers_tells_a_listening_port_from_a_closed_one(listening: str, refusing: str) -> None:
    assert answers(listening) is True
    assert answers(refusing) is False


def test_a_job_waits_for_its_system_and_says_so_once(listening: str, refusing: str) -> None:
    """GIVEN the axis not listening yet WHEN the worker asks THEN the axis jobs wait (one line),
    a job without needs runs; once the axis listens they run and the worker says so."""
    urls = {"docaxis": refusing}
    lines: list[str] = []
    clock = Clock()
    gate = DependencyGate(
        {"axis.poll": ("docaxis",), "axis.statuses": ("docaxis",)},
        urls,
        60,
        say=lines.append,
        clock=clock,
    )
    assert gate.ready("axis.poll") is False
    assert gate.ready("axis.statuses") is False
    assert gate.ready("reminders") is True  # needs nothing
    clock.t += 10
    assert gate.ready("axis.poll") is False
    assert lines == ["worker: waiting for docaxis to answer before the first call (at most 60 s)"]
    urls["docaxis"] = listening  # the simulator is up
    gate.urls = urls
    clock.t += 2.5
    assert gate.ready("axis.poll") is True
    assert gate.ready("axis.statuses") is True
    assert lines[1:] == ["worker: the national systems answer after 12.5 s"]
    assert gate.done


def test_the_wait_is_bounded(refusing: str) -> None:
    """GIVEN a system that never answers THEN its job runs after the wait (and reports the
    outage itself, as before), and nothing is checked any more."""
    lines: list[str] = []
    clock = Clock()
    probes: list[str] = []

    def probe(url: str) -> bool:
        probes.append(url)
        return answers(url)

    gate = DependencyGate(
        {"portal.reconcile": ("portal",)},
        {"portal": refusing},
        30,
        say=lines.append,
        probe=probe,
        clock=clock,
    )
    assert gate.ready("portal.reconcile") is False
    clock.t += 30
    assert gate.ready("portal.reconcile") is True
    assert lines[-1] == "worker: portal still not answering after 30 s; their jobs start anyway"
    checked = len(probes)
    assert gate.ready("portal.reconcile") is True
    assert len(probes) == checked


def test_without_a_wait_or_needs_nothing_is_checked(refusing: str) -> None:
    """``motcua worker --once`` (wait 0) and a schedule without needs run everything at once."""
    assert DependencyGate({"j": ("portal",)}, {"portal": refusing}, 0).ready("j") is True
    assert DependencyGate({}, {"portal": refusing}, 60).ready("j") is True


def test_an_unconfigured_system_is_not_waited_for() -> None:
    assert DependencyGate({"j": ("email",)}, {}, 60, probe=lambda url: False).ready("j") is True


def test_every_job_with_needs_is_scheduled_and_names_configured_systems() -> None:
    from django.conf import settings

    scheduled = {path for path, _ in SCHEDULE}
    assert set(NEEDS) <= scheduled
    for systems in NEEDS.values():
        assert set(systems) <= set(settings.MOTCUA_EXCHANGE)
    assert NEEDS["motcua.correspondence.jobs.receive_from_axis"] == ("docaxis",)


def test_a_task_interrupted_by_the_stop_is_not_logged_as_failed() -> None:
    """Stopping ``make demo`` used to log the report task the worker was in as ERROR
    "state=FAILED" with a traceback, although the worker puts it back in the queue. The worker's
    filter drops that record only; any other failure is logged as before."""
    import logging
    import sys

    from motcua.core.management.commands.worker import InterruptedIsNotFailed, WorkerStopping

    def record(exc: BaseException) -> logging.LogRecord:
        try:
            raise exc
        except BaseException:
            return logging.LogRecord(
                "django_tasks", logging.ERROR, __file__, 1, "Task failed", (), sys.exc_info()
            )

    keep = InterruptedIsNotFailed().filter
    assert keep(record(WorkerStopping())) is False
    assert keep(record(ValueError("a real failure"))) is True
    assert keep(logging.LogRecord("django_tasks", logging.INFO, __file__, 1, "ok", (), None))
