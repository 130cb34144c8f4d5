"""Time limits read on provinces' portal pages (issue #19, session 10, decision 0031): a reading
says no more than its quote, names the code as the page localizes it, and only fills a row that
has no time limit, flagged as inferred."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import SEED_CSV
from motcua.catalog.page_readings import BUNDLED, COLUMNS, fill, load

YOGA = {
    "code": "1.000953",
    "time_limit_value": "7",
    "time_limit_unit": "working_days",
    "page_code": "1.000953.000.00.00.H01",
    "url": "https://dichvucong.angiang.gov.vn/dich-vu-cong/tra-cuu/chi-tiet-thu-tuc?ma-thu-tuc=31342",
    "quote": "07 ngày làm việc kể từ ngày nhận đủ hồ sơ theo quy định",
    "read_on": "2026-12-07",
}


def _write(tmp_path: Path, *rows: dict[str, str]) -> Path:
    path = tmp_path / "readings.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_reading_is_checked_against_its_quote_and_its_code(tmp_path: Path) -> None:
    (reading,) = load(_write(tmp_path, YOGA))
    assert (reading.code, reading.value, reading.unit) == ("1.000953", "7", "working_days")
    wrong_unit = {**YOGA, "time_limit_unit": "days"}
    with pytest.raises(ValueError, match="dòng 2: lời trích"):
        load(_write(tmp_path, wrong_unit))
    two_limits = {**YOGA, "quote": YOGA["quote"] + "; trường hợp khác 03 ngày làm việc"}
    with pytest.raises(ValueError, match="lời trích"):
        load(_write(tmp_path, two_limits))
    other_code = {**YOGA, "page_code": "1.000954.000.00.00.H01"}
    with pytest.raises(ValueError, match=r"không phải mã 1\.000953"):
        load(_write(tmp_path, other_code))
    with pytest.raises(ValueError, match="nhiều hơn một"):
        load(_write(tmp_path, YOGA, YOGA))


def test_a_reading_fills_only_a_missing_limit_and_says_so() -> None:
    (reading,) = [r for r in load() if r.code == "1.000953"]
    missing = {
        "code": "1.000953",
        "time_limit_value": "",
        "time_limit_unit": "unknown",
        "inferred": "ministry",
        "source": "list",
    }
    held = {**missing, "time_limit_value": "5", "time_limit_unit": "working_days", "inferred": ""}
    assert fill([missing, held], [reading]) == ["1.000953"]
    assert (missing["time_limit_value"], missing["time_limit_unit"]) == ("7", "working_days")
    assert missing["inferred"] == "ministry;time_limit_value;time_limit_unit"
    assert "1.000953.000.00.00.H01" in missing["source"]
    assert reading.url in missing["source"]
    assert held["time_limit_value"] == "5"
    assert held["inferred"] == ""


def test_the_bundled_readings_are_in_the_catalogue() -> None:
    """Every bundled reading is valid and its row carries it, flagged."""
    with SEED_CSV.open(encoding="utf-8") as handle:
        rows = {r["code"]: r for r in csv.DictReader(handle)}
    readings = load(BUNDLED)
    assert readings
    for reading in readings:
        row = rows[reading.code]
        assert (row["time_limit_value"], row["time_limit_unit"]) == (reading.value, reading.unit)
        assert {"time_limit_value", "time_limit_unit"} <= set(row["inferred"].split(";"))
        assert reading.url in row["source"]
