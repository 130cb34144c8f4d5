"""Publication of procedure versions by the province, for the Decision 766 indicator "TTHC
published/updated on time" (công khai TTHC đúng hạn; DOMAIN.md §10.2 group 1, 4 of 18 points;
§10.4: procedures published on time / procedures required to publish).

Each province publishes its procedures by decisions "công bố danh mục TTHC" (DOMAIN §11.2,
R-CAT-02). A version records that decision (``publication_decision``, ``published_on``) once the
province enters it; the importer leaves both empty, so real data never carry a made-up decision.

Rules (the legal lead time is NOT in DOMAIN.md — configurable and unverified,
docs/decisions/0006-publication-deadline.md):

* Deadline of a version = ``publication_deadline`` when the province entered one (override),
  otherwise ``effective_from`` minus ``MOTCUA_PUBLICATION_LEAD_WORKING_DAYS`` working days of the
  province calendar (R-CAL-02): the N-th working day strictly before ``effective_from``
  (N = 0: the day it takes effect).
* A version *requires publication* in a period when its ``effective_from`` falls in the period.
* Published on or before the deadline = on time; published after it = late.
* Not published: late once the deadline has passed as of E = min(today, period end); until then
  it is *pending* and counts as on time so far — the convention of R-TIME-15 for dossiers in
  progress within their deadline (and of R-IDX-02 for open petitions). For a closed period the
  deadline is never after E (it is at the latest ``effective_from`` ≤ period end), so pending only
  exists in the current period, or with an override later than the period end.

The first half is pure (dates and a ``worktime.calc.Calendar``); ``publication_tally`` reads the
database for one province and date range.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.db.models import QuerySet

from motcua.catalog.models import ProcedureVersion
from motcua.core.clock import local_today
from motcua.geo.models import Province
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

#: Default lead time in working days. UNVERIFIED: to be confirmed from Decree 63/2010/NĐ-CP as
#: amended by Decree 92/2017/NĐ-CP (docs/decisions/0006-publication-deadline.md).
DEFAULT_LEAD_WORKING_DAYS = 5


class Status(StrEnum):
    ON_TIME = "on_time"  # published on or before the deadline
    LATE = "late"  # published after the deadline, or still unpublished once it has passed
    PENDING = "pending"  # unpublished, deadline not passed yet: counted as on time so far


STATUS_VI: dict[Status, str] = {
    Status.ON_TIME: "Công bố đúng hạn",
    Status.LATE: "Công bố trễ hạn",
    Status.PENDING: "Chưa công bố, chưa đến hạn",
}


def lead_working_days() -> int:
    """``MOTCUA_PUBLICATION_LEAD_WORKING_DAYS`` (default 5, unverified)."""
    days = int(getattr(settings, "MOTCUA_PUBLICATION_LEAD_WORKING_DAYS", DEFAULT_LEAD_WORKING_DAYS))
    if days < 0:
        raise ValueError(f"MOTCUA_PUBLICATION_LEAD_WORKING_DAYS must be ≥ 0, got {days}")
    return days


def computed_deadline(effective_from: date, cal: calc.Calendar, lead_days: int) -> date:
    """The ``lead_days``-th working day strictly before ``effective_from`` (R-CAL-02: weekends,
    holidays and swapped days off skipped, swapped working days counted); ``effective_from``
    itself when ``lead_days`` is 0."""
    if lead_days < 0:
        raise ValueError(f"lead_days must be ≥ 0, got {lead_days}")
    day = effective_from
    for _ in range(lead_days):
        day = calc.previous_working_day(day, cal)
    return day


def deadline_of(
    effective_from: date, override: date | None, cal: calc.Calendar, lead_days: int
) -> date:
    """The publication deadline: the province's override when set, else the computed one."""
    if override is not None:
        return override
    return computed_deadline(effective_from, cal, lead_days)


def classify(published_on: date | None, deadline: date, as_of: date) -> Status:
    """On time / late / pending (see the module docstring). A recorded publication date decides
    by itself; ``as_of`` only matters for a version not published yet."""
    if published_on is not None:
        return Status.ON_TIME if published_on <= deadline else Status.LATE
    return Status.LATE if deadline < as_of else Status.PENDING


