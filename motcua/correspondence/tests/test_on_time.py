"""Issue #16 item 7 (for the operations centre): incoming documents handled on time per unit —
completed by their handling deadline (R-DOC-16) — and those still open past it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.correspondence import actions as a
from motcua.correspondence import incoming
from motcua.correspondence.models import BodyProfile, Document
from motcua.correspondence.selectors import handled_on_time_by_unit
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


def paper(unit: Unit, clerk: User, n: int) -> Document:
    return a.do_register_incoming_document(
        unit,
        a.IncomingInput(type_code="cong_van", summary=f"V/v số {n}", issuing_body_code="",
                        issuing_body_name="Sở Nội vụ", number=n, symbol="SNV-VP",
                        issued_on=None),
        acting_user=clerk,
    )  # fmt: skip


def test_documents_handled_on_time_per_unit(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User, clerk_a: User
) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False) as clock:
        on_time, late, still_open = (paper(pc_a, clerk_a, n) for n in (1, 2, 3))
        for document in (on_time, late, still_open):
            incoming.do_assign_document(document, handler=specialist_a, days=2,
                                        acting_user=leader_a)  # fmt: skip
        incoming.do_complete_document(on_time, acting_user=specialist_a)  # Mon, due Wed
        clock.move_to(datetime(2026, 3, 6, 9, 0, tzinfo=TZ))  # Friday: two days late
        incoming.do_complete_document(late, acting_user=specialist_a)
        [row] = handled_on_time_by_unit({pc_a.pk}, date(2026, 3, 1), date(2026, 3, 31))
    assert (row.unit_id, row.completed, row.on_time, row.open_overdue) == (pc_a.pk, 2, 1, 1)
    assert row.rate == 0.5
    assert handled_on_time_by_unit(set(), date(2026, 3, 1), date(2026, 3, 31)) == []


def test_the_operations_centre_shows_documents_handled_on_time_per_unit(
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    ioc_viewer: User,
    officer_a: User,
) -> None:
    """Issue #16 item 7: /ioc/van-ban/ lists each unit's completed incoming documents, those by
    their deadline and those still open past it, as counts only (no summary, R-DOC-19); only the
    centre's viewers see it (others get a 404, like a missing page)."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False) as clock:
        on_time, late = (paper(pc_a, clerk_a, n) for n in (11, 12))
        for document in (on_time, late):
            incoming.do_assign_document(document, handler=specialist_a, days=2,
                                        acting_user=leader_a)  # fmt: skip
        incoming.do_complete_document(on_time, acting_user=specialist_a)
        clock.move_to(datetime(2026, 3, 6, 9, 0, tzinfo=TZ))
        incoming.do_complete_document(late, acting_user=specialist_a)
        page = logged_in(ioc_viewer).get("/ioc/van-ban/?ky=2026-M03")
        assert page.status_code == 200
        [row] = [r for r in page.context["rows"] if r.unit_id == pc_a.pk]
        assert (row.completed, row.on_time, row.open_overdue) == (2, 1, 0)
        text = page.content.decode()
        assert pc_a.name in text
        assert "V/v số 11" not in text  # counts, never content
        assert logged_in(officer_a).get("/ioc/van-ban/").status_code == 404
