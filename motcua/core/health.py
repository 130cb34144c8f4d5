"""/healthz: is the database answering, and is a worker alive?"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection

from motcua.core.clock import now
from motcua.core.models import WorkerHeartbeat


def health_report() -> tuple[bool, dict[str, Any]]:
    """Return (database ok, report). A stale worker degrades but does not fail the check:
    counters keep working without it, only background delivery waits."""
    report: dict[str, Any] = {"database": "ok", "worker": "unknown"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        report["database"] = f"error: {exc.__class__.__name__}"
        return False, report
    report["database_vendor"] = connection.vendor
    beat = WorkerHeartbeat.objects.order_by("-beat_at").first()
    if beat is None:
        report["worker"] = "never seen"
    else:
        age = (now() - beat.beat_at).total_seconds()
        stale_after = timedelta(seconds=3 * settings.MOTCUA_WORKER_HEARTBEAT_SECONDS)
        report["worker"] = "ok" if age <= stale_after.total_seconds() else "stale"
        report["worker_last_beat_seconds"] = round(age, 1)
    return True, report
