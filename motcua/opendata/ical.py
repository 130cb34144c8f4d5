"""The working calendar of a province as an iCalendar feed (RFC 5545), written with the
``icalendar`` library: one all-day event per day off or swapped working day (R-CAL-01..04), so
officers and citizens can subscribe to it in any calendar application."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from motcua.core.clock import now
from motcua.worktime.models import EntryKind, WorkingCalendar


def feed(calendar: WorkingCalendar, host: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Motcua//Lich lam viec//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Lịch làm việc {calendar.province.name}")
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = now()
    for entry in calendar.entries.order_by("day"):
        event = Event()
        event.add("uid", f"{calendar.province_id}-{entry.day:%Y%m%d}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        working = entry.kind == EntryKind.SWAPPED_WORKING_DAY
        prefix = "Làm việc bù" if working else "Nghỉ"
        event.add("summary", f"{prefix}: {entry.name}")
        event.add("description", f"{entry.get_kind_display()}. Căn cứ: {entry.legal_basis}")
        event.add("categories", [entry.kind])
        event.add("transp", "OPAQUE" if working else "TRANSPARENT")
        cal.add_component(event)
    body: bytes = cal.to_ical()
    return body
