"""/healthz: is the database answering, and is a worker alive? (issue #12 part 8)

A worker is part of the platform: without one, nothing reaches the national systems, no task
runs and no deadline is re-dated. So a worker whose last beat is older than three beats
(``stale``), or no worker at all (``never seen``), fails the check with HTTP 503.

**The first seconds.** The web server and the worker start together (``make demo``, the
Procfile, a service manager) and the worker needs a few seconds to boot before its first beat.
For ``MOTCUA_WORKER_STARTUP_GRACE_SECONDS`` after this web process started, a missing or stale
beat reads ``starting`` and does not fail the check; after that it does. A stale row left by a
previous run is treated the same way, so a restart is not reported as a failure either.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import connection

from motcua.core.clock import now
from motcua.core.models import WorkerHeartbeat

#: When this process started (module import happens at the web server's boot).
PROCESS_STARTED = time.monotonic()


def worker_state() -> tuple[str, float | None]:
    """("ok" | "stale" | "never seen", age in seconds of the freshest beat)."""
    beat = WorkerHeartbeat.objects.order_by("-beat_at").first()
    if beat is None:
        return "never seen", None
    age = (now() - beat.beat_at).total_seconds()
    fresh = age <= 3 * settings.MOTCUA_WORKER_HEARTBEAT_SECONDS
    return ("ok" if fresh else "stale"), age


def health_report() -> tuple[bool, dict[str, Any]]:
    """Return (healthy, report): healthy when the database answers and a worker beats (or the
    process is still within its start-up grace)."""
    report: dict[str, Any] = {"database": "ok", "worker": "unknown"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        report["database"] = f"error: {exc.__class__.__name__}"
        return False, report
    report["database_vendor"] = connection.vendor
    state, age = worker_state()
    if age is not None:
        report["worker_last_beat_seconds"] = round(age, 1)
    uptime = time.monotonic() - PROCESS_STARTED
    if state != "ok" and uptime < settings.MOTCUA_WORKER_STARTUP_GRACE_SECONDS:
        report["worker"] = "starting"
        return True, report
    report["worker"] = state
    return state == "ok", report
