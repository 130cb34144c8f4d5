"""The portal's API records (issue #19, session 8): a record becomes a catalogue row with what it
says and nothing more; a row another source holds is only completed; the bundled rows read from
github.com/qtungnui07/crwatdatadvc are local, sourced and dated.

The records below are excerpts of the crawl's ``raw_procedure.json`` files, values as read
(1.004941 ``procedures/co-con-nho/1.004941``, 1.000025 ``procedures/viec-lam/1.000025``); the
two last are shortened to the keys that make them left out."""

from __future__ import annotations

import copy
import csv
import io
from typing import Any

import pytest

from conftest import SEED_CSV
from motcua.catalog.importer import export_csv, import_procedures
from motcua.catalog.portal_api import READ_ON, fill_gaps, read_record, time_limit
from motcua.geo.models import Province

CHILD_CARE: dict[str, Any] = {
    "id": "019d2bff-061f-74ea-9f1a-7afff1ba691a",
    "code": "1.004941",
    "name": (
        "Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình "
        "nhận chăm sóc thay thế không phải là người thân thích của trẻ em"
    ),
    "isWard": True,
    "isProvince": False,
    "isMinistry": False,
    "departmentPromulgateName": "Bộ Y tế",
    "category": None,
    "categoriesDetails": [{"name": "Trẻ em", "code": "G18-YT10"}],
    "executionMethods": [
        {
            "submissionMethod": "POSTAL",
            "processingTime": 15,
            "processingTimeUnit": "WORKING_DAY",
            "fees": [],
        },
        {
            "submissionMethod": "DIRECT",
            "processingTime": 15,
            "processingTimeUnit": "WORKING_DAY",
            "fees": [],
        },
    ],
    "cases": [{"code": "1.004941.01", "processingDay": {"qty": 15, "type": "WORKING_DAY"}}],
    "executionCases": [
        {
            "name": "",
            "profileComponents": [
                {"name": "Đơn đăng ký nhận chăm sóc thay thế"},
                {"name": "Giấy khám sức khỏe trong thời gian 06 tháng tính đến ngày nộp hồ sơ"},
            ],
        }
    ],
    "legalBasisesDetails": [
        {"code": "42/2025/NĐ-CP"},
        {"code": "147/2025/NĐ-CP"},
        {"code": "56/2017/NĐ-CP"},
        {"code": "102/2016/QH13"},
    ],
    "procedureProposal": {"proposalNumber": "2082/QĐ-BYT"},
}
# The in-person channel says "1 OTHER"; the record's one case says 55 working days.
FORESTRY: dict[str, Any] = {
    "id": "x",
    "code": "1.000025",
    "name": "Phê duyệt Đề án sắp xếp, đổi mới công ty nông, lâm nghiệp",
    "isWard": False,
    "isProvince": True,
    "departmentPromulgateName": "Bộ Nông nghiệp và Môi trường",
    "category": {"name": "Sắp xếp, đổi mới doanh nghiệp nông, lâm nghiệp"},
    "executionMethods": [
        {"submissionMethod": "DIRECT", "processingTime": 1, "processingTimeUnit": "OTHER"}
    ],
    "cases": [{"processingDay": {"qty": 55, "type": "WORKING_DAY"}}],
}
CENTRAL = {**FORESTRY, "isProvince": False, "isMinistry": True}
PROVINCE_OWN = {**FORESTRY, "departmentPromulgateName": "UBND tỉnh Bắc Ninh"}
PATH = "procedures/co-con-nho/1.004941/raw_procedure.json"


def test_a_record_becomes_a_row_with_what_it_says() -> None:
    row, why = read_record(copy.deepcopy(CHILD_CARE), PATH)
    assert why == ""
    assert row is not None
    assert (row["code"], row["field_vi"], row["competent_level"]) == (
        "1.004941",
        "Trẻ em",  # the record has no "category", only "categoriesDetails"
        "commune",
    )
    assert (row["time_limit_value"], row["time_limit_unit"]) == ("15", "working_days")
    assert row["ministry"] == "Bộ Y tế"
    assert row["documents_vi"].split(" | ")[0] == "Đơn đăng ký nhận chăm sóc thay thế"
    assert row["legal_basis"] == "42/2025/NĐ-CP; 147/2025/NĐ-CP; 56/2017/NĐ-CP; 102/2016/QH13"
    # Nothing the record does not give: no fee, no online level, nothing flagged.
    assert (row["fee_text"], row["online_level"], row["inferred"]) == ("", "unknown", "")
    assert row["read_on"] == READ_ON
    assert "qtungnui07/crwatdatadvc/" + PATH in row["source"]
    assert "019d2bff-061f-74ea-9f1a-7afff1ba691a" in row["source"]
    assert "2082/QĐ-BYT" in row["source"]


