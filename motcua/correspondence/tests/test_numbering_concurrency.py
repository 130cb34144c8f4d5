"""Real threads, real commits: release numbers and arrival numbers stay unique and gap-free
(R-DOC-05, R-DOC-06), on SQLite and PostgreSQL alike. Marked ``flushes``: a transactional
test that needs no seeded data (it uses body ids of its own), run after the others."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection, transaction

from motcua.correspondence.models import NumberSeries
from motcua.correspondence.numbering import (
    next_arrival_number,
    next_document_number,
    series_owner,
)

pytestmark = [pytest.mark.flushes, pytest.mark.django_db(transaction=True)]
WRITERS = 8


class RolledBack(Exception):
    """A release that fails after drawing its number (e.g. the signature failed)."""


def run_together(work: list[Callable[[], int]]) -> list[int | BaseException]:
    barrier = threading.Barrier(len(work))
    outcomes: list[int | BaseException] = [RuntimeError("not run")] * len(work)

    def runner(index: int, fn: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = fn()
        except BaseException as exc:  # collected and asserted by the test
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def release(body: uuid.UUID, series: str, *, fail: bool) -> Callable[[], int]:
    def work() -> int:
        with transaction.atomic():
            number = next_document_number(body, 2026, series)
            if fail:
                raise RolledBack(number)
            return number

    return work


def arrival(body: uuid.UUID) -> Callable[[], int]:
    def work() -> int:
        with transaction.atomic():
            return next_arrival_number(body, 2026)

    return work


def test_numbers_at_release_and_arrival_are_gap_free_under_concurrency() -> None:
    """GIVEN eight releases of one body at the same moment, two of which fail after drawing a
    number, plus secret-series releases and arrivals of the same body, and releases of another
    body WHEN they run at once THEN each series holds exactly 1..n of its committed writers:
    nothing doubled, nothing skipped (R-DOC-05: per body, year and series; R-DOC-06)."""
    body, other = uuid.uuid4(), uuid.uuid4()
    work = [release(body, "main", fail=i in {2, 5}) for i in range(WRITERS)]
    work += [release(body, "secret", fail=False) for _ in range(3)]
    work += [arrival(body) for _ in range(4)]
    work += [release(other, "main", fail=False) for _ in range(3)]
    outcomes = run_together(work)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(f, RolledBack) for f in failures), failures
    assert len(failures) == 2
    main = sorted(o for o in outcomes[:WRITERS] if isinstance(o, int))
    assert main == list(range(1, WRITERS - 1))
    assert sorted(outcomes[WRITERS : WRITERS + 3]) == [1, 2, 3]  # type: ignore[type-var]
    assert sorted(outcomes[WRITERS + 3 : WRITERS + 7]) == [1, 2, 3, 4]  # type: ignore[type-var]
    assert sorted(outcomes[WRITERS + 7 :]) == [1, 2, 3]  # type: ignore[type-var]
    last = dict(NumberSeries.objects.values_list("owner", "last"))
    assert last[series_owner(body, "out", "main")] == WRITERS - 2
    assert last[series_owner(body, "in", "arrival")] == 4
