"""Alerts to the competent unit's officers (issue #18): a petition is *new* (received, not yet
taken up), *due soon* (open, due today or on the next working day) or *overdue* (open, past its
due date — dates compared, R-TIME-14). The desk shows the three counts as a badge; the officers
holding a handling role at the petition's own unit are e-mailed, through the outbox, of new and
overdue petitions. ``run_petition_alerts`` (scheduled in config/jobs.py) finds them; it is
idempotent: one alert per petition and kind, whatever how often or on how many workers it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from motcua.accounts.models import RoleAssignment, User
from motcua.core.actions import action
from motcua.core.clock import now, to_local
from motcua.core.outbox import enqueue
from motcua.petitions.models import (
    HANDLER_ROLES,
    OPEN_STATES,
    AlertKind,
    Petition,
    PetitionAlert,
    PetitionState,
)
from motcua.petitions.selectors import visible
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

#: Kinds the officers are e-mailed about (due-soon ones are on the badge only).
EMAILED = (AlertKind.NEW, AlertKind.OVERDUE)
SUBJECTS = {
    AlertKind.NEW: "Phản ánh, kiến nghị mới {code}",
    AlertKind.DUE_SOON: "Phản ánh, kiến nghị {code} sắp đến hạn",
    AlertKind.OVERDUE: "Phản ánh, kiến nghị {code} đã quá hạn",
}


@dataclass(frozen=True)
class Badge:
    new: int
    due_soon: int
    overdue: int

    @property
    def total(self) -> int:
        return self.new + self.due_soon + self.overdue


def due_window(province_id: int, today: date) -> date:
    """The last due date that counts as *due soon*: the next working day."""
    return calc.next_working_day(today, calendar_for(province_id))


def pending(kind: str, today: date, next_day: date) -> QuerySet[Petition]:
    """Open petitions in ``kind`` today."""
    rows = Petition.objects.filter(state__in=OPEN_STATES)
    if kind == AlertKind.NEW:
        return rows.filter(state=PetitionState.RECEIVED)
    if kind == AlertKind.DUE_SOON:
        return rows.filter(due_on__gte=today, due_on__lte=next_day)
    return rows.filter(due_on__lt=today)


def badge(user: User, today: date, next_day: date) -> Badge:
    """The officer's desk badge: new, due-soon and overdue petitions of the units they handle."""
    mine = visible(user).filter(state__in=OPEN_STATES)
    # One aggregate, not a count query per item (issue #12 item 9: the desk's home).
    found = mine.aggregate(
        new=Count("pk", filter=Q(state=PetitionState.RECEIVED)),
        due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=next_day)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
    )
    return Badge(new=found["new"], due_soon=found["due_soon"], overdue=found["overdue"])


#: Desk queue (desk.petitions) each badge item opens.
BADGE_QUEUES: dict[str, str] = {
    AlertKind.NEW: "open",
    AlertKind.DUE_SOON: "due_soon",
    AlertKind.OVERDUE: "overdue",
}


def badge_items(user: User, today: date) -> list[dict[str, object]]:
    """The badge as the desk shows it: the non-zero items, each with its label and queue."""
    counts = badge(user, today, due_window(settings.MOTCUA_PROVINCE_CODE, today))
    items = []
    for kind, label in AlertKind.choices:
        n = getattr(counts, kind)
        if n:
            items.append({"kind": kind, "label": label, "count": n, "queue": BADGE_QUEUES[kind]})
    return items


def officers_of(petition: Petition) -> list[User]:
    """Active officers with an e-mail holding a handling role at the petition's own unit; when
    it has none, at the nearest unit above it that has (they handle it: ``accounts.scope``)."""
    for unit in [petition.unit, *petition.unit.ancestors()]:
        ids = RoleAssignment.objects.filter(unit=unit, role__in=HANDLER_ROLES).values("user_id")
        officers = list(
            User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("username")
        )
        if officers:
            return officers
    return []


def _desk_url(petition: Petition) -> str:
    path = reverse("desk:petition", kwargs={"code": petition.code})
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}"


@action
def do_alert_petition(petition: Petition, kind: str) -> PetitionAlert | None:
    """Record the alert of ``kind`` and queue its e-mails; None when it was already raised."""
    try:
        with transaction.atomic():
            alert = PetitionAlert.objects.create(
                petition=petition, kind=kind, unit_id=petition.unit_id, created_at=now()
            )
    except IntegrityError:
        return None  # raised before (by this run or a concurrent worker)
    if kind in EMAILED:
        officers = officers_of(petition)
        due = f"{to_local(petition.due_at):%d/%m/%Y}"
        subject = SUBJECTS[AlertKind(kind)].format(code=petition.code)
        body = (
            f"{subject}.\n{petition.unit.name} — {petition.subject}\n"
            f"Tiếp nhận: {to_local(petition.received_at):%d/%m/%Y %H:%M}. Hạn trả lời: {due}.\n"
            f"Xử lý tại: {_desk_url(petition)}"
        )
        for officer in officers:
            enqueue(
                topic="email.send",
                key=petition.code,
                payload={
                    "to": officer.email,
                    "subject": subject,
                    "body": body,
                    "kind": f"petition_alert_{kind}",
                },
                idempotency_key=f"email:petition-alert:{petition.pk}:{kind}:{officer.pk}",
            )
        PetitionAlert.objects.filter(pk=alert.pk).update(emailed=len(officers))
        alert.emailed = len(officers)
    return alert


def run_petition_alerts() -> int:
    """Raise every alert that is due and was not raised yet; the number raised."""
    today = to_local(now()).date()
    next_day = due_window(settings.MOTCUA_PROVINCE_CODE, today)
    raised = 0
    for kind in AlertKind.values:
        rows = (
            pending(kind, today, next_day)
            .exclude(alerts__kind=kind)
            .select_related("unit")
            .order_by("received_at")[:500]
        )
        for petition in rows:
            if do_alert_petition(petition, kind) is not None:
                raised += 1
    return raised
