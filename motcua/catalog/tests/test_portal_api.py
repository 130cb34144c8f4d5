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
from motcua.catalog.portal_api import (
    READ_ON,
    fill_gaps,
    online_level,
    read_record,
    time_limit,
)
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
    # Nothing the record does not give: no fee. In person and by post only: no online service,
    # a reading of the channel list flagged as inferred (decision 0027).
    assert (row["fee_text"], row["online_level"], row["inferred"]) == ("", "none", "online_level")
    assert "online level: no online channel" in row["source"]
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
    # The online level comes from the records' flags and channels (decision 0027): flagged.
    levels = {r["online_level"] for r in rows}
    assert levels == {"full", "partial", "none", "unknown"}
    flagged = [r for r in rows if r["online_level"] in ("full", "partial", "none")]
    assert all(
        "online_level" in r["inferred"].split(";")
        for r in flagged
        if "name says" not in r["source"]
    )
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


def _channels(*methods: str) -> list[dict[str, Any]]:
    return [
        {"submissionMethod": m, "processingTime": 5, "processingTimeUnit": "WORKING_DAY"}
        for m in methods
    ]


@pytest.mark.parametrize(
    ("full", "offline_only", "methods", "expected"),
    [
        # (isFullProcess, isOfflineOnly, channels) → level, as counted over the 5,665 records.
        (False, False, ("DIRECT", "ONLINE"), ("partial", True)),  # 2,888 records
        (True, False, ("DIRECT", "ONLINE", "POSTAL"), ("full", True)),  # 1,894
        (False, False, ("DIRECT", "POSTAL"), ("none", True)),  # 708
        (True, False, ("DIRECT",), ("unknown", False)),  # 155: full-process with no online channel
        (False, True, ("DIRECT",), ("none", True)),  # 18
        (False, True, ("DIRECT", "ONLINE"), ("unknown", False)),  # 1: offline only, yet online
        (True, True, ("DIRECT",), ("none", True)),  # 1
    ],
)
def test_the_online_level_follows_the_flags_and_channels(
    full: bool, offline_only: bool, methods: tuple[str, ...], expected: tuple[str, bool]
) -> None:
    """Decision 0027, R-ONL-01: full = isFullProcess with an online channel, partial = an online
    channel without it, none = no online channel or isOfflineOnly; contradictions stay unknown."""
    record = {
        **FORESTRY,
        "isFullProcess": full,
        "isOfflineOnly": offline_only,
        "executionMethods": _channels(*methods),
    }
    assert online_level(record)[:2] == expected
    row, _ = read_record(record, PATH)
    assert row is not None
    assert row["online_level"] == expected[0]
    assert ("online_level" in row["inferred"].split(";")) is expected[1]


def test_a_procedure_domain_md_files_online_is_not_none_for_want_of_a_listed_channel() -> None:
    """2.000986 (birth + residence + health-insurance package) lists no online channel in its
    record, but DOMAIN.md §14 row 7 gives it an interactive e-form: unknown, not none."""
    record = {**FORESTRY, "code": "2.000986", "executionMethods": _channels("DIRECT")}
    level, inferred, how = online_level(record)
    assert (level, inferred) == ("unknown", False)
    assert "DOMAIN.md" in how
    assert online_level({**record, "code": "2.000815"})[:2] == ("none", True)


