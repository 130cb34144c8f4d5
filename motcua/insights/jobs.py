"""Scheduled work of the insights app (listed in config/jobs.py)."""

from __future__ import annotations

from django.conf import settings

from motcua.core.clock import now, to_local
from motcua.insights.models import Report
from motcua.insights.periods import Kind, last_complete

#: Which periodic reports the schedule makes once their period has ended.
SCHEDULED_KINDS = (Kind.MONTH, Kind.QUARTER, Kind.HALF, Kind.NINE, Kind.YEAR)


def schedule_periodic_reports() -> int:
    """Enqueue the reports of every period that has just ended and has no scheduled report yet
    (idempotent: the task skips what exists). Returns the number of periods enqueued."""
    from motcua.insights.tasks import generate_period_reports  # noqa: PLC0415 - report libraries load when a period ends

    today = to_local(now()).date()
    enqueued = 0
    for kind in SCHEDULED_KINDS:
        period = last_complete(kind, today)
        if Report.objects.filter(
            scheduled=True, scope="province", period_kind=kind.value, period_start=period.start
        ).exists():
            continue
        generate_period_reports.enqueue(settings.MOTCUA_PROVINCE_CODE, period.key)
        enqueued += 1
    return enqueued
