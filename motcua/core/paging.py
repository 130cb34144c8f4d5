"""A paginator that stops counting (issue #12 part 9, desk search at scale).

Django's ``Paginator`` counts every matching row (``SELECT COUNT(*)``) to show "n dossiers" and
the number of pages. On a province's history a broad list — the province-wide "all" queue, a
common name such as "Thị Hoa" (~14,000 of 1 M dossiers) — costs as much to count as to scan,
for a figure nobody pages through. This one counts at most ``cap + 1`` rows, without ordering
(so the database stops at the cap), and says when there are more.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Rows counted at most; beyond it the page says "more than CAP" and asks to narrow the search.
CAP = 1000


class CappedPaginator(Paginator[Any]):
    def __init__(
        self, object_list: Any, per_page: int, cap: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap

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
        return self.count > self.cap
