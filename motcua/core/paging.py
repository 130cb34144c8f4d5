"""A paginator that counts only what it must (issue #12 part 9, desk search at scale; decisions
0022, 0029, 0032).

Django's ``Paginator`` counts every matching row (``SELECT COUNT(*)``) before it fetches a page,
to show "n dossiers" and the number of pages. On a province's history the count is the cost of
a broad list, not the page: the page walks the list's order index and stops after 25 rows, the
count reads every match (or the index postings of every frequent word). This one:

1. on PostgreSQL, asks the planner how many rows it expects (``EXPLAIN``, from the table's
   statistics: no row is read). Above ``cap`` it does not count: it fetches the page with one
   row more; if that row is there, the page says "more than <rows up to this page>", which is
   exact, and "about <estimate>", marked as an estimate (``estimated``), and asks to narrow the
   search; if not, the page shows the end and the count is exact;
2. otherwise (and on SQLite) counts and pages with one pass over the matches: the keys of at
   most ``cap + 1`` matches, unordered (so the database stops at the cap); at most ``cap``:
   that is the exact count, and the page is read by key in the list's order. ``cap + 1``: the
   page says "more than ``cap``" (``capped``) and is fetched on its own.

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
        estimate = planner_rows(self.object_list)
        if estimate is not None and estimate > self.cap:
            return self._uncounted_page(wanted, bottom, estimate)
        rows, total = self._counted_rows(bottom)
        if total is None:  # nothing at this offset
            if wanted == 1:
                return self._exact_page([], 1, 0)
            return super().get_page(wanted)
        if total <= self.cap:  # every match was in the counted set: its page is the page
            return self._exact_page(rows[: self.per_page], wanted, total)
        self.__dict__["count"] = total  # cap + 1: "more than cap"
        return Page(list(self.object_list[bottom : bottom + self.per_page]), wanted, self)

    def _uncounted_page(self, wanted: int, bottom: int, estimate: int) -> Page[Any]:
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) > self.per_page:  # more after this page: not counted
            self.estimated = estimate
            self.more_than = bottom + self.per_page
            return OpenPage(rows[: self.per_page], wanted, self)
        if rows or wanted == 1:  # the page shows the end: the count is known
            return self._exact_page(rows, wanted, bottom + len(rows))
        return super().get_page(wanted)  # past the end: counted, the last page

    def _exact_page(self, rows: list[Any], number: int, count: int) -> Page[Any]:
        self.__dict__["count"] = count
        self._exact = True
        return Page(rows, number, self)

    def _counted_rows(self, bottom: int) -> tuple[list[Any], int | None]:
        """The page's rows and the number of rows up to ``cap + 1``, with one pass over the
        matches: the keys of at most ``cap + 1`` of them (unordered, so the database stops
        there); when there are at most ``cap``, every match is among them, so the page is read
        by key in the list's order (≤ ``cap`` primary-key lookups). At ``cap + 1`` the caller
        fetches the page itself. None for the count when the page is empty.

        The keys are fetched, not nested as a subquery: the name search's SQL names the
        dossier table (``dossiers.selectors._name_words``), which inside a subquery would
        refer to the outer query's row."""
        qs: Any = self.object_list
        if not hasattr(qs, "query"):  # a plain list
            rows = list(qs[bottom : bottom + self.per_page])
            return rows, (min(len(qs), self.cap + 1) if rows else None)
        keys = list(qs.select_related(None).order_by().values_list("pk", flat=True)[: self.cap + 1])
        if len(keys) > self.cap:
            return [], len(keys)
        if bottom >= len(keys):
            return [], None
        framed = qs.model._default_manager.using(qs.db).filter(pk__in=keys)
        framed.query.select_related = qs.query.select_related
        framed = framed.prefetch_related(*qs._prefetch_related_lookups)
        framed = framed.order_by(*qs.query.order_by)
        return list(framed[bottom : bottom + self.per_page]), len(keys)


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
