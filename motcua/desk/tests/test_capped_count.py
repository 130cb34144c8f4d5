"""The desk list counts only what it must (issue #12 part 9, decisions 0029 and 0032): a list
that fits on its page is not counted; a longer one is counted up to ``core.paging.CAP`` rows and
says "more than" beyond it; on PostgreSQL, when the planner expects more than the cap, it is not
counted at all and the page says "more than <rows up to this page>", exact, and "about <the
planner's estimate>", marked as an estimate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core import paging
from motcua.desk import dossiers as desk_list
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import received_in_one_step

pytestmark = pytest.mark.django_db

ORDER = ("due_at_current", "-submitted_at", "code")


@pytest.fixture
def three(officer_b: User, psc_b: Unit, pc_a: Unit) -> list[Dossier]:
    names = ["Nguyễn Văn Bình", "Nguyễn Thị Hoa", "Lê Văn Bình"]
    return [received_in_one_step(officer_b, at=psc_b, competent=pc_a, name=n) for n in names]


def postgres() -> bool:
    return connection.vendor == "postgresql"


def reads(queries: CaptureQueriesContext) -> list[str]:
    """The statements that read, without the plan-mode SET and RESET around them."""
    return [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SET ", "RESET "))
    ]


def row_reads(queries: CaptureQueriesContext) -> list[str]:
    """The statements that read rows (not the planner's EXPLAIN)."""
    return [sql for sql in reads(queries) if not sql.startswith("EXPLAIN")]


def test_a_list_that_fits_on_its_page_is_not_counted(three: list[Dossier]) -> None:
    rows = Dossier.objects.order_by(*ORDER)
    paginator = paging.CappedPaginator(rows, 25, cap=1)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(1)
        assert paginator.count == 3  # exact although above the cap: nothing after the page
    (sql,) = reads(queries)  # the page, fetched with one row more; no EXPLAIN, no COUNT
    assert "COUNT(" not in sql.upper()
    assert not paginator.capped
    assert paginator.estimated is None
    assert [d.pk for d in page] == [d.pk for d in rows]
    assert not page.has_next()


def test_the_last_page_gives_the_exact_count_without_a_count_query(
    three: list[Dossier],
) -> None:
    paginator = paging.CappedPaginator(Dossier.objects.order_by(*ORDER), 2, cap=1000)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(2)
        assert paginator.count == 3
    (sql,) = reads(queries)
    assert "COUNT(" not in sql.upper()
    assert len(page) == 1
    assert page.has_previous()
    assert not page.has_next()


def test_a_longer_list_within_the_cap_is_counted_exactly(three: list[Dossier]) -> None:
    rows = Dossier.objects.order_by(*ORDER)
    for number, expected in enumerate(rows, start=1):
        paginator = paging.CappedPaginator(rows, 1, cap=1000)
        with CaptureQueriesContext(connection) as queries:
            page = paginator.get_page(number)
        counts = [sql for sql in row_reads(queries) if "COUNT(" in sql.upper()]
        assert len(counts) == (1 if number < 3 else 0)  # the last page shows the end
        assert [d.pk for d in page] == [expected.pk]
        assert paginator.count == 3
        assert paginator.num_pages == 3
        assert not paginator.capped
        assert page.has_next() == (number < 3)


def test_beyond_the_cap_it_says_more_exactly_or_estimates_on_postgresql(
    three: list[Dossier],
) -> None:
    rows = Dossier.objects.order_by(*ORDER)
    paginator = paging.CappedPaginator(rows, 1, cap=0)
    page = paginator.get_page(1)
    assert [d.pk for d in page] == [rows[0].pk]
    if postgres():  # the planner expects at least one row: above a cap of 0, not counted
        assert paginator.estimated is not None
        assert paginator.estimated >= 1
        assert paginator.more_than == 1  # the page's row and the one fetched after it
        assert not paginator.capped
        assert isinstance(page, paging.OpenPage)
        assert page.has_next()
        assert page.next_page_number() == 2
    else:  # no planner estimate on SQLite: counted up to cap + 1
        assert paginator.estimated is None
        assert paginator.capped
        assert paginator.count == 1


def test_an_estimated_list_pages_forward_without_counting(three: list[Dossier]) -> None:
    if not postgres():
        pytest.skip("the planner's estimate is PostgreSQL's")
    rows = Dossier.objects.order_by(*ORDER)
    paginator = paging.CappedPaginator(rows, 1, cap=0)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(2)
    assert [sql.split()[0] for sql in reads(queries)] == ["SELECT", "EXPLAIN"]
    assert [d.pk for d in page] == [rows[1].pk]
    assert paginator.more_than == 2
    assert page.next_page_number() == 3


def test_a_page_past_the_end_answers_the_last_page(three: list[Dossier]) -> None:
    rows = Dossier.objects.order_by(*ORDER)
    page = paging.CappedPaginator(rows, 2, cap=1000).get_page(99)
    assert page.number == 2
    assert [d.pk for d in page] == [rows[2].pk]
    assert paging.CappedPaginator(rows, 2).get_page("x").number == 1


def test_the_estimate_is_shown_to_two_significant_digits() -> None:
    paginator = paging.CappedPaginator(Dossier.objects.order_by(*ORDER), 25)
    for estimate, shown in [(16_933, 17_000), (1_001, 1_000), (163_895, 160_000), (87, 87)]:
        paginator.estimated = estimate
        assert paginator.about == shown


def test_planner_rows_is_postgresqls_estimate(three: list[Dossier]) -> None:
    estimate = paging.planner_rows(Dossier.objects.filter(applicant_name_folded__startswith="x"))
    if postgres():
        assert isinstance(estimate, int)
        assert estimate >= 1
    else:
        assert estimate is None
    assert paging.planner_rows([1, 2, 3]) is None


def test_the_list_says_how_many_or_more_than(
    officer_b: User, three: list[Dossier], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = logged_in(officer_b)
    broad = client.get("/desk/dossiers/", {"q": "nguyen"}).content.decode()
    assert "2 hồ sơ" in broad
    assert "Hơn" not in broad
    monkeypatch.setattr(desk_list, "PER_PAGE", 1)
    counted = client.get("/desk/dossiers/", {"q": "nguyen"}).content.decode()
    assert "2 hồ sơ" in counted
    assert "1 / 2" in counted
    second = client.get("/desk/dossiers/", {"q": "nguyen", "page": "2"}).content.decode()
    found = {
        n for n in ("Nguyễn Văn Bình", "Nguyễn Thị Hoa", "Lê Văn Bình") if n in counted + second
    }
    assert found == {"Nguyễn Văn Bình", "Nguyễn Thị Hoa"}  # the name filter held on both pages
    monkeypatch.setattr(paging, "CAP", 0)  # the planner expects at least one row: above it
    every = client.get("/desk/dossiers/").content.decode()
    if postgres():
        assert "Hơn 1 hồ sơ, ước tính khoảng" in every
        assert "Trang 1" in every
        assert "page=2" in every
    else:
        assert "Hơn 0 hồ sơ. Hãy thu hẹp tìm kiếm" in every
    assert "Hãy thu hẹp tìm kiếm" in every


def test_the_capped_count_leaves_out_the_pages_joins(three: list[Dossier]) -> None:
    """The page's ``select_related`` (units, procedure) cannot change how many rows match:
    the count runs on the dossiers alone (decision 0029)."""
    rows = Dossier.objects.select_related("receiving_unit", "procedure_version").order_by(
        "due_at_current"
    )
    with CaptureQueriesContext(connection) as queries:
        assert paging.CappedPaginator(rows, 25, cap=5).count == 3
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "JOIN" not in sql.upper(), sql


def show_plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return str(cursor.fetchone()[0])


def test_custom_plans_hold_inside_and_are_reset_after_even_on_error() -> None:
    if not postgres():
        with paging.custom_plans("default"):  # nothing to set elsewhere
            pass
        return
    before = show_plan_cache_mode()
    with paging.custom_plans("default"):
        assert show_plan_cache_mode() == "force_custom_plan"
    assert show_plan_cache_mode() == before
    with pytest.raises(ZeroDivisionError), paging.custom_plans("default"):
        _ = 1 / 0
    assert show_plan_cache_mode() == before


def test_a_repeated_search_is_never_planned_generically(
    officer_b: User, three: list[Dossier]
) -> None:
    """Server-side binding prepares a statement run five times (decision 0007); PostgreSQL may
    then plan it without the words' values. The list's queries are planned for their values."""
    from motcua.dossiers.selectors import queue, search

    if not postgres():
        pytest.skip("prepared statements and plan caching are PostgreSQL's")
    for name in ["nguyen van", "le van", "nguyen thi", "van binh", "thi hoa", "le binh"] * 2:
        rows = search(queue(officer_b, "all"), name).order_by(*ORDER)
        paging.CappedPaginator(rows, 1, cap=1000).get_page(1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) "
            "FROM pg_prepared_statements WHERE statement LIKE '%dossiers_dossier%'"
        )
        generic, custom = cursor.fetchone()
    assert custom > 0  # the list's statements were prepared (run more than five times)
    assert generic == 0
    assert show_plan_cache_mode() != "force_custom_plan"
