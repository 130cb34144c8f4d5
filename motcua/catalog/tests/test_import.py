"""Catalogue import/export (issue #4, item 2): every real procedure, versioned, all-or-nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import SEED_CSV
from motcua.catalog.importer import COLUMNS, export_csv, export_xlsx, import_procedures, read_rows
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.geo.models import Province

pytestmark = pytest.mark.django_db


def _seed_rows() -> list[dict[str, str]]:
    return read_rows(SEED_CSV)


def test_the_catalogue_holds_every_procedure_of_the_seed(can_tho: Province) -> None:
    codes = {row["code"] for row in _seed_rows()}
    assert len(codes) == 3103
    stored = set(Procedure.objects.filter(province=can_tho).values_list("code_national", flat=True))
    assert stored == codes
    assert not Procedure.objects.filter(province=can_tho, current__isnull=True).exists()


def test_birth_registration_is_same_day_with_the_1500_rule(can_tho: Province) -> None:
    """GIVEN the seed WHEN 1.001193 is read THEN it is same-day with the 15:00 rule and free
    when on time (R-TIME-05, R-TIME-10, DOMAIN §14 row 1)."""
    version = Procedure.objects.get(province=can_tho, code_national="1.001193").current
    assert version is not None
    assert version.time_limit_unit == "same_day"
    assert version.cutoff_1500
    assert version.fee_rules[0]["kind"] == "free"
    assert version.competent_level == "commune"
    assert version.implementing_units.count() == 103


def test_reimporting_the_same_file_changes_nothing(can_tho: Province) -> None:
    before = ProcedureVersion.objects.count()
    report = import_procedures(_seed_rows(), province=can_tho)
    assert report.ok
    assert (report.created, report.new_versions, report.unchanged) == (0, 0, 3103)
    assert ProcedureVersion.objects.count() == before


def test_a_changed_row_opens_a_new_version_and_closes_the_old(can_tho: Province) -> None:
    """GIVEN a procedure in force WHEN its time limit changes THEN a new version starts and the
    old one ends, so dossiers filed under it keep it (R-VER-01, R-VER-02)."""
    rows = [r for r in _seed_rows() if r["code"] == "2.001035"]
    old = Procedure.objects.get(province=can_tho, code_national="2.001035").current
    assert old is not None
    rows[0]["time_limit_value"] = "3"
    report = import_procedures(rows, province=can_tho, effective_from=date(2026, 12, 1))
    assert (report.created, report.new_versions) == (0, 1)
    procedure = Procedure.objects.get(province=can_tho, code_national="2.001035")
    assert procedure.current is not None
    assert procedure.current.version == old.version + 1
    assert procedure.current.time_limit_value == 3
    old.refresh_from_db()
    assert old.effective_to == date(2026, 12, 1)
    assert old.time_limit_value != 3


def _csv(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return list(csv.DictReader(io.StringIO(text.getvalue())))


def test_a_bad_file_is_reported_by_row_and_column_and_nothing_is_written(can_tho: Province) -> None:
    good = dict.fromkeys(COLUMNS, "")
    good.update(
        code="9.999001",
        name_vi="Thủ tục thử",
        field_vi="Hộ tịch",
        competent_level="commune",
        time_limit_value="3",
        time_limit_unit="working_days",
    )
    bad_code = {**good, "code": "1.00119"}
    bad_level = {**good, "code": "9.999002", "competent_level": "huyen"}
    bad_time = {**good, "code": "9.999003", "time_limit_value": "2,3"}
    bad_unit = {**good, "code": "9.999004", "time_limit_unit": "weeks"}
    no_name = {**good, "code": "9.999005", "name_vi": ""}
    duplicate = {**good}
    before = ProcedureVersion.objects.count()
    report = import_procedures(
        _csv([good, bad_code, bad_level, bad_time, bad_unit, no_name, duplicate]),
        province=can_tho,
    )
    assert not report.ok
    where = {(e.row, e.column) for e in report.errors}
    assert where == {
        (3, "code"),
        (4, "competent_level"),
        (5, "time_limit_value"),
        (6, "time_limit_unit"),
        (7, "name_vi"),
        (8, "code"),
    }
    assert all(str(e).startswith(f"Dòng {e.row}, cột “{e.column}”") for e in report.errors)
    assert ProcedureVersion.objects.count() == before
    assert not Procedure.objects.filter(code_national="9.999001").exists()


def test_export_then_import_round_trips_without_new_versions(
    can_tho: Province, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(export_csv(can_tho), encoding="utf-8")
    rows = read_rows(path)
    assert len(rows) == 3103
    assert list(rows[0]) == COLUMNS
    report = import_procedures(rows, province=can_tho)
    assert (report.created, report.new_versions, report.unchanged) == (0, 0, 3103)


def test_xlsx_import_and_export_work_like_csv(can_tho: Province, tmp_path: Path) -> None:
    out = tmp_path / "catalogue.xlsx"
    export_xlsx(can_tho, out)
    rows = read_rows(out)
    assert len(rows) == 3103
    report = import_procedures(rows, province=can_tho)
    assert report.unchanged == 3103
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(COLUMNS)
    sheet.append(["1.001193x", "", "Hộ tịch", "commune", "", "same_day"])
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    report = import_procedures(read_rows(bad), province=can_tho)
    assert {(e.row, e.column) for e in report.errors} == {(2, "code"), (2, "name_vi")}


def test_curated_checklists_replace_the_published_wording_for_daily_procedures(
    can_tho: Province,
) -> None:
    """GIVEN birth registration WHEN the checklist is read THEN it is the documents of Civil
    Status Law Art. 16(1), the published items kept as notes (decision 0004, R-REUSE-03)."""
    version = Procedure.objects.get(province=can_tho, code_national="1.001193").current
    assert version is not None
    checklist = list(version.components.filter(is_note=False).order_by("order"))
    assert [c.name.split(" (")[0].split(" —")[0] for c in checklist] == [
        "Tờ khai đăng ký khai sinh theo mẫu",
        "Giấy chứng sinh",
        "Giấy tờ tùy thân của người đi đăng ký",
        "Văn bản ủy quyền",
    ]
    assert checklist[2].replaceable_by == "population"
    assert checklist[3].conditional
    assert all(c.curated and c.legal_basis for c in checklist)
    assert version.components.filter(is_note=True, curated=False).count() > 10


def test_reimporting_keeps_the_curated_items_and_their_ids(can_tho: Province) -> None:
    version = Procedure.objects.get(province=can_tho, code_national="1.001193").current
    assert version is not None
    before = set(version.components.filter(curated=True).values_list("pk", flat=True))
    import_procedures(_seed_rows(), province=can_tho)
    assert set(version.components.filter(curated=True).values_list("pk", flat=True)) == before


@pytest.mark.django_db
def test_assignments_name_each_refused_cell_and_write_nothing(can_tho: Province) -> None:
    """The assignments import reports like every importer: one RowError per refused cell (line,
    column), and nothing is written when any is refused (issue #13 item 5)."""
    from motcua.catalog.assignments import import_assignments
    from motcua.core.importing import RowError

    before = list(ProcedureVersion.objects.filter(boundary_free=True).values_list("pk", flat=True))
    text = (
        "code,unit_eid_codes,boundary_free,boundary_free_basis,online_level\n"
        "9.999999,,no,,\n"
        "1.001193,,maybe,,\n"
    )
    report = import_assignments(text, province=can_tho)
    assert not report.ok
    assert all(isinstance(e, RowError) for e in report.errors)
    assert {(e.row, e.column) for e in report.errors} == {(2, "code"), (3, "boundary_free")}
    after = list(ProcedureVersion.objects.filter(boundary_free=True).values_list("pk", flat=True))
    assert after == before
