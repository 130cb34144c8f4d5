"""A province's announcement list (issue #19, item 4): new versions, never overwritten history,
procedures the province does not implement."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from motcua.catalog.announcement import (
    AMENDED,
    NEW,
    apply_announcement,
    is_announcement,
    parse,
    read_table,
)
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.geo.models import Province

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "qd-2831-2025-hai-phong.csv"
DECISION = "2831/QĐ-UBND"
ON = date(2025, 7, 10)
CODES = ["1.014034", "1.014035", "1.001612", "2.000720", "1.001570", "1.001266", "2.000575"]


def test_the_published_annex_is_read_with_its_sections_and_statuses() -> None:
    table = read_table(FIXTURE)
    assert is_announcement(table)
    rows, errors = parse(table)
    assert errors == []
    assert [r.code for r in rows] == CODES
    assert [r.status for r in rows] == [NEW, NEW] + [AMENDED] * 5
    assert {r.level for r in rows} == {"commune"}
    assert rows[2].time_text == "03 ngày làm việc"
    assert rows[0].line == 5  # as the spreadsheet numbers it


def test_applying_the_annex_opens_new_versions_and_keeps_the_old(can_tho: Province) -> None:
    """GIVEN household-business procedures in force WHEN the province announces them THEN each
    gets a new version carrying the decision; the old one ends when the new one starts and stays
    (R-VER-01, R-VER-02, R-CAT-02)."""
    before = {c: Procedure.objects.get(province=can_tho, code_national=c).current for c in CODES}
    report = apply_announcement(
        read_table(FIXTURE),
        province=can_tho,
        decision=DECISION,
        effective_from=ON,
        published_on=ON,
        source=FIXTURE.name,
    )
    assert report.ok, report.errors
    assert (report.created, report.new_versions, report.unchanged) == (0, 7, 0)
    stopped = Procedure.objects.get(province=can_tho, code_national="1.014035")
    current = stopped.current
    old = before["1.014035"]
    assert current is not None
    assert old is not None
    assert current.version == old.version + 1
    assert current.time_limit_value == 3
    assert current.time_limit_unit == "working_days"
    assert current.publication_decision == DECISION
    assert current.published_on == ON
    assert current.field.name == "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)"
    assert current.fee_text == "Không quy định"
    assert DECISION in current.source
    assert "dòng 6" in current.source
    # What the list does not give is carried over from the version in force.
    assert current.components.count() == old.components.count()
    old.refresh_from_db()
    assert old.effective_to == ON
    assert (old.time_limit_value, old.time_limit_unit) == (
        Decimal(3),
        "working_days",
    )  # portal record
    # Two time limits in one cell are not split: the previous value stays, the source says so.
    both = Procedure.objects.get(province=can_tho, code_national="1.014034").current
    assert both is not None
    assert (both.time_limit_value, both.time_limit_unit) == (
        Decimal(3),
        "working_days",
    )  # the previous
    assert "không tách được" in both.source


def test_the_same_annex_again_changes_nothing(can_tho: Province) -> None:
    table = read_table(FIXTURE)
    apply_announcement(table, province=can_tho, decision=DECISION, effective_from=ON)
    count = ProcedureVersion.objects.count()
    report = apply_announcement(table, province=can_tho, decision=DECISION, effective_from=ON)
    assert (report.new_versions, report.unchanged) == (0, 7)
    assert ProcedureVersion.objects.count() == count


def test_an_xlsx_annex_reads_like_the_csv(can_tho: Province, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in read_table(FIXTURE):
        sheet.append(row)
    path = tmp_path / "qd-2831.xlsx"
    book.save(path)
    assert parse(read_table(path)) == parse(read_table(FIXTURE))


def _repeal_table(code: str) -> list[list[str]]:
    return [
        ["STT", "Mã số TTHC", "Tên thủ tục hành chính", "Căn cứ pháp lý"],
        ["C. DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ", "", "", ""],
        ["I. Lĩnh vực Hộ tịch", "", "", ""],
        ["1", code, "Thủ tục thử", "Nghị định thử"],
    ]


def test_a_repealed_procedure_is_marked_not_implemented_and_keeps_its_versions(
    can_tho: Province,
) -> None:
    procedure = Procedure.objects.get(province=can_tho, code_national="1.001193")
    versions = list(procedure.versions.values_list("pk", "effective_to"))
    report = apply_announcement(
        _repeal_table("1.001193"), province=can_tho, decision="9/QĐ-UBND", effective_from=ON
    )
    assert report.ok
    assert report.not_implemented == 1
    procedure.refresh_from_db()
    assert not procedure.implemented
    assert procedure.not_implemented_from == ON
    assert procedure.not_implemented_basis == "9/QĐ-UBND: bãi bỏ"
    assert list(procedure.versions.values_list("pk", "effective_to")) == versions


def test_a_bad_annex_changes_nothing_and_says_where(can_tho: Province) -> None:
    table = _repeal_table("9.999999")
    table.append(["2", "1.00119", "Sai mã", ""])
    report = apply_announcement(table, province=can_tho, decision="9/QĐ-UBND", effective_from=ON)
    assert {(e.row, e.column) for e in report.errors} == {(4, "Mã TTHC"), (5, "Mã TTHC")}
    assert Procedure.objects.filter(province=can_tho, implemented=False).count() == 0
    missing = apply_announcement(table[:1], province=can_tho, decision="", effective_from=ON)
    assert [e.column for e in missing.errors] == ["decision"]


def test_the_import_command_takes_a_province_annex(can_tho: Province) -> None:
    out = io.StringIO()
    call_command(
        "import_catalogue",
        str(FIXTURE),
        "--province",
        str(can_tho.code),
        "--decision",
        DECISION,
        "--effective-from",
        ON.isoformat(),
        stdout=out,
    )
    assert "new_versions=7" in out.getvalue()


def test_a_complete_list_marks_every_procedure_it_does_not_name(can_tho: Province) -> None:
    """GIVEN the province's whole list WHEN imported as complete THEN the procedures it does not
    name are marked not implemented, their versions kept; those it names stay implemented."""
    versions = ProcedureVersion.objects.count()
    total = Procedure.objects.filter(province=can_tho).count()
    report = apply_announcement(
        read_table(FIXTURE),
        province=can_tho,
        decision=DECISION,
        effective_from=ON,
        complete=True,
    )
    assert report.ok
    assert report.not_implemented == total - len(CODES)
    implemented = Procedure.objects.filter(province=can_tho, implemented=True)
    assert sorted(implemented.values_list("code_national", flat=True)) == sorted(CODES)
    birth = Procedure.objects.get(province=can_tho, code_national="1.001193")
    assert birth.not_implemented_basis == f"{DECISION}: không có trong danh mục của tỉnh"
    assert ProcedureVersion.objects.count() == versions + len(CODES)
