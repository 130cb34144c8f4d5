"""The background worker: heartbeat, scheduled jobs (config/jobs.py), and queued tasks.

Claim → act → record, like healthchecks' ``sendalerts``: several workers may run; the task queue
(django-tasks-db) claims each task with a lock so no two workers take the same one.

Background work never blocks a user (issue #12):
- the worker runs at a lower CPU priority than the web processes (``MOTCUA_WORKER_NICE``);
- scheduled jobs that run rarely start staggered after boot (``MOTCUA_WORKER_STARTUP_DELAY_S``),
  so the first minutes after ``make demo`` belong to the first citizen, not to month-end reports;
- a polling job that calls a national system first runs once that system answers, at most
  ``MOTCUA_WORKER_DEPENDENCY_WAIT_S`` after boot (motcua/core/startup.py): started together with
  the simulators, the worker no longer logs their refused connections;
- queued tasks run one at a time, and SIGTERM/SIGINT stop the worker within seconds even in the
  middle of a long job: the job is interrupted (its work is written in short transactions, so
  nothing half-done is kept) and an interrupted task goes back to the queue for the next worker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.module_loading import import_string

from config.jobs import NEEDS, SCHEDULE
from motcua.core.heartbeat import start_heartbeat
from motcua.core.startup import DependencyGate


class WorkerStopping(BaseException):
    """Raised inside a running job by the stop signal (a BaseException, like KeyboardInterrupt,
    so that no ``except Exception`` in a job swallows it)."""


class InterruptedIsNotFailed(logging.Filter):
    """django-tasks logs every failed task at ERROR with its traceback. A task interrupted by
    the stop signal did not fail: the worker puts it back in the queue and says so in one line
    (:meth:`Command._requeue_interrupted`). Only that record is dropped; a task that raised
    anything else is logged as before."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, WorkerStopping)


def first_runs(schedule: list[tuple[str, int]], delay: float) -> dict[str, float]:
    """Seconds after boot at which each scheduled job first runs. Frequent jobs (the outbox,
    every few seconds) start at once; rare ones (hourly reports, reconciliation) wait ``delay``
    and are spread ``delay / 4`` apart, so they never pile up on the first request."""
    out: dict[str, float] = {}
    rare = 0
    for path, every in schedule:
        if every < 60:
            out[path] = 0.0
        else:
            out[path] = delay + rare * delay / 4
            rare += 1
    return out


class Command(BaseCommand):
    help = "Run the background worker (heartbeat, scheduled jobs, queued tasks)."
    # No system checks at boot: they load the URLconf and with it every view's PDF, signing and
    # spreadsheet libraries; a job imports what it uses when it runs (issue #12 part 10).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True
        self.busy = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        nice = settings.MOTCUA_WORKER_NICE
        if nice:
            with contextlib.suppress(OSError):
                os.nice(nice)
        name = f"{socket.gethostname()}:{os.getpid()}"
        once = bool(options["once"])
        delay = 0.0 if once else float(settings.MOTCUA_WORKER_STARTUP_DELAY_S)
        boot = time.monotonic()
        due = {path: boot + first for path, first in first_runs(SCHEDULE, delay).items()}
        gate = DependencyGate(
            NEEDS,
            {system: config["url"] for system, config in settings.MOTCUA_EXCHANGE.items()},
            0.0 if once else float(settings.MOTCUA_WORKER_DEPENDENCY_WAIT_S),
            say=self.stdout.write,
        )
        # The beat runs in its own thread, so a long job does not make the worker look dead.
        heartbeat = start_heartbeat(name)
        interrupted_filter = InterruptedIsNotFailed()
        logging.getLogger("django_tasks").addFilter(interrupted_filter)
        self.stdout.write(f"worker {name} started; jobs: {[p for p, _ in SCHEDULE] or 'none'}")
        try:
            while self.running:
                close_old_connections()
                for path, every in SCHEDULE:
                    if self.running and time.monotonic() >= due[path] and gate.ready(path):
                        with self._job():
                            import_string(path)()
                        due[path] = time.monotonic() + every
                while self.running and self._run_one_task(name):
                    pass
                if once:
                    break
                time.sleep(options["interval"])
        except WorkerStopping:
            pass
        finally:
            heartbeat.stop()
            self._requeue_interrupted(name)
            logging.getLogger("django_tasks").removeFilter(interrupted_filter)
        self.stdout.write(f"worker {name} stopped")

    @contextlib.contextmanager
    def _job(self) -> Iterator[None]:
        self.busy = True
        try:
            yield
        finally:
            self.busy = False

    def _run_one_task(self, name: str) -> bool:
        """Claim and run one queued task; False when the queue is empty."""
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=1,
            worker_id=name[:64],
            excluded_queue_names=[],
        )
        with self._job():
            worker.run()
        return worker._run_tasks > 0

    def _requeue_interrupted(self, name: str) -> None:
        """A task this worker was interrupted in goes back to the queue (tasks are idempotent:
        what they finished is kept and skipped next time)."""
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        interrupted = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, exception_class_path=f"{__name__}.WorkerStopping"
        )
        for result in interrupted:
            if name[:64] in (result.worker_ids or []):
                DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
                    status=TaskResultStatus.READY,
                    started_at=None,
                    finished_at=None,
                    exception_class_path="",
                    traceback="",
                )
                self.stdout.write(
                    f"worker {name}: task {result.task_path} interrupted by the stop signal, "
                    "back in the queue"
                )

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
        if self.busy:
            self.busy = False  # a second signal during the unwinding does not raise again
            raise WorkerStopping
