"""The indicators follow a calendar change (issue #13, the re-dating regression): when a day
off moves an open dossier's deadline, its fact and the board's counters move with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from conftest import CAN_THO
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import do_forward_dossier
from motcua.dossiers.jobs import redate_open_dossiers
from motcua.dossiers.tasks import redate_after_calendar_change
from motcua.dossiers.tests.factories import (
    TRANSACTION_CERT,
    received,
    received_in_one_step,
    submitted,
)
from motcua.insights import rollups
from motcua.insights.models import DossierFact, OpenRollup
from motcua.insights.rollups import rebuild, snapshot
from motcua.worktime.calc import TZ
from motcua.worktime.calendars import calendar_for, do_add_calendar_entry
from motcua.worktime.models import WorkingCalendar

pytestmark = pytest.mark.django_db


def test_a_day_off_moves_the_fact_of_the_redated_dossier_and_the_counters_agree(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN a 2-working-day dossier received Tue 1/9/2026 09:00, due Fri 4/9 (2/9 is National
    Day) WHEN the admin adds Thu 3/9 as a holiday and the re-dating job runs (the path of the
    database under test: set-based SQL on PostgreSQL, batches elsewhere) THEN the dossier is
    due Mon 7/9 and so is its indicator fact, which is no longer open until 4/9 (R-LATE-07,
    R-TIME-15: the board would count it overdue two days early), and the counters kept
    incrementally equal a full rebuild."""
    with time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=TZ), tick=False):
        dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        assert DossierFact.objects.get(pk=dossier.pk).due_on == date(2026, 9, 4)
        before = calendar_for(CAN_THO)
        do_add_calendar_entry(
            WorkingCalendar.objects.get(province_id=CAN_THO),
            day=date(2026, 9, 3),
            kind="holiday",
            name="Quốc khánh (ngày liền kề)",
            legal_basis="Thông báo (thử nghiệm)",
            acting_user=None,
        )
        moved = redate_after_calendar_change.call(
            CAN_THO,
            "2026-09-03",
            sorted(d.isoformat() for d in before.days_off),
            sorted(d.isoformat() for d in before.extra_working_days),
            "Lịch: nghỉ 03/09/2026",
        )
    assert moved == 1
    dossier.refresh_from_db()
    assert dossier.due_at_original is not None
    assert dossier.due_at_original.astimezone(TZ).date() == date(2026, 9, 7)
    fact = DossierFact.objects.get(pk=dossier.pk)
    assert fact.due_on == date(2026, 9, 7)
    assert fact.open_until is not None
    assert fact.open_until >= date(2026, 9, 7)
    incremental = snapshot()
    rebuild()
    assert snapshot() == incremental


def test_set_based_refresh_of_a_few_hundred_redated_dossiers_equals_a_rebuild(
    officer_a: User,
    officer_b: User,
    psc_a: Unit,
    psc_b: Unit,
    pc_a: Unit,
    pc_b: Unit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN 300 open dossiers of two competent units received over two days (deadlines spread
    over many hours and dates), a third of them forwarded WHEN a day off inside their windows
    is added and the re-dating job runs THEN the set-based refresh (``refresh_redated``; one
    statement on PostgreSQL, ORM chunks elsewhere) moves every re-dated fact and the open
    ledger (R-LATE-07, R-TIME-15) without the per-dossier recomputation, and facts and counters
    equal a full rebuild. A dossier that is no longer open (resolved meanwhile) given to the
    same refresh is recomputed in full instead."""
    full: list[Any] = []
    recompute = rollups.refresh_many

    def spied(pks: Any) -> int:
        full.extend(pks)
        return recompute(pks)

    monkeypatch.setattr(rollups, "refresh_many", spied)
    start = datetime(2026, 9, 7, 7, 30, tzinfo=TZ)  # Monday
    with time_machine.travel(start, tick=False) as traveller:
        for i in range(300):
            # two days of office hours, a receipt every ~6 minutes
            traveller.move_to(start + timedelta(days=i // 150, minutes=45 + 3 * (i % 150)))
            officer, at, competent = (officer_a, psc_a, pc_a) if i % 2 else (officer_b, psc_b, pc_b)
            dossier = received_in_one_step(
                officer, at=at, competent=competent, code=TRANSACTION_CERT
            )
            if i % 3 == 0:
                do_forward_dossier(dossier, acting_user=officer, at_unit=at)
        traveller.move_to(datetime(2026, 9, 8, 17, 30, tzinfo=TZ))
        before = calendar_for(CAN_THO)
        day = date(2026, 9, 9)  # Wednesday: inside every window (due Wed 9 to Thu 10)
        do_add_calendar_entry(
            WorkingCalendar.objects.get(province_id=CAN_THO),
            day=day,
            kind="holiday",
            name="Nghỉ bù (thử nghiệm)",
            legal_basis="Thông báo (thử nghiệm)",
            acting_user=None,
        )
        old_due = dict(DossierFact.objects.values_list("pk", "due_on"))
        moved = redate_open_dossiers(CAN_THO, before=before, changed_day=day, reason="Lịch")
    assert moved == 300
    assert full == []  # all set-based
    facts = dict(DossierFact.objects.values_list("pk", "due_on"))
    assert sum(facts[pk] != old_due[pk] for pk in facts) == 300
    assert len(set(facts.values())) >= 2  # several due dates, several ledger keys
    assert OpenRollup.objects.filter(value__gt=0).count() >= 4
    incremental, rows = snapshot(), sorted(DossierFact.objects.values_list())
    # A dossier outside the set-based case (here: not received, so no fact) goes through the
    # full recomputation, which finds nothing to count (R-IDX-06).
    other = submitted(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
    assert rollups.refresh_redated([other.pk]) == 0
    assert full == [other.pk]
    rebuild()
    assert snapshot() == incremental
    assert sorted(DossierFact.objects.values_list()) == rows
