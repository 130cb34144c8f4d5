"""A paginator that counts only what it must (issue #12 part 9, desk search at scale; decisions
0022, 0029, 0032).

Django's ``Paginator`` counts every matching row (``SELECT COUNT(*)``) before it fetches a page,
to show "n dossiers" and the number of pages. On a province's history the count is the cost of
a broad list, not the page: the page walks the list's order index and stops after 25 rows, the
count reads every match (or the index postings of every frequent word). This one:

1. fetches the page with one row more than it shows. If that row is absent there is nothing
   after the page, so the number of rows is known exactly without a count (most desk searches:
   a code, an ID number, a full name fit on the first page) — one query;
2. otherwise, on PostgreSQL, asks the planner how many rows it expects (``EXPLAIN``, from the
   table's statistics: no row is read). Above ``cap`` it does not count: the page says "more
   than <rows up to this page>", which is exact, and "about <estimate>", marked as an estimate
   (``estimated``), and asks to narrow the search;
3. otherwise (and on SQLite) counts at most ``cap + 1`` rows, without ordering (so the
   database stops at the cap), and says "more than ``cap``" when there are more (``capped``).

A page past the end falls back to the counted path and answers the last page, as
``Paginator.get_page`` does.

Every query of a page is planned for its values (``custom_plans``): with server-side binding
(decision 0007) psycopg prepares a statement run five times on a connection, and PostgreSQL then
may switch to a generic plan, made without the parameters' values. For a name search the words
are a parameter: a generic plan does not know whether they are rare or frequent (bench/README.md
"search after decision 0032": the 9–18 s outliers at 10 M).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connections
from django.utils.functional import cached_property

#: Rows counted at most; beyond it the page says "more than CAP" and asks to narrow the search.
CAP = 1000


class CappedPaginator(Paginator[Any]):
    def __init__(
        self, object_list: Any, per_page: int, cap: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap
        #: The planner's estimate of the number of rows when it was above ``cap`` and the rows
        #: were not counted (``get_page``); None when ``count`` is exact or capped.
        self.estimated: int | None = None
        #: With ``estimated``: the rows up to this page's end, all of them found, and one more
        #: (the page was fetched with one row after it), so "more than ``more_than``" is exact.
        self.more_than = 0
        self._exact = False  # the page found the end: ``count`` is exact, whatever the cap

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap + 1`` when there are more than ``cap``."""
        qs = self.object_list
        if hasattr(qs, "order_by") and hasattr(qs, "count"):
            if hasattr(qs, "select_related"):  # the page's joins do not change the count
                qs = qs.select_related(None)
            return int(qs.order_by()[: self.cap + 1].count())
        return min(len(qs), self.cap + 1)

    @property
    def capped(self) -> bool:
        """True when there are more rows than ``cap`` (the count shown is then "more than")."""
        return self.estimated is None and not self._exact and self.count > self.cap

    @property
    def about(self) -> int:
        """``estimated`` to two significant digits (16,933 → 17,000): what the page shows, so
        that a planner's figure does not read as a count."""
        if not self.estimated:
            return 0
        step = 10 ** max(len(str(self.estimated)) - 2, 0)
        return int(round(self.estimated / step) * step)

    def get_page(self, number: Any) -> Page[Any]:
        """The page ``number`` (1 if not a number or below 1; the last page if past the end),
        with every query it needs run here, each planned for its values."""
        with custom_plans(getattr(self.object_list, "db", None)):
            page = self._page(number)
            if self.estimated is None:
                _ = self.count  # counted here, under custom plans, not while rendering
        return page

    def _page(self, number: Any) -> Page[Any]:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        wanted = max(wanted, 1)
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not more and (rows or wanted == 1):
            # Nothing after this page: the number of rows is known without counting.
            self.__dict__["count"] = bottom + len(rows)
            self._exact = True
            return Page(rows, wanted, self)
        if not rows:  # past the end: counted, and the last page (as Paginator.get_page)
            return super().get_page(wanted)
        estimate = planner_rows(self.object_list)
        if estimate is not None and estimate > self.cap:
            self.estimated = estimate
            self.more_than = bottom + self.per_page
            return OpenPage(rows, wanted, self)
        return Page(rows, wanted, self)  # counted by ``count`` (up to cap + 1) in get_page


class OpenPage(Page[Any]):
    """A page of a list that was not counted (``CappedPaginator.estimated``): there is a next
    page (its first row was fetched), the number of pages is not known."""

    def has_next(self) -> bool:
        return True

    def next_page_number(self) -> int:
        return int(self.number) + 1

    def end_index(self) -> int:
        return int(self.number) * self.paginator.per_page


def planner_rows(qs: Any) -> int | None:
    """PostgreSQL's estimate of the number of rows of a queryset (``EXPLAIN``: planned, not
    run; the estimates come from ANALYZE's statistics), or None on another database or for a
    list that is not a queryset."""
    if not hasattr(qs, "query") or connections[qs.db].vendor != "postgresql":
        return None
    qs = qs.select_related(None).order_by()
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        row = cursor.fetchone()
    plan = row[0] if row else None
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"]) if plan else None


@contextmanager
def custom_plans(using: str | None) -> Iterator[None]:
    """PostgreSQL plans each statement run inside for its parameters' values
    (``plan_cache_mode = force_custom_plan``), even a statement psycopg has prepared: a search's
    plan depends on how frequent its words are, which a generic plan cannot know. Elsewhere (or
    ``using`` None) nothing changes. Two round trips of a few hundred microseconds."""
    if using is None or connections[using].vendor != "postgresql":
        yield
        return
    with connections[using].cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    try:
        yield
    finally:
        try:
            with connections[using].cursor() as cursor:
                cursor.execute("RESET plan_cache_mode")
        except DatabaseError:  # an aborted transaction: its rollback undoes the SET
            pass
