"""Queued tasks (django-tasks, run by `motcua worker`)."""

from __future__ import annotations

from django_tasks import task

from motcua.insights import selectors
from motcua.insights.models import Report
from motcua.insights.periods import parse
from motcua.insights.reports import do_generate_report


def scheduled_scopes(province_id: int) -> list[str]:
    return [
        "province",
        *(s.key for s in selectors.commune_scopes(province_id)),
        *(s.key for s in selectors.department_scopes(province_id)),
    ]


def generate_all(province_id: int, period_key: str, scopes: list[str] | None = None) -> int:
    """Every scheduled report of one period (province, communes, departments; XLSX and PDF);
    what exists already is kept. The province comes last: it marks the period as done."""
    period = parse(period_key)
    made = 0
    scopes = scopes or scheduled_scopes(province_id)
    for scope in [*scopes[1:], scopes[0]]:
        for fmt in (Report.Format.XLSX, Report.Format.PDF):
            if Report.objects.filter(
                scheduled=True,
                scope=scope,
                period_kind=period.kind.value,
                period_start=period.start,
                fmt=fmt,
            ).exists():
                continue
            do_generate_report(
                scope, period, fmt, province_id=province_id, acting_user=None, scheduled=True
            )
            made += 1
    return made


@task()
def generate_period_reports(province_id: int, period_key: str) -> int:
    return generate_all(province_id, period_key)
