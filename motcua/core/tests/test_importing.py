"""One report type for every importer (issue #13 item 5)."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from motcua.core.importing import ImportReport, RowError, refuse_on_errors


def test_a_report_with_errors_stops_the_command_after_naming_every_cell() -> None:
    report = ImportReport(created=2)
    report.errors += [RowError(3, "code", "sai"), RowError(5, "name_vi", "trống")]
    written: list[str] = []
    with pytest.raises(CommandError, match="2 lỗi; không có thay đổi nào được ghi"):
        refuse_on_errors(report, written.append)
    assert written == ["Dòng 3, cột “code”: sai", "Dòng 5, cột “name_vi”: trống"]


def test_a_clean_report_prints_the_counters_asked_for() -> None:
    report = ImportReport(created=1, unchanged=4, assigned=7)
    refuse_on_errors(report, pytest.fail)
    assert report.ok
    assert report.line(["created", "unchanged", "assigned"]) == "created=1 unchanged=4 assigned=7"
