"""Time limits read on provinces' public-service portal pages (issue #19, session 10).

A province's portal publishes each procedure it carries out under the national code localized
with the province's code (R-ID-06: ``1.000953.000.00.00.H01`` is 1.000953 as published by An
Giang), with its time limit per channel ("Thời hạn giải quyết — Trực tiếp — 7 Ngày làm việc —
07 ngày làm việc kể từ ngày nhận đủ hồ sơ theo quy định"). ``data/page_readings.csv`` holds such
readings, one per code, each with the page's address, the code as the page writes it and the
time cell's words as read; ``load`` checks that the code is the national code's localized form
and that the words state exactly the value and unit recorded, so a reading cannot say more than
its quote. ``fill`` gives a row of the catalogue that has no time limit the reading's, flagged
as inferred: it is the limit the province publishes, taken as the national one (decision 0031).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from motcua.catalog.codes import CodeError, ProcedureCode
from motcua.catalog.portal_api import durations, nfc

COLUMNS = ("code", "time_limit_value", "time_limit_unit", "page_code", "url", "quote", "read_on")
BUNDLED = Path(__file__).resolve().parent / "data" / "page_readings.csv"


@dataclass(frozen=True)
class PageReading:
    code: str
    value: str
    unit: str
    page_code: str
    url: str
    quote: str
    read_on: str


def _check(row: dict[str, str], line: int) -> PageReading:
    code, page_code, quote = nfc(row["code"]), nfc(row["page_code"]), nfc(row["quote"])
    try:
        national = str(ProcedureCode.parse(page_code).national)
    except CodeError as error:
        raise ValueError(f"dòng {line}: mã trên trang không hợp lệ ({page_code})") from error
    if national != code:
        raise ValueError(f"dòng {line}: mã trên trang {page_code} không phải mã {code}")
    stated = durations(quote)
    expected = (int(row["time_limit_value"]), row["time_limit_unit"])
    if stated != {expected}:
        raise ValueError(
            f"dòng {line}: lời trích không nêu đúng một thời hạn "
            f"{row['time_limit_value']} {row['time_limit_unit']} ({quote})"
        )
    if not row["url"].startswith("https://") and not row["url"].startswith("http://"):
        raise ValueError(f"dòng {line}: thiếu địa chỉ trang")
    return PageReading(
        code, str(expected[0]), expected[1], page_code, row["url"], quote, row["read_on"]
    )


def load(path: Path = BUNDLED) -> list[PageReading]:
    """The readings of ``path``, each checked against its quote; ValueError names the line."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    readings = [_check(row, index) for index, row in enumerate(rows, start=2)]
    codes = [r.code for r in readings]
    if len(codes) != len(set(codes)):
        raise ValueError("một mã thủ tục có nhiều hơn một lần đọc")
    return readings


def fill(rows: list[dict[str, str]], readings: list[PageReading]) -> list[str]:
    """Give each row without a time limit its reading's, flagged inferred; the codes filled."""
    by_code = {r.code: r for r in readings}
    filled = []
    for row in rows:
        reading = by_code.get(row["code"])
        unit = row["time_limit_unit"]
        missing = unit in ("", "unknown") or (unit != "same_day" and not row["time_limit_value"])
        if reading is None or not missing:
            continue
        row["time_limit_value"], row["time_limit_unit"] = reading.value, reading.unit
        flags = [c for c in row["inferred"].split(";") if c and not c.startswith("time_limit")]
        row["inferred"] = ";".join([*flags, "time_limit_value", "time_limit_unit"])
        row["source"] += (
            f"; time limit from a province's portal page {reading.url} "
            f"({reading.page_code}, read {reading.read_on}: “{reading.quote}”)"
        )
        filled.append(row["code"])
    return filled
