"""The clerk's reminders (R-DOC-06, R-DOC-07): a signed document not released by its release day
(urgent ones: at once after signing), an incoming document not registered by the next working
day after it arrived (urgent ones: at once). ``run_document_reminders`` (config/jobs.py) raises
each reminder once per document — a unique row, whatever how often or on how many workers it
runs — records it in the document's trail and e-mails the body's clerks through the outbox."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import local_today, now, to_local
from motcua.core.outbox import enqueue
from motcua.correspondence.models import (
    BodyProfile,
    Direction,
    Document,
    DocumentReminder,
    ReminderKind,
    Urgency,
)
from motcua.correspondence.selectors import late_releases
from motcua.correspondence.states import State
from motcua.correspondence.trail import record
from motcua.worktime.calc import next_working_day
from motcua.worktime.calendars import calendar_for

SUBJECTS = {
    ReminderKind.RELEASE_LATE: "Văn bản đã ký chưa phát hành: {what}",
    ReminderKind.REGISTER_LATE: "Văn bản đến chưa vào sổ: {what}",
}


def late_registrations(unit: Unit, today: date | None = None) -> list[Document]:
    """R-DOC-06: incoming documents of ``unit`` still unregistered after the next working day
    following their arrival; urgent ones as soon as they arrived."""
    day = today or local_today()
    calendar = calendar_for(unit.province_id)
    late = []
    arrived = Document.objects.filter(
        owner_unit=unit, direction=Direction.INCOMING, state=State.ARRIVED
    ).order_by("arrived_at")
    for document in arrived:
        if document.arrived_at is None:
            continue
        arrival_day = to_local(document.arrived_at).date()
        urgent = document.urgency != Urgency.NORMAL
        if urgent or day > next_working_day(arrival_day, calendar):
            late.append(document)
    return late


def clerks_of(unit: Unit) -> list[User]:
    ids = RoleAssignment.objects.filter(unit=unit, role=Role.CLERK).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


@action
def do_remind_clerk(document: Document, kind: str) -> DocumentReminder | None:
    """Raise the reminder of ``kind`` about ``document``; None when it was raised before."""
    try:
        with transaction.atomic():
            reminder = DocumentReminder.objects.create(
                document=document, kind=kind, created_at=now()
            )
    except IntegrityError:
        return None
    what = document.number_and_symbol or document.symbol or document.summary[:60]
    subject = SUBJECTS[ReminderKind(kind)].format(what=what)
    link = settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse(
        "desk:document", kwargs={"document_id": document.pk}
    )
    clerks = clerks_of(document.owner_unit)
    record(document, f"document:reminder:{kind}", actor=None,
           payload={"clerks": [c.pk for c in clerks]})  # fmt: skip
    for clerk in clerks:
        if clerk.email:
            enqueue(
                topic="email.send",
                key=str(document.pk),
                payload={
                    "to": clerk.email,
                    "subject": subject,
                    "body": f"{subject}\n{document.summary}\nXử lý tại: {link}",
                    "kind": f"document_reminder_{kind}",
                },
                idempotency_key=f"email:document-reminder:{document.pk}:{kind}:{clerk.pk}",
            )
    emailed = sum(1 for c in clerks if c.email)
    DocumentReminder.objects.filter(pk=reminder.pk).update(emailed=emailed)
    reminder.emailed = emailed
    return reminder


def run_document_reminders(today: date | None = None) -> int:
    """Raise every reminder that is due and not raised yet; the number raised."""
    raised = 0
    for unit in Unit.objects.filter(pk__in=BodyProfile.objects.values("unit_id")):
        pending = [(d, ReminderKind.RELEASE_LATE) for d in late_releases(unit, today)] + [
            (d, ReminderKind.REGISTER_LATE) for d in late_registrations(unit, today)
        ]
        for document, kind in pending:
            if document.reminders.filter(kind=kind).exists():
                continue
            if do_remind_clerk(document, kind) is not None:
                raised += 1
    return raised
