"""What the operations-centre board costs per request (issue #12 item 9, decision 0028): its
figures are assembled from the rollups and rendered at most once per
``MOTCUA_BOARD_CACHE_SECONDS`` per worker process, period, day and language; the page itself
then costs the session, the user and the shell. The time is measured by ``motcua bench pages``,
never asserted here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from conftest import logged_in
from motcua.accounts.models import User
from motcua.core.clock import now, to_local
from motcua.dossiers.models import Dossier
from motcua.insights.models import Rollup
from motcua.ioc import board
from motcua.ioc.tests.test_board import history  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

#: A board served from the kept figures: session, user, roles and second factor, the shell
#: (province, permissions), the national sync health. 31 when assembled (test_board.py).
MAX_KEPT_BOARD_QUERIES = 12


@pytest.fixture
def kept() -> Iterator[None]:
    board.forget()
    with override_settings(MOTCUA_BOARD_CACHE_SECONDS=30):
        yield
    board.forget()


def kept_periods(*keys: str) -> set[str]:
    """Which of these periods' boards of today the process keeps."""
    day = to_local(now()).date()
    return {key for key in keys if caches[board.KEPT_CACHE].has_key(board.kept_key(key, day))}


def page(html: bytes) -> str:
    """The page without what differs between two requests whatever the board: the CSRF tokens
    (64 letters and digits, masked anew for each response)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", html.decode())


def test_a_kept_board_is_the_same_page_for_far_fewer_queries(
    history: list[Dossier],  # noqa: F811
    ioc_viewer: User,
    kept: None,
) -> None:
    client = logged_in(ioc_viewer)
    with override_settings(MOTCUA_BOARD_CACHE_SECONDS=0):
        assembled = client.get("/ioc/", {"ky": "2026-Q1"})
    first = client.get("/ioc/", {"ky": "2026-Q1"})  # assembles and keeps
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/ioc/", {"ky": "2026-Q1"})
    assert second.status_code == 200
    assert len(queries.captured_queries) <= MAX_KEPT_BOARD_QUERIES, [
        q["sql"][:90] for q in queries.captured_queries
    ]
    assert page(first.content) == page(second.content)
    # Kept or not, the same page (the time of the figures aside: the clock does not move here).
    assert page(assembled.content) == page(first.content)
    assert "66.67" in page(second.content) or "66,67" in page(second.content)
    live = client.get(
        "/ioc/", {"ky": "2026-Q1", "phan": "truc-tiep"}, headers={"HX-Request": "true"}
    )
    assert b'id="live"' in live.content
    assert b"<html" not in live.content


def test_kept_figures_expire_after_the_configured_seconds(
    history: list[Dossier],  # noqa: F811
    ioc_viewer: User,
    kept: None,
) -> None:
    """Within the window the board shows the figures it kept; after it, the current ones."""
    client = logged_in(ioc_viewer)
    before = page(client.get("/ioc/", {"ky": "2026-Q1"}).content)
    assert "66,67" in before or "66.67" in before
    Rollup.objects.all().delete()  # the figures change (as a rebuild would change them)
    assert page(client.get("/ioc/", {"ky": "2026-Q1"}).content) == before  # kept
    with (
        time_machine.travel(now() + timedelta(seconds=31), tick=False),  # past the window
        CaptureQueriesContext(connection) as queries,
    ):
        again = page(client.get("/ioc/", {"ky": "2026-Q1"}).content)
    assert len(queries.captured_queries) > MAX_KEPT_BOARD_QUERIES  # assembled again
    assert "66,67" not in again
    assert "66.67" not in again


def test_kept_boards_are_per_period_and_bounded(
    history: list[Dossier],  # noqa: F811
    ioc_viewer: User,
    kept: None,
) -> None:
    client = logged_in(ioc_viewer)
    q1 = client.get("/ioc/", {"ky": "2026-Q1"}).content.decode()
    q2 = client.get("/ioc/", {"ky": "2026-Q2"}).content.decode()
    assert "66,67" in q1 or "66.67" in q1
    assert q1 != q2
    periods = ("2026-Q1", "2026-Q2", "2026-M01", "2026-M02", "2026-M03", "2026-6T")
    assert kept_periods(*periods) == {"2026-Q1", "2026-Q2"}
    three = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "motcua-board-of-three",
        "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 3},  # the least recently used goes
    }
    with override_settings(CACHES={**settings.CACHES, board.KEPT_CACHE: three}):
        board.forget()
        for key in ("2026-M01", "2026-M02", "2026-M03", "2026-6T"):
            assert client.get("/ioc/", {"ky": key}).status_code == 200
        assert kept_periods(*periods) == {"2026-M02", "2026-M03", "2026-6T"}  # oldest out
