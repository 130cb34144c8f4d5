"""The dossiers app's reactions to what the apps below it record (``core.events``),
registered in ``DossiersConfig.ready``."""

from __future__ import annotations

from motcua.core import events
from motcua.dossiers.tasks import enqueue_redate
from motcua.worktime.calendars import CalendarChanged


def calendar_changed(happened: events.Happened) -> None:
    """A day added to or removed from a province's calendar: the open dossiers' deadlines are
    re-dated by the worker (R-CAL-04); the job is enqueued in the change's transaction."""
    change = happened.context
    assert isinstance(change, CalendarChanged)
    enqueue_redate(change.province_id, change.before, change.day, change.reason)


def register() -> None:
    events.react("calendar:changed", calendar_changed)
