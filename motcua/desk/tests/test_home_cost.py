"""What the desk's home costs (issue #12 item 9): the eight queue counts are one aggregate and
the petition badge another, with the same numbers as a count per queue; the page takes a bounded
number of queries. The time is measured by ``motcua bench pages``, never asserted here."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.clock import now
from motcua.dossiers.actions import do_forward_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import QUEUES, queue, queue_counts
from motcua.dossiers.tests.factories import received, submitted

pytestmark = pytest.mark.django_db

#: Session, user, roles (second factor), the calendar, the queue counts, the petition badge,
#: the consultations, the assignments, the page shell (province, permissions). 19 for the
#: counter officer before issue #12 item 9 (a count query per queue and per badge item).
MAX_HOME_QUERIES = 15


@pytest.fixture
def work(
    officer_a: User, officer_b: User, specialist_a: User, psc_a: Unit, psc_b: Unit, pc_a: Unit
) -> list[Dossier]:
    """Dossiers in several queues: waiting at commune B's counter, received there, forwarded to
    commune A's specialist, one of them overdue."""
    waiting = submitted(officer_b, at=psc_b, competent=pc_a, name="Lê Văn Chờ")
    held = received(officer_b, at=psc_b, competent=pc_a, name="Trần Thị Giữ")
    moved = [received(officer_a, at=psc_a, competent=pc_a) for _ in range(3)]
    for dossier in moved:
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    Dossier.objects.filter(pk=moved[0].pk).update(due_at_current=now() - timedelta(days=2))
    return [waiting, held, *moved]


@pytest.mark.parametrize(
    "persona", ["officer_a", "officer_b", "specialist_a", "leader_a", "provincial_admin"]
)
def test_one_aggregate_counts_every_queue_as_a_count_per_queue_would(
    work: list[Dossier], persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    names = list(QUEUES)
    expected = {name: queue(user, name).count() for name in names}
    with CaptureQueriesContext(connection) as queries:
        found = queue_counts(user, names)
    assert found == expected
    assert len([q for q in queries.captured_queries if "dossiers_dossier" in q["sql"]]) <= 1


def test_the_counts_are_not_all_zero_where_there_is_work(
    work: list[Dossier], officer_b: User, specialist_a: User
) -> None:
    counter = queue_counts(officer_b, ["to_receive", "to_forward", "to_appraise"])
    assert counter == {"to_receive": 1, "to_forward": 1, "to_appraise": 0}
    appraisal = queue_counts(specialist_a, ["to_appraise", "overdue", "to_receive"])
    assert appraisal["to_appraise"] == 3
    assert appraisal["overdue"] >= 1
    assert appraisal["to_receive"] == 0


def test_the_desk_home_takes_a_bounded_number_of_queries(
    work: list[Dossier], officer_b: User, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(officer_b)
    client.get("/desk/")  # per-process caches (unit tree, calendar, catalogue)
    with django_assert_max_num_queries(MAX_HOME_QUERIES):
        response = client.get("/desk/")
    assert response.status_code == 200
    html = response.content.decode()
    counts = dict(
        re.findall(r'queue=(\w+)"><span class="stat">(\d+)</span>', html)
    )  # the figures shown
    assert counts["to_receive"] == "1"
    assert counts["to_forward"] == "1"
