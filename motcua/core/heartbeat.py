"""The worker's heartbeat, written from a thread of its own (issue #12 part 8).

The worker's loop runs jobs and tasks one after the other; a long one (a month's reports) used to
stop the beat for its whole length, so ``/healthz`` and the task lease
(:mod:`motcua.core.tasklease`) could not tell a busy worker from a dead one. The thread beats
every ``MOTCUA_WORKER_HEARTBEAT_SECONDS`` whatever the loop is doing, on its own database
connection, in one short autocommit ``UPDATE``/``INSERT``; it dies with the process (daemon), so
a worker killed with ``kill -9`` stops beating at once and is seen stale three beats later.
"""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection

from motcua.core.clock import now
from motcua.core.models import WorkerHeartbeat

log = logging.getLogger(__name__)


def beat(name: str) -> None:
    """One beat of worker ``name`` (its ``host:pid``)."""
    WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": now(), "pid": os.getpid()}
    )


class Heartbeat(threading.Thread):
    """Beats for ``name`` until :meth:`stop` or the end of the process."""

    def __init__(self, name: str, every: float | None = None) -> None:
        super().__init__(name=f"heartbeat-{name}", daemon=True)
        self.worker_name = name
        self.every = float(every or settings.MOTCUA_WORKER_HEARTBEAT_SECONDS)
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(self.every):
                try:
                    close_old_connections()
                    beat(self.worker_name)
                except Exception:  # a database hiccup must not end the beat for good
                    log.exception("worker heartbeat failed")
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopped.set()


def start_heartbeat(name: str) -> Heartbeat:
    """Beat once now (so a worker is seen as soon as it starts), then from a daemon thread."""
    beat(name)
    thread = Heartbeat(name)
    thread.start()
    return thread
