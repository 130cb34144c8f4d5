"""The one clock. Code asks ``now()`` instead of ``datetime.now()`` so tests can travel in time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return timezone.now()


def local_now() -> datetime:
    return now().astimezone(LOCAL_TZ)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def local_today() -> date:
    return local_now().date()