def test_what_the_name_or_the_online_channel_says_beats_the_flags() -> None:
    """A level the record writes is read, not inferred (decision 0027): the name of 1.013086
    ("... bằng dịch vụ công trực tuyến một phần hoặc trực tiếp ..."), the online channel text
    of 1.011176 ("Địa chỉ trực tuyến: https://dichvucong.thanhhoa.gov.vn (toàn trình)")."""
    partial_name = {
        **FORESTRY,
        "name": (
            "Đăng ký xe tạm thời thực hiện bằng dịch vụ công trực tuyến một phần hoặc trực tiếp"
        ),
        "isFullProcess": True,
        "executionMethods": _channels("DIRECT", "ONLINE"),
    }
    assert online_level(partial_name)[:2] == ("partial", False)
    channels = _channels("DIRECT", "ONLINE")
    channels[1]["description"] = (
        "Địa chỉ trực tuyến: https://dichvucong.thanhhoa.gov.vn (toàn trình)"
    )
    said_full = {**FORESTRY, "isFullProcess": False, "executionMethods": channels}
    assert online_level(said_full)[:2] == ("full", False)
    channels = _channels("ONLINE")
    channels[0]["description"] = (
        "Thủ tục hành chính chưa đủ điều kiện thực hiện dịch vụ công trực tuyến toàn trình."
    )
    not_full = {**FORESTRY, "isFullProcess": False, "executionMethods": channels}
    assert online_level(not_full)[:2] == ("partial", True)


def test_a_level_held_elsewhere_is_kept_and_an_unknown_one_is_filled() -> None:
    record = {**CHILD_CARE, "isFullProcess": True, "executionMethods": _channels("ONLINE")}
    row, _ = read_record(copy.deepcopy(CHILD_CARE), PATH)
    assert row is not None
    held = {**row, "online_level": "partial", "inferred": "", "source": "a decision"}
    assert fill_gaps(held, record, PATH) == []
    assert held["online_level"] == "partial"
    unknown = {**row, "online_level": "unknown", "inferred": "", "source": "a decision"}
    assert fill_gaps(unknown, record, PATH) == ["online_level (online channel and isFullProcess)"]
    assert (unknown["online_level"], unknown["inferred"]) == ("full", "online_level")


def test_the_api_other_unit_is_read_only_where_the_record_writes_the_unit() -> None:
    """Decision 0027. 1.003650: "3 OTHER" and the steps write "03 ngày làm việc" → 3 working
    days. 1.014801: no number, the channel says "05 ngày làm việc kể từ ngày nhận được hồ sơ
    đầy đủ, hợp lệ". Not read: "1 OTHER" (the API's placeholder: 1.000025 says "1 OTHER" and
    its case 55 working days), "3 OTHER" with no text (the portal's export prints "3 ngày" for
    1.001022, where the law gives 3 working days), 1.005061's "15 ngày và 05 ngày làm việc"."""

    def record(amount: object, text: str = "", steps: str = "") -> dict[str, Any]:
        return {
            **FORESTRY,
            "cases": [],
            "executionSteps": [{"description": steps}] if steps else [],
            "executionMethods": [
                {
                    "submissionMethod": "DIRECT",
                    "processingTime": amount,
                    "processingTimeUnit": "OTHER",
                    "description": text,
                }
            ],
        }

    steps = "Bước 2: Trong thời hạn 03 ngày làm việc, cơ quan quản lý cấp giấy chứng nhận"
    value, unit, inferred, how = time_limit(record(3, steps=steps))
    assert (value, unit, inferred) == ("3", "working_days", True)
    assert "steps" in how
    text = "05 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ, hợp lệ "
    assert time_limit(record(0, text))[:3] == ("5", "working_days", True)
    row, _ = read_record(record(0, text), PATH)
    assert row is not None
    assert {"time_limit_value", "time_limit_unit"} <= set(row["inferred"].split(";"))
    assert time_limit(record(1))[:2] == ("", "unknown")
    assert time_limit(record(1, steps="trong thời hạn 01 ngày làm việc"))[:2] == ("", "unknown")
    assert time_limit(record(3))[:2] == ("", "unknown")
    two = "15 ngày và 05 ngày làm việc, cụ thể: a) Trong thời hạn 15 ngày, kể từ ngày nhận"
    assert time_limit(record(0, two))[:2] == ("", "unknown")
    # An inferred limit (a decision's internal-process total) is not replaced by this reading.
    held, _ = read_record(copy.deepcopy(CHILD_CARE), PATH)
    assert held is not None
    guessed = {**held, "time_limit_value": "10", "inferred": "time_limit_value;time_limit_unit"}
    assert not any(f.startswith("time_limit") for f in fill_gaps(guessed, record(0, text), PATH))
    assert guessed["time_limit_value"] == "10"
    empty = {**held, "time_limit_value": "", "time_limit_unit": "unknown", "inferred": ""}
    assert fill_gaps(empty, record(0, text), PATH)[0] == (
        "time_limit (time limit read from the channel text)"
    )
    assert (empty["time_limit_value"], empty["time_limit_unit"]) == ("5", "working_days")


