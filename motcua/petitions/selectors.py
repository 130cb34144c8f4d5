"""Reads of petitions: the officer's queues (scoped through ``accounts.scope``), the public
lookup, and the R-IDX-02/03 figures per unit and period with the petitions behind each number.
Petition volume is small (tens per commune per quarter), so the figures are computed straight
from this table rather than from rollups."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.accounts.scope import units_in_scope
from motcua.agencies.models import Unit, UnitKind
from motcua.core.errors import NotFound
from motcua.petitions.indicators import PetitionFacts, Tally
from motcua.petitions.models import (
    HANDLER_ROLES,
    OPEN_STATES,
    Petition,
    PetitionChannel,
    PetitionResponse,
    PetitionState,
)

#: The two Decision 766 indicators computed from petitions.
CODES = ("feedback_on_time", "feedback_satisfaction")


def visible(user: User) -> QuerySet[Petition]:
    """Petitions of the units the officer handles; nothing for anyone else."""
    if not user.is_authenticated or not user.is_officer:
        return Petition.objects.none()
    return Petition.objects.filter(unit_id__in=list(units_in_scope(user, HANDLER_ROLES)))


#: Desk queues: key -> label.
QUEUES = {
    "open": "Đang chờ xử lý",
    "due_soon": "Đến hạn trong 1 ngày làm việc",
    "overdue": "Quá hạn",
    "answered": "Đã trả lời",
    "all": "Tất cả",
}


def queue(user: User, name: str, today: date, next_working_day: date) -> QuerySet[Petition]:
    rows = visible(user).select_related("unit")
    if name == "open":
        return rows.filter(state__in=OPEN_STATES)
    if name == "due_soon":
        return rows.filter(state__in=OPEN_STATES, due_on__gte=today, due_on__lte=next_working_day)
    if name == "overdue":
        return rows.filter(state__in=OPEN_STATES, due_on__lt=today)
    if name == "answered":
        return rows.filter(state=PetitionState.ANSWERED)
    return rows


def access_petition(user: User, code: str) -> Petition:
    found = visible(user).select_related("unit", "answered_by").filter(code=code).first()
    if found is None:
        raise NotFound("Không tìm thấy phản ánh, kiến nghị", "Petition not found")
    return found


def lookup(code: str, phone_digits: str) -> Petition | None:
    """The public lookup: the reference code plus the last four digits of the phone number."""
    if not code or len(phone_digits) != 4 or not phone_digits.isdigit():
        return None
    return (
        Petition.objects.select_related("unit")
        .filter(code=code.strip().upper(), petitioner_phone__endswith=phone_digits)
        .first()
    )


# --------------------------------------------------------------------------- R-IDX-02 / 03


def _in_period(start: date, end: date, unit_ids: Iterable[uuid.UUID] | None) -> QuerySet[Petition]:
    query = Petition.objects.filter(received_on__gte=start, received_on__lte=end)
    if unit_ids is not None:
        query = query.filter(unit_id__in=list(unit_ids))
    return query


def tallies(
    start: date, end: date, evaluation: date, unit_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, Tally]:
    """R-IDX-02/03 counters per unit of the petitions received between ``start`` and ``end``
    (local dates), evaluated at ``evaluation`` (see ``indicators``). One query."""
    out: dict[uuid.UUID, Tally] = defaultdict(Tally)
    rows = _in_period(start, end, unit_ids).values_list(
        "unit_id", "state", "due_on", "answered_on", "response", "late_complaint"
    )
    for unit_id, state, due_on, answered_on, response, late in rows:
        out[unit_id].add(
            PetitionFacts(
                state=state,
                due_on=due_on,
                answered_on=answered_on,
                not_satisfied=response == PetitionResponse.NOT_SATISFIED,
                late_complaint=late,
            ),
            evaluation,
        )
    return dict(out)


def numerator_q(code: str, evaluation: date) -> Q:
    """The SQL of each numerator; ``indicators`` is the same rule in Python."""
    if code == "feedback_on_time":
        return Q(state=PetitionState.ANSWERED, answered_on__lte=F("due_on")) | Q(
            state__in=OPEN_STATES, due_on__gte=evaluation
        )
    if code == "feedback_satisfaction":
        return ~Q(response=PetitionResponse.NOT_SATISFIED) & Q(late_complaint=False)
    raise NotFound("Không tìm thấy chỉ số", "Indicator not found")


def behind(
    code: str,
    part: str,
    *,
    start: date,
    end: date,
    evaluation: date,
    unit_ids: Iterable[uuid.UUID] | None = None,
) -> QuerySet[Petition]:
    """The petitions behind a numerator or denominator: exactly the rows it counts."""
    if code not in CODES or part not in ("numerator", "denominator"):
        raise NotFound("Không tìm thấy chỉ số", "Indicator not found")
    query = _in_period(start, end, unit_ids).exclude(state=PetitionState.NOT_COMPETENT)
    if part == "numerator":
        query = query.filter(numerator_q(code, evaluation))
    return query.select_related("unit")


#: Units a petition may concern: the competent bodies (People's Committees, departments,
#: vertical agencies), not the service centres that only receive.
PETITION_UNIT_KINDS = (
    UnitKind.PROVINCIAL_PC,
    UnitKind.DEPARTMENT,
    UnitKind.COMMUNE_PC,
    UnitKind.VERTICAL,
)


def petition_units(province_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(province_id=province_id, kind__in=PETITION_UNIT_KINDS).order_by(
        "kind", "name"
    )


def of_citizen(user: User) -> QuerySet[Petition]:
    if not user.is_authenticated or user.is_officer:
        return Petition.objects.none()
    return Petition.objects.filter(citizen=user).select_related("unit")


# --------------------------------------------------------------------------- channels (issue #18)

#: Heading of the operations centre's per-channel count.
CHANNELS_TITLE = gettext_lazy("Phản ánh, kiến nghị theo kênh tiếp nhận")


def channel_counts(
    start: date, end: date, unit_ids: Iterable[uuid.UUID] | None = None
) -> list[dict[str, object]]:
    """Petitions received from ``start`` to ``end`` per channel (portal, Open311 apps, counter,
    hotline), every channel listed even at zero; one query."""
    found = {
        row["channel"]: row["n"]
        for row in _in_period(start, end, unit_ids)
        .order_by()
        .values("channel")
        .annotate(n=Count("id"))
    }
    return [
        {"channel": value, "label": label, "count": found.get(value, 0)}
        for value, label in PetitionChannel.choices
    ]
