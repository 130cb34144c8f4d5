"""The background worker: heartbeat, scheduled jobs (config/jobs.py), and queued tasks.

Claim → act → record, like healthchecks' ``sendalerts``: several workers may run; the task queue
(django-tasks-db) claims each task with a lock so no two workers take the same one.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

from config.jobs import SCHEDULE
from motcua.core.heartbeat import start_heartbeat


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
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        name = f"{socket.gethostname()}:{os.getpid()}"
        last_run: dict[str, float] = {}
        # The beat runs in its own thread, so a long job does not make the worker look dead.
        heartbeat = start_heartbeat(name)
        self.stdout.write(f"worker {name} started; jobs: {[p for p, _ in SCHEDULE] or 'none'}")
        while self.running:
            close_old_connections()
            mono = time.monotonic()
            for path, every in SCHEDULE:
                if mono - last_run.get(path, -1e9) >= every:
                    import_string(path)()
                    last_run[path] = mono
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=name[:64],
                excluded_queue_names=[],
            ).run()
            if options["once"]:
                break
            time.sleep(options["interval"])
        heartbeat.stop()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