def test_an_other_unit_whose_numbered_steps_add_up_to_the_number_takes_their_unit() -> None:
    """Decision 0031 (session 10). 1.010090 (``procedures/viec-lam/1.010090``) gives "20 OTHER"
    on every channel and writes no unit beside 20; its steps 3 and 4 state 17 and 03 working
    days: 17 + 3 = 20, so the unit is theirs (flagged). Steps in two units, a single step, or a
    sum that is not the number give nothing."""
    step_3 = (
        "Bước 3: Trong thời hạn 17 ngày làm việc kể từ ngày nhận đủ hồ sơ, Cơ quan chuyên môn "
        "được Chủ tịch Ủy ban nhân dân cấp tỉnh giao giải quyết thủ tục hành chính tổ chức "
        "thẩm định, đánh giá (thành lập Hội đồng thẩm định) và trình Chủ tịch Ủy ban nhân dân "
        "cấp tỉnh xem xét, quyết định;\n"
    )
    step_4 = (
        "Bước 4: Trong thời hạn 03 ngày làm việc kể từ ngày nhận được hồ sơ trình của Cơ quan "
        "chuyên môn được Chủ tịch Ủy ban nhân dân cấp tỉnh giao giải quyết thủ tục hành chính, "
        "Chủ tịch Ủy ban nhân dân cấp tỉnh cấp Quyết định công nhận"
    )
    step_2 = (
        "Bước 2: Cơ quan được Chủ tịch Ủy ban nhân dân cấp tỉnh giao tiếp nhận hồ sơ giải "
        "quyết thủ tục hành chính trả lời ngay tính đầy đủ của hồ sơ đối với trường hợp nộp "
        "trực tiếp; trả lời tính đầy đủ của hồ sơ trong 01 ngày làm việc đối với trường hợp "
        "nộp hồ sơ qua môi trường mạng hoặc qua dịch vụ bưu chính bằng văn bản;\n"
    )

    def record(amount: int, steps: str) -> dict[str, Any]:
        return {
            **FORESTRY,
            "code": "1.010090",
            "cases": [{"processingDay": {"qty": amount, "type": "OTHER"}}],
            "executionSteps": [{"description": steps}],
            "executionMethods": [
                {"submissionMethod": m, "processingTime": amount, "processingTimeUnit": "OTHER"}
                for m in ("ONLINE", "POSTAL", "DIRECT")
            ],
        }

    value, unit, inferred, how = time_limit(record(20, step_2 + step_3 + step_4))
    assert (value, unit, inferred) == ("20", "working_days", True)
    assert how == "OTHER unit: the steps' limits add up to it"
    row, _ = read_record(record(20, step_2 + step_3 + step_4), PATH)
    assert row is not None
    assert "time_limit_unit" in row["inferred"].split(";")
    assert "time_limit_value" not in row["inferred"].split(";")  # 20 is the record's number
    assert time_limit(record(21, step_3 + step_4))[:2] == ("", "unknown")
    assert time_limit(record(20, step_3))[:2] == ("", "unknown")
    in_days = step_4.replace("03 ngày làm việc", "03 ngày")
    assert time_limit(record(20, step_3 + in_days))[:2] == ("", "unknown")
