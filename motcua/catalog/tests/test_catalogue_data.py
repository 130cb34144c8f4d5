"""The bundled catalogue (issue #19, items 1-3): every row tagged with its ministry, its source and
read date; names are names; inferred values say so; the validation report."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from conftest import SEED_CSV
from motcua.catalog.importer import COLUMNS, export_csv
from motcua.catalog.validation import completeness_of_rows, format_report, present
from motcua.geo.models import Province


def _rows() -> list[dict[str, str]]:
    with SEED_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_row_has_a_ministry_a_source_and_a_read_date() -> None:
    rows = _rows()
    assert list(rows[0]) == COLUMNS
    assert all(r["ministry"] and r["source"] and r["read_on"] for r in rows)
    assert len({r["ministry"] for r in rows}) == 17  # session 8: + Dân tộc và Tôn giáo, Ngoại giao
    assert len({r["code"] for r in rows}) == len(rows)


def test_rows_read_from_announcement_decisions_are_local_named_and_sourced() -> None:
    # Rows whose first source is a decision (a later one may only have filled a time limit).
    rows = [r for r in _rows() if r["source"].startswith("github.com/tnt305/tai_lieu_noi_bo")]
    assert len(rows) == 324  # 283 in session 6; session 7: 28 from one-line tables, 13 inspectorate
    assert {r["competent_level"] for r in rows} == {"province", "commune"}
    assert all("QĐ-" in r["source"] and r["read_on"] == "2025-12-19" for r in rows)
    # Fields are names, not abbreviations ("TDTT") nor headings swallowed from the page.
    assert all(any(c.islower() for c in r["field_vi"]) for r in rows)
    assert all(4 <= len(r["field_vi"]) <= 100 for r in rows)
    # The ministries the portal crawl lacked; a province's department maps to them (flagged).
    new = {r["ministry"] for r in rows} - {
        "Bộ Tài chính",
        "Bộ Xây dựng",
        "Bộ Nông nghiệp và Môi trường",
    }
    assert new == {
        "Bộ Y tế",
        "Bộ Giáo dục và Đào tạo",
        "Bộ Nội vụ",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Bộ Khoa học và Công nghệ",
        "Bộ Công Thương",
        "Thanh tra Chính phủ",  # session 7: Bắc Ninh 1520/QĐ-UBND, the province's inspectorate
    }
    by_code = {r["code"]: r for r in rows}
    assert by_code["1.000138"]["ministry"] == "Bộ Giáo dục và Đào tạo"
    assert "ministry" in by_code["1.000138"]["inferred"].split(";")
    # Session 8: where the portal's API record names the ministry, it is read, no longer inferred.
    assert by_code["1.004946"]["ministry"] == "Bộ Y tế"
    assert "ministry" not in by_code["1.004946"]["inferred"].split(";")
    assert "ministry from github.com/qtungnui07/crwatdatadvc" in by_code["1.004946"]["source"]
    # A time limit only where the table wrote one number and one unit.
    timed = [r for r in rows if r["time_limit_unit"] != "unknown"]
    assert all(r["time_limit_value"] for r in timed)


def test_names_are_names_not_decision_titles_and_pages_are_not_filed_twice() -> None:
    rows = _rows()
    titles = [r["code"] for r in rows if "quy trình nội bộ thủ tục hành chính" in r["name_vi"]]
    assert titles == []
    by_name: dict[str, list[str]] = {}
    for r in rows:
        by_name.setdefault(r["name_vi"], []).append(r["code"])
    community = by_name["Hỗ trợ phát triển sản xuất cộng đồng."]
    assert community == ["1.014023"]


def test_inferred_values_name_real_columns_and_business_registrations_are_filed_as_such() -> None:
    rows = {r["code"]: r for r in _rows()}
    assert all(c in COLUMNS for r in rows.values() for c in r["inferred"].split(";") if c)
    science_org = rows["1.014565"]
    assert science_org["field_vi"] == "Thành lập và hoạt động của doanh nghiệp"
    assert science_org["ministry"] == "Bộ Tài chính"
    assert "field_vi" in science_org["inferred"].split(";")
    birth = rows["1.001193"]
    assert "time_limit_unit" in birth["inferred"].split(";")
    # The portal's list names Bộ Xây dựng as issuer of a border pass of the police's field: the
    # ministry is the field's (and the portal section's), flagged.
    border_pass = rows["1.003133"]
    assert (border_pass["field_vi"], border_pass["ministry"]) == (
        "Quản lý xuất nhập cảnh",
        "Bộ Công an",
    )
    assert "ministry" in border_pass["inferred"].split(";")
    assert "Bộ Xây dựng in the list" in border_pass["source"]


def test_the_build_refiles_a_row_only_where_field_and_portal_section_agree() -> None:
    build = _build_module()
    section = "github.com/x/scripts/crawler/data/raw/bo-cong-an/"

    def row(code: str, ministry: str, path: str = section) -> dict[str, str]:
        return {
            "code": code,
            "field_vi": "Quản lý xuất nhập cảnh",
            "ministry": ministry,
            "source": f"{path}{code}.json",
            "inferred": "",
        }

    police = [row(f"1.0000{i:02}", "Bộ Công an") for i in range(10)]
    listed = row("1.003133", "Bộ Xây dựng")
    elsewhere = row("1.003134", "Bộ Xây dựng", "github.com/x/scripts/crawler/data/raw/bo-xay-dung/")
    assert len(build.refile_by_field([*police, listed, elsewhere])) == 12
    assert listed["ministry"] == "Bộ Công an"
    assert listed["inferred"] == "ministry"
    assert elsewhere["ministry"] == "Bộ Xây dựng"  # its portal section is the listed ministry's
    few = build.refile_by_field([*police[:9], row("1.000099", "Bộ Xây dựng")])
    assert few[-1]["ministry"] == "Bộ Xây dựng"  # 9 others: not enough to say whose field it is


def test_the_report_counts_what_is_missing_per_ministry() -> None:
    base = dict.fromkeys(COLUMNS, "")
    rows = [
        {**base, "ministry": "Bộ Y tế", "time_limit_value": "3", "time_limit_unit": "days"},
        {**base, "ministry": "Bộ Y tế", "time_limit_unit": "unknown", "online_level": "full"},
        {**base, "time_limit_unit": "same_day", "fee_text": "Miễn phí", "inferred": "fee_text"},
    ]
    stats = completeness_of_rows(rows)
    assert stats[""].total == 3
    assert stats["Bộ Y tế"].missing["time_limit"] == 1
    assert stats["Bộ Y tế"].missing["online_level"] == 1
    assert stats[""].missing["ministry"] == 1
    assert stats[""].inferred == 1
    assert present(rows[2], "time_limit")
    text = format_report(stats)
    assert "| Bộ Y tế | 2 | 0 (0.0%) | 1 (50.0%) | 1 (50.0%) |" in text


@pytest.mark.django_db
def test_export_lists_the_ministry_on_every_row_and_the_report_command_reads_the_database(
    can_tho: Province,
) -> None:
    exported = list(csv.DictReader(io.StringIO(export_csv(can_tho))))
    assert len(exported) == 3103  # session 8: + 1,100 read from the portal's API records
    assert all(r["ministry"] for r in exported)
    assert len({r["ministry"] for r in exported}) == 17
    out = io.StringIO()
    call_command("catalogue_report", "--province", str(can_tho.code), stdout=out)
    assert "| Bộ Tư pháp | 224 |" in out.getvalue()


def test_the_catalogue_app_strings_have_english_translations() -> None:
    po = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.MULTILINE)
    assert {m for m, _ in pairs} >= {"bộ, ngành", "tỉnh đang thực hiện"}
    assert all(s for _, s in pairs)
    assert "fuzzy" not in text


def _build_module() -> Any:
    path = SEED_CSV.parent / "build_catalogue.py"
    spec = importlib.util.spec_from_file_location("build_catalogue", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_script_reads_time_limits_as_the_portal_writes_them() -> None:
    build = _build_module()
    assert build._time("7 Ngày làm việc") == ("7", "working_days", False)
    assert build._time("01 Giờ") == ("1", "working_hours", True)
    assert build._time("Không quy định") == ("", "unknown", False)
    assert build.stated_code("Tên thủ tụcX Mã thủ tục1.014023Số quyết định") == "1.014023"
    fee_as_time = {"time_limit_value": "120", "source": "s", "inferred": ""}
    build._complete_time(fee_as_time, {"cach_thuc_thuc_hien": "Trực tuyến120 VNĐ(20.000 vnđ)"})
    assert fee_as_time["time_limit_value"] == ""
    assert fee_as_time["inferred"] == "time_limit_value"
    hours = {"time_limit_value": "1", "source": "s", "inferred": "", "time_limit_unit": "unknown"}
    build._complete_time(hours, {"cach_thuc_thuc_hien": "Trực tuyến1 GiờMiễn phí"})
    assert hours["time_limit_unit"] == "working_hours"
    assert hours["inferred"] == "time_limit_unit"


def test_time_limits_from_annexes_time_cells_are_flagged_and_quoted() -> None:
    """Session 11 (decision 0035): rows filled from another decision's "Thời hạn giải quyết"
    cell say which decision and quote the cell, flagged as inferred."""
    by_code = {r["code"]: r for r in _rows()}
    for code in ("1.011818", "1.011819", "1.011820"):
        row = by_code[code]
        assert (row["time_limit_value"], row["time_limit_unit"]) == ("5", "working_days")
        assert "3565/QĐ-UBND of Thành phố Huế" in row["source"]
        assert {"time_limit_value", "time_limit_unit"} <= set(row["inferred"].split(";"))
    for code in ("2.000992", "2.001008"):  # same day, 15:00 rule (R-TIME-05)
        row = by_code[code]
        assert (row["time_limit_unit"], row["same_day_cutoff_1500"]) == ("same_day", "yes")
        assert "2770/QĐ-UBND of Tỉnh Đồng Nai" in row["source"]
        assert "same_day_cutoff_1500" in row["inferred"].split(";")
