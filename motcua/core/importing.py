"""One report type for every importer (issue #13 item 5): the catalogue, the announcement lists,
the unit tree and the procedure assignments count what they did in one ``ImportReport`` and name
each refused cell with a ``RowError``; every import is all-or-nothing, so a report with errors
means nothing was written, and the commands say so the same way (``refuse_on_errors``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.management.base import CommandError


@dataclass(frozen=True)
class RowError:
    """A refused cell: the file's line number (the header is line 1), its column, and why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột “{self.column}”: {self.message}"


@dataclass
class ImportReport:
    """What an import did. Each importer counts in the fields that apply to it: rows created,
    updated in place (units), new versions (procedures: history is never overwritten), unchanged,
    assigned (procedures to units), ministries set, procedures the province does not implement."""

    created: int = 0
    updated: int = 0
    new_versions: int = 0
    unchanged: int = 0
    assigned: int = 0
    ministry_set: int = 0
    not_implemented: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def line(self, names: Iterable[str]) -> str:
        """``name=value`` of the counters ``names``, as the commands print them last."""
        return " ".join(f"{name}={getattr(self, name)}" for name in names)


def refuse_on_errors(report: ImportReport, write: Callable[[str], object]) -> None:
    """Write every error, then stop the command: nothing was written (all-or-nothing)."""
    for error in report.errors:
        write(str(error))
    if not report.ok:
        raise CommandError(f"{len(report.errors)} lỗi; không có thay đổi nào được ghi.")
