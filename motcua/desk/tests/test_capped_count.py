"""The desk list counts at most ``core.paging.CAP`` rows (issue #12 part 9): beyond it, it says
"more than" and asks to narrow the search, instead of counting a province's history."""

from __future__ import annotations

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core import paging
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import received_in_one_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(officer_b: User, psc_b: Unit, pc_a: Unit) -> list[Dossier]:
    names = ["Nguyễn Văn Bình", "Nguyễn Thị Hoa", "Lê Văn Bình"]
    return [received_in_one_step(officer_b, at=psc_b, competent=pc_a, name=n) for n in names]


def test_beyond_the_cap_the_list_says_more_and_asks_to_narrow(
    officer_b: User, three: list[Dossier], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "CAP", 2)
    client = logged_in(officer_b)
    broad = client.get("/desk/dossiers/", {"q": "nguyen"}).content.decode()
    assert "2 hồ sơ" in broad  # two match, within the cap: counted
    every = client.get("/desk/dossiers/").content.decode()
    assert "Hơn 2 hồ sơ. Hãy thu hẹp tìm kiếm" in every
    assert all(d.code in every for d in three if d.code)  # the page itself is complete


def test_the_capped_count_ignores_the_order_and_stops_at_cap_plus_one(three: list[Dossier]) -> None:
    rows = Dossier.objects.order_by("due_at_current", "-submitted_at")
    assert paging.CappedPaginator(rows, 25, cap=1).count == 2
    assert paging.CappedPaginator(rows, 25, cap=1).capped
    assert paging.CappedPaginator(rows, 25, cap=3).count == 3
    assert not paging.CappedPaginator(rows, 25, cap=3).capped


def test_the_capped_count_leaves_out_the_pages_joins(three: list[Dossier]) -> None:
    """The page's ``select_related`` (units, procedure) cannot change how many rows match:
    the count runs on the dossiers alone (decision 0029)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = Dossier.objects.select_related("receiving_unit", "procedure_version").order_by(
        "due_at_current"
    )
    with CaptureQueriesContext(connection) as queries:
        assert paging.CappedPaginator(rows, 25, cap=5).count == 3
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "JOIN" not in sql.upper(), sql
