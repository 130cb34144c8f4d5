"""The indicators follow a calendar change (issue #13, the re-dating regression): when a day
off moves an open dossier's deadline, its fact and the board's counters move with it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from conftest import CAN_THO
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import do_forward_dossier
from motcua.dossiers.tasks import redate_after_calendar_change
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.insights.models import DossierFact
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
