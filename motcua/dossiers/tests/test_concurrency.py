"""Real threads, real commits: numbers stay unique and gap-free, and one of two racing officers
wins (DESIGN §4). Marked ``concurrency``: they run last because Django empties the database
after a transactional test."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
import time_machine
from django.db import close_old_connections, connection

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import do_receive_dossier
from motcua.dossiers.errors import AlreadyHandled, IllegalTransitionError
from motcua.dossiers.models import Dossier, DossierSequence
from motcua.dossiers.tests.factories import received_in_one_step, submitted
from motcua.worktime.calc import TZ

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def run_together(work: list[Callable[[], None]]) -> list[BaseException | None]:
    """Start every callable at the same moment (barrier) in its own thread and connection."""
    barrier = threading.Barrier(len(work))
    outcomes: list[BaseException | None] = [None] * len(work)

    def runner(index: int, fn: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            fn()
        except BaseException as exc:  # collected and asserted by the test
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def allow_flush_of_the_trail() -> Iterator[None]:
    """Django empties the database after a transactional test; on SQLite that is a DELETE,
    which the immutability triggers refuse. Drop them just before that (nothing runs after the
    concurrency tests). PostgreSQL empties tables with TRUNCATE, which row triggers ignore."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS dossiers_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS dossiers_event_no_delete")


def test_receipts_at_the_same_moment_stay_unique_gap_free_and_single(
    allow_flush_of_the_trail: None, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN eight complete dossiers at one counter WHEN eight receipts run at once THEN the
    day's numbers are exactly 1..8 (R-ID-11); and GIVEN two officers receiving the SAME dossier
    at once THEN one wins, the other gets a clear error, and its number rolls back with it
    (no gap). One test, because Django empties the database after each transactional test."""
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        dossiers = [
            submitted(officer_a, at=psc_a, competent=pc_a, name=f"Trẻ {i}") for i in range(8)
        ]
        outcomes = run_together([_receiver(d.pk, officer_a, psc_a) for d in dossiers])
        assert outcomes == [None] * 8
        codes = sorted(
            str(code)
            for code in Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list(
                "code", flat=True
            )
        )
        assert codes == [f"{psc_a.eid_code}-260310-{n:04d}" for n in range(1, 9)]

        contested = submitted(officer_a, at=psc_a, competent=pc_a, name="Trẻ tranh chấp")
        outcomes = run_together([_receiver(contested.pk, officer_a, psc_a)] * 2)
    failures = [o for o in outcomes if o is not None]
    assert len(failures) == 1
    assert isinstance(failures[0], AlreadyHandled | IllegalTransitionError)
    assert "hồ sơ" in failures[0].message_vi.lower()
    contested.refresh_from_db()
    assert contested.state == "received"
    assert contested.events.filter(kind="dossier:state:received").count() == 1
    assert contested.code == f"{psc_a.eid_code}-260310-0009"
    assert DossierSequence.objects.get(unit=psc_a).last == 9

    # The counter's one-step receipt takes the number last (number_dossier): five at once, one
    # of them incomplete (refused, nothing written), continue the day's numbers without a gap.
    with time_machine.travel(datetime(2026, 3, 10, 9, 30, tzinfo=TZ), tick=False):
        outcomes = run_together(
            [_one_step(officer_a, psc_a, pc_a, f"Bé {i}", complete=i != 2) for i in range(5)]
        )
    assert [type(o).__name__ if o else None for o in outcomes] == [
        None,
        None,
        "RuleViolation",
        None,
        None,
    ]
    one_step = Dossier.objects.filter(applicant_name__startswith="Bé ")
    assert sorted(str(d.code) for d in one_step) == [
        f"{psc_a.eid_code}-260310-{n:04d}" for n in range(10, 14)
    ]
    assert {d.state for d in one_step} == {"received"}
    assert DossierSequence.objects.get(unit=psc_a).last == 13


def _one_step(
    officer: User, at: Unit, competent: Unit, name: str, *, complete: bool
) -> Callable[[], None]:
    def receive() -> None:
        received_in_one_step(officer, at=at, competent=competent, name=name, complete=complete)

    return receive


def _receiver(pk: uuid.UUID, officer: User, unit: Unit) -> Callable[[], None]:
    def receive() -> None:
        do_receive_dossier(Dossier.objects.get(pk=pk), acting_user=officer, at_unit=unit)

    return receive
