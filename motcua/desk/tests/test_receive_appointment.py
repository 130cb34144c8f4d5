"""R-TIME-07 at the desk: a dossier of a procedure that publishes no time limit is received with
the appointment the officer sets (the desk asked for it only over the API before)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from conftest import logged_in
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import Applicant, Filing, do_create_dossier
from motcua.dossiers.actions.core import time_limit
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import CITIZEN_ID, all_components
from motcua.dossiers.tests.test_declarations import units_for, version_of
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db
CODE = "1.001022"  # publishes no time-limit unit (2.000720 has one since session 8)


@pytest.fixture(autouse=True)
def tuesday_morning() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def test_the_desk_asks_for_the_appointment_and_receives_with_it(
    officer_a: User, psc_a: Unit
) -> None:
    version = version_of(CODE)
    assert time_limit(version) is None
    receiving, competent = units_for(version, psc_a)
    RoleAssignment.objects.get_or_create(user=officer_a, unit=receiving, role=Role.ONE_STOP_OFFICER)
    filing = Filing(
        procedure_code=CODE,
        receiving_unit=receiving,
        competent_unit=competent,
        channel="counter",
        applicant=Applicant(kind="person", name="Võ Minh Khang", id_number=CITIZEN_ID),
        components=tuple(all_components(CODE)),
    )
    dossier = do_create_dossier(filing, acting_user=officer_a)
    desk = logged_in(officer_a)
    page = desk.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert 'name="appointment_at"' in page
    answer = desk.post(
        f"/desk/dossiers/{dossier.pk}/act/receive/", {"appointment_at": "2026-03-20T09:00"}
    )
    assert answer.status_code == 302
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == "received"
    assert stored.due_at_current == datetime(2026, 3, 20, 9, 0, tzinfo=TZ)