def test_the_time_limit_comes_from_the_in_person_channel_else_the_cases() -> None:
    assert time_limit(FORESTRY)[:3] == ("55", "working_days", False)
    hours = copy.deepcopy(FORESTRY)
    hours["executionMethods"][0].update(processingTime=4, processingTimeUnit="HOUR")
    assert time_limit(hours)[:3] == ("4", "working_hours", True)  # R-TIME-01, flagged
    months = copy.deepcopy(FORESTRY)
    months["executionMethods"][0].update(processingTime=6, processingTimeUnit="MONTH")
    months["cases"] = []
    value, unit, _inferred, how = time_limit(months)
    assert (value, unit) == ("", "unknown")
    assert "6 MONTH" in how
    two_cases = copy.deepcopy(FORESTRY)
    two_cases["cases"].append({"processingDay": {"qty": 30, "type": "WORKING_DAY"}})
    assert time_limit(two_cases)[:2] == ("", "unknown")  # the cases disagree: none is chosen


def test_central_and_province_specific_records_are_left_out() -> None:
    assert read_record(CENTRAL, PATH) == (None, "central level only")
    assert read_record(PROVINCE_OWN, PATH) == (None, "not issued by a ministry-level body")


def test_a_row_held_elsewhere_is_completed_never_overwritten() -> None:
    row, _ = read_record(copy.deepcopy(CHILD_CARE), PATH)
    assert row is not None
    held = {
        **row,
        "time_limit_value": "",
        "time_limit_unit": "unknown",
        "documents_vi": "Tờ khai (as the other source wrote it)",
        "legal_basis": "",
        "ministry": "Bộ Nội vụ",
        "inferred": "ministry",
        "source": "decision list",
    }
    filled = fill_gaps(held, CHILD_CARE, PATH)
    assert filled == ["time_limit", "legal_basis", "ministry"]
    assert (held["time_limit_value"], held["time_limit_unit"]) == ("15", "working_days")
    assert held["documents_vi"] == "Tờ khai (as the other source wrote it)"
    assert (held["ministry"], held["inferred"]) == ("Bộ Y tế", "")
    assert held["source"].startswith("decision list; time_limit, legal_basis, ministry from ")
    # A time limit that was inferred gives way to the one the record states.
    guessed = {**held, "time_limit_value": "10", "inferred": "time_limit_value;time_limit_unit"}
    assert fill_gaps(guessed, CHILD_CARE, PATH) == ["time_limit"]
    assert (guessed["time_limit_value"], guessed["inferred"]) == ("15", "")
    # A second pass changes nothing.
    assert fill_gaps(guessed, CHILD_CARE, PATH) == []


def _bundled() -> list[dict[str, str]]:
    with SEED_CSV.open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["read_on"] == READ_ON]


def test_the_bundled_rows_read_from_the_records_are_local_sourced_and_dated() -> None:
    rows = _bundled()
    assert len(rows) == 1100
    assert {r["competent_level"] for r in rows} == {"province", "commune"}
    assert all("qtungnui07/crwatdatadvc/procedures/" in r["source"] for r in rows)
    assert all(not r["ministry"].startswith("UBND") for r in rows)
    assert {"Bộ Dân tộc và Tôn giáo", "Bộ Ngoại giao"} <= {r["ministry"] for r in rows}
    # The online level is read only from a name that says it (none of these does).
    assert {r["online_level"] for r in rows} == {"unknown"}
    timed = [r for r in rows if r["time_limit_unit"] != "unknown"]
    assert all(r["time_limit_value"] for r in timed)
    assert len(timed) >= 1050


@pytest.mark.django_db
def test_a_record_row_imports_and_exports_unchanged(can_tho: Province) -> None:
    row, _ = read_record(copy.deepcopy(CHILD_CARE), PATH)
    assert row is not None
    exported = list(csv.DictReader(io.StringIO(export_csv(can_tho))))
    by_code = {r["code"]: r for r in exported}
    for column in ("name_vi", "field_vi", "time_limit_value", "time_limit_unit", "ministry"):
        assert by_code["1.004941"][column] == row[column]
    report = import_procedures([by_code["1.004941"]], province=can_tho)
    assert (report.errors, report.unchanged) == ([], 1)