@dataclass(frozen=True)
class Row:
    """One version behind the figure (the drill-down)."""

    version_id: str
    code: str
    version: int
    name: str
    effective_from: date
    deadline: date
    deadline_overridden: bool
    decision: str
    published_on: date | None
    status: Status
    unit_ids: frozenset[uuid.UUID] = frozenset()  # the version's implementing units

    @property
    def status_vi(self) -> str:
        if self.status == Status.LATE and self.published_on is None:
            return "Chưa công bố, đã quá hạn"  # late, but not "published late"
        return STATUS_VI[self.status]


@dataclass(frozen=True)
class Tally:
    """Numerator (on time + pending) / denominator (versions taking effect in the period)."""

    start: date
    end: date
    as_of: date
    lead_days: int
    rows: list[Row] = field(default_factory=list)

    @property
    def denominator(self) -> int:
        return len(self.rows)

    @property
    def numerator(self) -> int:
        return sum(1 for r in self.rows if r.status != Status.LATE)

    def of(self, status: Status) -> list[Row]:
        return [r for r in self.rows if r.status == status]

    @property
    def counted(self) -> list[Row]:
        """The versions behind the numerator."""
        return [r for r in self.rows if r.status != Status.LATE]

    def for_units(self, unit_ids: Iterable[uuid.UUID]) -> Tally:
        """The versions implemented by at least one of ``unit_ids`` (a commune's or a
        department's share of the province's publications; a version with no implementing unit
        only counts for the whole province)."""
        wanted = frozenset(unit_ids)
        return replace(self, rows=[r for r in self.rows if r.unit_ids & wanted])


def versions_requiring_publication(
    province: Province | int, start: date, end: date
) -> QuerySet[ProcedureVersion]:
    """Versions of the province's procedures taking effect in [start, end] (every version, not
    only the one in force today: a replaced version still had to be published)."""
    return ProcedureVersion.objects.filter(
        procedure__province=province, effective_from__gte=start, effective_from__lte=end
    )


def implementing_units(version_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """Implementing units of each version (one query)."""
    through = ProcedureVersion.implementing_units.through
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for version_id, unit_id in through.objects.filter(
        procedureversion_id__in=list(version_ids)
    ).values_list("procedureversion_id", "unit_id"):
        found[version_id].add(unit_id)
    return {k: frozenset(v) for k, v in found.items()}


def publication_tally(
    province: Province | int, start: date, end: date, *, as_of: date | None = None
) -> Tally:
    """The indicator's inputs for one province and date range (both ends inclusive), with the
    versions behind them. ``as_of`` defaults to min(today, end)."""
    if end < start:
        raise ValueError(f"period ends before it starts: {start} – {end}")
    when = min(as_of or local_today(), end)
    lead = lead_working_days()
    rows = []
    versions = list(
        versions_requiring_publication(province, start, end)
        .select_related("procedure")
        .only(
            "id",
            "version",
            "name",
            "effective_from",
            "publication_decision",
            "published_on",
            "publication_deadline",
            "procedure__code_national",
        )
        .order_by("effective_from", "procedure__code_national", "version")
    )
    if not versions:  # the board reads this every time: no query more than needed
        return Tally(start=start, end=end, as_of=when, lead_days=lead)
    cal = calendar_for(province)
    units = implementing_units(v.pk for v in versions)
    for v in versions:
        deadline = deadline_of(v.effective_from, v.publication_deadline, cal, lead)
        rows.append(
            Row(
                version_id=str(v.pk),
                code=v.procedure.code_national,
                version=v.version,
                name=v.name,
                effective_from=v.effective_from,
                deadline=deadline,
                deadline_overridden=v.publication_deadline is not None,
                decision=v.publication_decision,
                published_on=v.published_on,
                status=classify(v.published_on, deadline, when),
                unit_ids=units.get(v.pk, frozenset()),
            )
        )
    return Tally(start=start, end=end, as_of=when, lead_days=lead, rows=rows)
