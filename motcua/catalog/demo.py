"""Demo publication data, so the board's "TTHC published/updated on time" (766, §10.4) has a
figure in the current quarter. DEMO ONLY — called by ``demo_setup``, never by the importer.

Real decision numbers of real procedures are not invented (R-CAT-02): every decision here is
numbered ``DEMO-…/QĐ-UBND`` and every demo version says so in its ``source``. Five procedures
get an updated version (same content as the seeded one) taking effect inside the current quarter,
published early, on the deadline day, late, and not at all; the seeded versions keep empty
publication fields.

Idempotent: nothing is added once any ``DEMO-`` decision exists.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from motcua.catalog.models import (
    Component,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    ResultDocument,
)
from motcua.catalog.publication import deadline_of, lead_working_days
from motcua.core.clock import local_today
from motcua.geo.models import Province
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

DEMO_PREFIX = "DEMO-"
DEMO_SOURCE = (
    "Bản demo: phiên bản cập nhật giả lập để minh họa chỉ số công bố TTHC đúng hạn; "
    "số quyết định DEMO-… không phải quyết định thật."
)
# (days before today the version takes effect, how it was published)
_PLAN: tuple[tuple[int, str], ...] = (
    (40, "early"),
    (30, "on_deadline"),
    (20, "late"),
    (12, "early"),
    (6, "unpublished"),
)


def _copy(previous: ProcedureVersion, effective_from: date) -> ProcedureVersion:
    """A new version with the content of ``previous`` taking effect on ``effective_from``."""
    components = list(previous.components.all())
    steps = list(previous.steps.all())
    results = list(previous.results.all())
    units = list(previous.implementing_units.all())
    new = ProcedureVersion.objects.get(pk=previous.pk)
    new.pk = None
    new._state.adding = True
    new.version = previous.version + 1
    new.effective_from = effective_from
    new.effective_to = None
    new.source = f"{previous.source}\n{DEMO_SOURCE}".strip()
    new.save(force_insert=True)
    for rows in (components, steps, results):
        for row in rows:
            row.pk = None
            row._state.adding = True
            row.version = new
    Component.objects.bulk_create(components)
    ProcessStep.objects.bulk_create(steps)
    ResultDocument.objects.bulk_create(results)
    new.implementing_units.set(units)
    previous.effective_to = effective_from  # the importer's convention
    previous.save(update_fields=["effective_to", "updated_at"])
    procedure = previous.procedure
    procedure.current = new
    procedure.save(update_fields=["current", "updated_at"])
    return new


@transaction.atomic
def seed_demo_publications(province: Province) -> int:
    """Add the demo versions with their demo decisions; returns how many were added."""
    if ProcedureVersion.objects.filter(
        procedure__province=province, publication_decision__startswith=DEMO_PREFIX
    ).exists():
        return 0
    today = local_today()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    cal = calendar_for(province)
    lead = lead_working_days()
    procedures = list(
        Procedure.objects.filter(province=province, current__isnull=False)
        .select_related("current", "current__procedure")
        .order_by("code_national")[: len(_PLAN)]
    )
    made = 0
    for number, (procedure, (days_ago, how)) in enumerate(
        zip(procedures, _PLAN, strict=False), start=1
    ):
        previous = procedure.current
        assert previous is not None
        effective_from = max(today - timedelta(days=days_ago), quarter_start)
        if effective_from <= previous.effective_from:
            continue
        version = _copy(previous, effective_from)
        deadline = deadline_of(effective_from, None, cal, lead)
        if how == "early":
            published_on = calc.previous_working_day(calc.previous_working_day(deadline, cal), cal)
        elif how == "on_deadline":
            published_on = deadline
        elif how == "late":
            published_on = calc.next_working_day(deadline, cal)
        else:
            published_on = None
        if published_on is not None:
            version.publication_decision = f"{DEMO_PREFIX}{number:02d}/QĐ-UBND"
            version.published_on = published_on
            version.save(update_fields=["publication_decision", "published_on", "updated_at"])
        made += 1
    return made
