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

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

from config.jobs import SCHEDULE
from motcua.core.clock import now
from motcua.core.models import WorkerHeartbeat


class Command(BaseCommand):
    help = "Run the background worker (heartbeat, scheduled jobs, queued tasks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        name = f"{socket.gethostname()}:{os.getpid()}"
        last_run: dict[str, float] = {}
        last_beat = 0.0
        self.stdout.write(f"worker {name} started; jobs: {[p for p, _ in SCHEDULE] or 'none'}")
        while self.running:
            close_old_connections()
            mono = time.monotonic()
            if mono - last_beat >= settings.MOTCUA_WORKER_HEARTBEAT_SECONDS or options["once"]:
                WorkerHeartbeat.objects.update_or_create(
                    name=name, defaults={"beat_at": now(), "pid": os.getpid()}
                )
                last_beat = mono
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
                return
            time.sleep(options["interval"])

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
