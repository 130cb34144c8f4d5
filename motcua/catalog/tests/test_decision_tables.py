"""Procedure lists read from text copies of announcement decisions (issue #19, item 1): what the
annex table says is read, the rest stays unknown or is flagged as inferred; the fixtures are
excerpts of two real decisions of November 2025 (see fixtures/README.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from motcua.catalog.decision_tables import (
    Decision,
    Reading,
    fill_from_process_totals,
    fill_from_time_cells,
    merge,
    ministry_of,
    process_totals,
    read_decision,
    table_rows,
    time_cell,
)

FIXTURES = Path(__file__).parent / "fixtures"
CAO_BANG = "tnt305/tai_lieu_noi_bo/src/etl/dataset/8bb6ac57ee7b4c5d.md"


def _read(name: str) -> Reading:
    reading = read_decision((FIXTURES / name).read_text(encoding="utf-8"), "SRC", "2025-12-19")
    assert reading is not None
    return reading


def test_a_province_decision_gives_codes_names_levels_and_fields_and_its_departments_ministry() -> (
    None
):
    reading = _read("qd-2022-2025-cao-bang.md")
    assert reading.decision.number == "2022/QĐ-UBND"
    assert reading.decision.issuer == "Tỉnh Cao Bằng"
    assert reading.decision.issued_on == "2025-11-27"
    assert list(reading.rows) == ["1.001806", "1.012990", "1.013814", "1.004946", "1.004944"]
    first = reading.rows["1.001806"]
    assert first["name_vi"] == (
        "Quyết định công nhận cơ sở sản xuất, kinh danh sử dụng từ 30% tổng số lao động trở lên "
        "là người khuyết tật"
    )  # a procedure name may start with "Quyết định"; the typo is the decision's own
    assert (first["field_vi"], first["competent_level"]) == ("Bảo trợ xã hội", "province")
    # Listed at province and commune level: filed under the lowest, as the seed does.
    children = reading.rows["1.004946"]
    assert (children["field_vi"], children["competent_level"]) == ("Trẻ em", "commune")
    # The title names the Department of Health: the ministry is inferred, and flagged.
    assert {r["ministry"] for r in reading.rows.values()} == {"Bộ Y tế"}
    assert all(r["inferred"].startswith("ministry") for r in reading.rows.values())
    # The list gives no time limit, fee or documents: nothing is invented. The internal process
    # the decision approves for 1.001806 totals 10 working days: taken, flagged as inferred.
    assert (first["time_limit_value"], first["time_limit_unit"]) == ("10", "working_days")
    assert first["inferred"] == "ministry;time_limit_value;time_limit_unit"
    assert "total of the internal process" in first["source"]
    others = [r for c, r in reading.rows.items() if c != "1.001806"]
    assert {r["time_limit_unit"] for r in others} == {"unknown"}
    assert all(
        not r["time_limit_value"] and not r["fee_text"]
        for r in reading.rows.values()
        if r in others
    )
    assert all(r["read_on"] == "2025-12-19" for r in reading.rows.values())
    assert "2022/QĐ-UBND of Tỉnh Cao Bằng, 2025-11-27" in first["source"]


def test_a_ministrys_list_names_its_ministry_and_a_lost_cell_does_not_shift_the_field() -> None:
    reading = _read("qd-4508-2025-bvhttdl.md")
    assert ministry_of(reading.decision) == ("Bộ Văn hóa, Thể thao và Du lịch", False)
    # Central-level rows are not in the excerpt's provincial section; the provincial ones are.
    assert list(reading.rows) == ["1.003560", "1.014464", "1.002445"]
    assert all(r["inferred"] == "" for r in reading.rows.values())
    assert {r["competent_level"] for r in reading.rows.values()} == {"province"}
    assert reading.rows["1.003560"]["field_vi"] == "Mua bán hàng hóa chuyên ngành văn hóa"
    assert reading.rows["1.003560"]["legal_basis"] == "66.7/2025/NQ-CP"
    # Row 14 lost its field cell: "UBND cấp tỉnh" (the agency) is not taken as its field, and its
    # basis is not read from a shifted column; the section's field is.
    cfs = reading.rows["1.014464"]
    assert cfs["field_vi"] == "Mua bán hàng hóa quốc tế chuyên ngành văn hóa"
    assert cfs["legal_basis"] == ""
    # "TDTT" is an abbreviation: the section's full name is read instead.
    assert reading.rows["1.002445"]["field_vi"] == "Thể dục thể thao"


def test_cells_rows_and_what_is_left_out() -> None:
    text = (
        "Tiêu đề\n|\n**TT**\n|\n**Mã TTHC**\n|\n**Tên TTHC**\n|\n|\n"
        "1\n|\n1.000001\n|\nTên\nthủ tục\n|\n"
    )
    assert table_rows(text) == [
        ["Tiêu đề", "TT", "Mã TTHC", "Tên TTHC"],
        ["1", "1.000001", "Tên thủ tục"],
    ]
    province = Decision("1/QĐ-UBND", "Tỉnh A", "2025-11-01", "CÔNG BỐ ... CỦA SỞ NỘI VỤ")
    assert ministry_of(province) == ("Bộ Nội vụ", True)
    two = Decision("2/QĐ-UBND", "Tỉnh A", "2025-11-01", "CỦA SỞ Y TẾ VÀ SỞ NỘI VỤ")
    assert ministry_of(two) == ("", True)  # several departments: no ministry is guessed
    assert ministry_of(Decision("3", "Tỉnh A", "", "CỦA CƠ SỞ Y TẾ")) == ("", True)


def test_merge_keeps_the_first_decisions_values_and_drops_known_and_repealed_codes() -> None:
    def reading(
        number: str, day: str, rows: dict[str, dict[str, str]], repealed: set[str]
    ) -> Reading:
        return Reading(Decision(number, "Tỉnh A", day, ""), rows, Counter(), repealed)

    def row(code: str, value: str, source: str) -> dict[str, str]:
        unit = "working_days" if value else "unknown"
        return {
            "code": code,
            "name_vi": f"Tên {source}",
            "time_limit_value": value,
            "time_limit_unit": unit,
            "fee_text": "",
            "legal_basis": "",
            "source": source,
        }

    later = reading("9/QĐ-UBND", "2025-11-20", {"1.000002": row("1.000002", "5", "B")}, set())
    first = reading(
        "8/QĐ-UBND",
        "2025-11-10",
        {"1.000002": row("1.000002", "", "A"), "1.000003": row("1.000003", "", "A")},
        {"1.000004"},
    )
    dropped = reading("7/QĐ-UBND", "2025-11-01", {"1.000004": row("1.000004", "", "C")}, set())
    merged = merge([later, first, dropped], known={"1.000003"})
    assert list(merged) == ["1.000002"]
    assert merged["1.000002"]["name_vi"] == "Tên A"
    assert merged["1.000002"]["time_limit_value"] == "5"
    assert merged["1.000002"]["source"] == "A; time limit from B"


def test_one_line_tables_localized_codes_and_reception_points() -> None:
    """Session 7: some copies write a table one row per line (``| 1 | 1.014383.H13 | ... |``)
    and give a province's localized code; the national part is the code. A column heading that
    names a reception point ("Trung tâm Phục vụ hành chính công cấp xã") is no level, and a level
    section starts over from the field the title names."""
    text = (
        "**Số hiệu:** | 2608/QĐ-UBND |\n**Nơi ban hành:** | Thành phố Cần Thơ |\n"
        "**Ngày ban hành:** | 24/11/2025 |\n\n**QUYẾT ĐỊNH**\n\nVỀ VIỆC CÔNG BỐ DANH MỤC THỦ "
        "TỤC HÀNH CHÍNH LĨNH VỰC KHOA HỌC VÀ CÔNG NGHỆ THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ KHOA "
        "HỌC VÀ CÔNG NGHỆ\n\n**CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ**\n\n"
        "**THỦ TỤC HÀNH CHÍNH CẤP TỈNH**\n\n"
        "| **Stt** | **Mã thủ tục hành chính** | **Tên thủ tục hành chính** "
        "| **Điểm tiếp nhận** |\n"
        "| | | | **Trung tâm Phục vụ hành chính công cấp xã** |\n"
        "| 1 | 1.014383.H13 | Thủ tục đặt và tổ chức xét tặng giải thưởng | X |\n"
        "| 2 | 1.008377.000.00.00.H13 | Thủ tục xét tiếp nhận vào viên chức | X |\n"
        "| **II** | **Danh mục thủ tục hành chính cấp xã** |\n"
        "| 3 | 2.002722.H13 | Thủ tục xác định nhiệm vụ khoa học và công nghệ cấp cơ sở | |\n"
    )
    assert table_rows("a\n| 1 | 2.002722.H13 | Tên |\n")[1] == ["1", "2.002722.H13", "Tên"]
    reading = read_decision(text, "SRC", "2025-12-19")
    assert reading is not None
    assert reading.decision.number == "2608/QĐ-UBND"
    assert {c: r["competent_level"] for c, r in reading.rows.items()} == {
        "1.014383": "province",
        "1.008377": "province",
        "2.002722": "commune",
    }
    assert {r["field_vi"] for r in reading.rows.values()} == {"Khoa học và công nghệ"}
    assert {r["ministry"] for r in reading.rows.values()} == {"Bộ Khoa học và Công nghệ"}
    assert all(r["inferred"] == "ministry" for r in reading.rows.values())
    assert {r["time_limit_unit"] for r in reading.rows.values()} == {"unknown"}


def test_a_ministrys_own_list_comes_before_a_provinces() -> None:
    def reading(issuer: str, day: str, field_name: str) -> Reading:
        decision = Decision(f"1/{issuer}", issuer, day, "")
        row = {"code": "1.000001", "field_vi": field_name, "time_limit_unit": "unknown"}
        row |= {"fee_text": "", "legal_basis": "", "source": issuer}
        return Reading(decision, rows={"1.000001": row})

    province = reading("Tỉnh Nghệ An", "2025-11-20", "Báo chí - xuất bản")
    ministry = reading("Bộ Văn hoá, Thể thao và du lịch", "2025-11-28", "Mua bán hàng hóa")
    merged = merge([province, ministry], set())
    assert merged["1.000001"]["field_vi"] == "Mua bán hàng hóa"
    assert merged["1.000001"]["source"] == "Bộ Văn hoá, Thể thao và du lịch; also in Tỉnh Nghệ An"


def test_a_title_without_a_department_gives_way_to_article_1() -> None:
    """Bắc Ninh 1520/QĐ-UBND: the title names no department; Article 1 says the procedures are
    "thuộc phạm vi, chức năng quản lý nhà nước của Thanh tra tỉnh" → the Government Inspectorate,
    flagged as inferred like any department."""
    title = "PHÊ DUYỆT DANH MỤC THỦ TỤC HÀNH CHÍNH THỰC HIỆN KHÔNG PHỤ THUỘC ĐỊA GIỚI HÀNH CHÍNH"
    decision = Decision("1520/QĐ-UBND", "Tỉnh Bắc Ninh", "2025-11-22", title)
    article = "Phê duyệt ... thuộc phạm vi, chức năng quản lý nhà nước của Thanh tra tỉnh."
    assert ministry_of(decision, article) == ("Thanh tra Chính phủ", True)
    assert ministry_of(decision) == ("", True)
    # The title wins where it names a department.
    health = Decision("2", "Tỉnh A", "2025-11-01", "THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ Y TẾ")
    assert ministry_of(health, article) == ("Bộ Y tế", True)


def test_process_totals_as_the_copies_write_them_and_one_process_for_several_codes() -> None:
    """Session 10 (decision 0031): an empty cell before the total (1.014116: 60 working days),
    stray emphasis marks in the heading's code (2.001717, 1.003999: 10,5 working days each), and
    one process written for two procedures (1.014464 and 1.014465: 03 working days) are read."""
    text = (FIXTURES / "qd-2028-2031-cao-bang-processes.md").read_text(encoding="utf-8")
    assert process_totals(text) == {
        "1.014116": ("60", "working_days"),
        "2.001717": ("10.5", "working_days"),
        "1.003999": ("10.5", "working_days"),
        "1.014464": ("3", "working_days"),
        "1.014465": ("3", "working_days"),
    }


def test_another_decisions_process_total_fills_a_row_without_a_limit_where_all_agree() -> None:
    """A row of any source without a time limit takes the total another decision's process gives
    its code, flagged and named; a row with a limit keeps it; decisions that disagree give
    nothing."""
    decision = Decision("2031/QĐ-UBND", "Tỉnh Cao Bằng", "2025-11-28", "…")
    other = Decision("9999/QĐ-UBND", "Tỉnh X", "2025-11-29", "…")
    cao_bang = Reading(decision, totals={"1.014465": ("3", "working_days")}, source="SRC")
    rows = [
        {
            "code": "1.014465",
            "time_limit_value": "",
            "time_limit_unit": "unknown",
            "inferred": "ministry",
            "source": "list",
        },
        {
            "code": "1.001806",
            "time_limit_value": "10",
            "time_limit_unit": "working_days",
            "inferred": "",
            "source": "record",
        },
    ]
    assert fill_from_process_totals(rows, [cao_bang]) == ["1.014465"]
    assert (rows[0]["time_limit_value"], rows[0]["time_limit_unit"]) == ("3", "working_days")
    assert rows[0]["inferred"] == "ministry;time_limit_value;time_limit_unit"
    assert "2031/QĐ-UBND of Tỉnh Cao Bằng (SRC)" in rows[0]["source"]
    assert rows[1]["time_limit_value"] == "10"
    rows[0].update(time_limit_value="", time_limit_unit="unknown")
    disagree = Reading(other, totals={"1.014465": ("2", "working_days")}, source="SRC2")
    assert fill_from_process_totals(rows, [cao_bang, disagree]) == []
    assert rows[0]["time_limit_unit"] == "unknown"


def test_an_annex_time_cell_is_read_only_where_it_opens_with_its_one_limit() -> None:
    """Session 11 (decision 0035): a time cell is read where it opens with the procedure's one
    limit, or gives the certification rule "ngay trong ngày … sau 15 giờ" (same day with the 15:00
    rule, R-TIME-05: "15 giờ" is a clock time there, not a duration); cells as the copies write
    them."""
    assert time_cell("05 ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ.") == (
        "5",
        "working_days",
        "",
    )
    assert time_cell(
        "Không quá 02 (hai) ngày làm việc, kể từ ngày nhận đủ hồ sơ yêu cầu chứng thực hoặc có"
        " thể kéo dài hơn theo thỏa thuận bằng văn bản với người yêu cầu chứng thực."
    ) == ("2", "working_days", "")
    # Huế 3565/QĐ-UBND writes the number in words first: not read.
    assert time_cell("Mười (10) ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ.") is None
    # A step of the procedure, not its limit (a Part II text, adda847abe350742.md).
    assert (
        time_cell(
            "Trong thời hạn 10 ngày, kể từ ngày tiếp nhận hồ sơ đề nghị cấp lại thẻ giám định"
            " viên tư pháp, Giám đốc Sở Tư pháp trình Chủ tịch Ủy ban nhân dân tỉnh"
        )
        is None
    )
    # Two limits, one per case.
    assert time_cell("15 ngày và 05 ngày làm việc đối với trường hợp cấp lại") is None
    assert time_cell(
        "Thời hạn thực hiện yêu cầu chứng thực là ngay trong ngày cơ quan, tổ chức tiếp nhận yêu"
        " cầu hoặc trong ngày làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ"
    ) == ("", "same_day", "yes")


def test_annex_time_cells_fill_rows_of_any_source_where_all_decisions_agree() -> None:
    """Huế 3565/QĐ-UBND states 05 working days for 1.011818 (listed without a limit by Cần Thơ
    2608/QĐ-UBND, the row's source; the row is not the Huế decision's own, since its section
    gives no level); Đồng Nai 2770/QĐ-UBND the same-day rule for 2.001008. Filled, flagged,
    quoted; a row with a limit keeps it; decisions that disagree give nothing."""
    hue = _read("qd-3565-2025-hue.md")
    dong_nai = _read("qd-2770-2025-dong-nai.md")
    assert set(hue.time_cells) == {"1.011818"}  # 1.014390's cell opens with a word
    assert set(dong_nai.time_cells) == {"2.001008"}
    rows = [
        {
            "code": "1.011818",
            "time_limit_value": "",
            "time_limit_unit": "unknown",
            "same_day_cutoff_1500": "",
            "inferred": "ministry",
            "source": "list",
        },
        {
            "code": "2.001008",
            "time_limit_value": "",
            "time_limit_unit": "unknown",
            "same_day_cutoff_1500": "",
            "inferred": "online_level",
            "source": "record",
        },
    ]
    assert fill_from_time_cells(rows, [hue, dong_nai]) == ["1.011818", "2.001008"]
    assert (rows[0]["time_limit_value"], rows[0]["time_limit_unit"]) == ("5", "working_days")
    assert rows[0]["inferred"] == "ministry;time_limit_value;time_limit_unit"
    assert "3565/QĐ-UBND of Thành phố Huế (SRC)" in rows[0]["source"]
    assert "“05 ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ.”" in rows[0]["source"]
    assert (rows[1]["time_limit_unit"], rows[1]["same_day_cutoff_1500"]) == ("same_day", "yes")
    assert rows[1]["inferred"] == (
        "online_level;time_limit_value;time_limit_unit;same_day_cutoff_1500"
    )
    # Filled rows are not filled again.
    assert fill_from_time_cells(rows, [hue, dong_nai]) == []
    rows[0].update(time_limit_value="", time_limit_unit="unknown")
    other = Reading(
        Decision("9999/QĐ-UBND", "Tỉnh X", "2025-11-29", "…"),
        time_cells={"1.011818": ("7", "working_days", "", "07 ngày làm việc")},
        source="SRC2",
    )
    assert fill_from_time_cells(rows, [hue, other]) == []
    assert rows[0]["time_limit_unit"] == "unknown"
