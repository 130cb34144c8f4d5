"""Queued background tasks (django-tasks, database backend: enqueued in the caller's
transaction, run by `motcua worker`)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from motcua.dossiers.jobs import redate_open_dossiers
from motcua.worktime import calc


@task()
def redate_after_calendar_change(
    province_id: int,
    changed_day: str,
    days_off_before: list[str],
    working_days_before: list[str],
    reason: str,
) -> int:
    """Re-date the open dossiers a calendar change affects (issue #4 item 8, R-CAL-04)."""
    before = calc.Calendar(
        days_off=frozenset(date.fromisoformat(d) for d in days_off_before),
        extra_working_days=frozenset(date.fromisoformat(d) for d in working_days_before),
    )
    return redate_open_dossiers(
        province_id, before=before, changed_day=date.fromisoformat(changed_day), reason=reason
    )


def enqueue_redate(province_id: int, before: calc.Calendar, changed_day: date, reason: str) -> None:
    """Call inside the transaction of the calendar change: both commit, or neither."""
    redate_after_calendar_change.enqueue(
        province_id,
        changed_day.isoformat(),
        sorted(d.isoformat() for d in before.days_off),
        sorted(d.isoformat() for d in before.extra_working_days),
        reason,
    )
