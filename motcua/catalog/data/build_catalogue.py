"""Rebuild ``procedures.csv`` from the public crawls it was read from (issue #19).

Run from the repository root after bringing the sources here (read-only snapshots)::

    git --git-dir=<mirror of chatbot-tthc/chatbot_tthc> archive 5322948 \
        scripts/crawler | tar -x -C /tmp/cat
    git --git-dir=<mirror of nhdandz/ThuTucHanhChinh> archive 936e184 \
        data/extracted_fixed | tar -x -C /tmp/cat/nhd
    git --git-dir=<mirror of tnt305/tai_lieu_noi_bo> archive 94c5034 src/etl/dataset \
        | tar -x -C /tmp/cat/tnt    # a blob missing from the snapshot: extract file by file
    python motcua/catalog/data/build_catalogue.py --chatbot /tmp/cat/scripts/crawler \
        --defence /tmp/cat/nhd/data/extracted_fixed --decisions /tmp/cat/tnt/src/etl/dataset

What it does, step by step (every step is idempotent, so running it twice changes nothing):

1. Reads the current ``procedures.csv`` (the 2025-26 seed, whose derivation is in README.md).
2. **Misfiled pages**: a crawled page whose text states another procedure code than the one it
   was stored under is not that procedure. 10 codes held the page of 1.014023 ("Hỗ trợ phát
   triển sản xuất cộng đồng"): they are merged into one procedure under 1.014023. 7 codes held a
   Hà Tĩnh province page (3.000579) whose "name" is the title of announcement decision
   1404/QĐ-UBND: it has no procedure name, so those rows are dropped.
3. **Ministry**: read from the portal's own lists "Danh sách thủ tục hành chính" exported per
   ministry (``danh-sach-tthc-*.xlsx``, column "Cơ quan ban hành"), stored beside the crawl.
4. **Business registrations** of science-and-technology organisations (1.014565-1.014567) are
   business registrations of the Ministry of Finance: field set to "Thành lập và hoạt động của
   doanh nghiệp", flagged as inferred (the portal files them under "Khoa học công nghệ").
5. **Ministry of National Defence**: the local (commune/province) procedures of the portal's
   Word exports parsed in nhdandz/ThuTucHanhChinh ``data/extracted_fixed/<code>.json``.
6. **Announcement decisions** (``--decisions``): the local procedures that the annex tables of
   ministries' and provinces' announcement decisions list, read from thuvienphapluat.vn text
   copies stored in tnt305/tai_lieu_noi_bo ``src/etl/dataset/<id>.md`` (decisions of November
   2025) by ``catalog/decision_tables.py``; only codes that no source above holds are added.
7. **The portal's API records** (``--portal-api``, session 8): the local procedures of
   ministry-level bodies in the records the portal's API returns, stored one per procedure by
   the public crawl qtungnui07/crwatdatadvc (``procedures/<group>/<code>/raw_procedure.json``,
   snapshot 3ec9a11 of 18 July 2026), read by ``catalog/portal_api.py``: codes no source above
   holds are added; for the codes already held, only what the row lacks (time limit, fee,
   documents, legal basis, an inferred ministry) is filled, never a value replaced. Session 9
   (decision 0027): the same records give the online level where the row's is ``unknown``
   (``portal_api.online_level``: read from the name or the online channel's text, else
   derived from ``isFullProcess``, ``isOfflineOnly`` and the channels, flagged inferred) and a
   time limit whose API unit is ``OTHER`` where the record's text writes the unit.
8. **Session 10** (decision 0031), time limits only, for rows that still have none: the
   internal-process totals of every decision in ``--decisions`` (also another decision's than
   the row's, where all agree; flagged inferred), the portal records' ``N OTHER`` whose numbered
   steps' limits add up to N in one unit (``--portal-api``), and the readings of provinces'
   portal pages in ``page_readings.csv`` (``--page-readings``, each checked against its quote,
   flagged inferred). Run on the committed file::

       python motcua/catalog/data/build_catalogue.py --decisions /tmp/tnt/src/etl/dataset \
           --portal-api /tmp/h19 --page-readings motcua/catalog/data/page_readings.csv

   **Session 11** (decision 0035): with ``--decisions``, also the annexes' "Thời hạn giải
   quyết" cells of every decision (``decision_tables.fill_from_time_cells``: a cell that opens
   with its one limit, or the certification same-day rule; all decisions must agree; flagged).

9. ``inferred`` lists the columns whose value was inferred rather than read; ``read_on`` is the
   date of the source snapshot the row was read from.

A step whose source is not given is skipped: the file already holds its result (every step is
idempotent), so a later step can be run alone, e.g. ``--portal-api /tmp/h19``::

    git --git-dir=<mirror of qtungnui07/crwatdatadvc> archive 3ec9a11 procedures \
        | tar -x -C /tmp/h19 --wildcards '*/raw_procedure.json'
    python motcua/catalog/data/build_catalogue.py --portal-api /tmp/h19
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "procedures.csv"
if __name__ == "__main__":  # run as a script: the catalogue's modules need the project and Django
    sys.path.insert(0, str(HERE.parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

from motcua.catalog import page_readings  # noqa: E402
from motcua.catalog.decision_tables import (  # noqa: E402
    Reading,
    fill_from_process_totals,
    fill_from_time_cells,
    merge,
    read_decision,
)
from motcua.catalog.importer import COLUMNS  # noqa: E402
from motcua.catalog.portal_api import fill_gaps, read_record  # noqa: E402

CHATBOT = "github.com/chatbot-tthc/chatbot_tthc"
CHATBOT_READ_ON = "2026-07-20"  # snapshot commit 5322948 (crawl stored July 2026)
DEFENCE = "github.com/nhdandz/ThuTucHanhChinh"
DEFENCE_READ_ON = "2026-01-02"  # snapshot commit 936e184
DECISIONS = "github.com/tnt305/tai_lieu_noi_bo/src/etl/dataset"
DECISIONS_READ_ON = "2025-12-19"  # snapshot commit 94c5034
MERGED_INTO = "1.014023"
DECISION_PAGE = "3.000579"
BUSINESS_FIELD = "Thành lập và hoạt động của doanh nghiệp"
BUSINESS_CODES = ("1.014565", "1.014566", "1.014567")
MINISTRY_NAMES = {"Bộ xây dựng (Giao thông vận tải cũ)": "Bộ Xây dựng"}
# Where the portal's list does not hold the code (1.014023, merged above), the field's ministry.
FIELD_MINISTRY = {"Nông nghiệp": "Bộ Nông nghiệp và Môi trường"}
DEFENCE_LEVELS = {"Cấp Xã": "commune", "Cấp Tỉnh": "province"}
UNITS = {
    "ngày làm việc": ("working_days", False),
    "ngày": ("days", False),
    # The portal writes "Giờ"; the model only has working hours (R-TIME-01).
    "giờ": ("working_hours", True),
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def stated_code(raw_text: str) -> str | None:
    match = re.search(r"Mã thủ tục\s*([0-9]\.[0-9]{6})", raw_text)
    return match.group(1) if match else None


def ministries(chatbot: Path) -> dict[str, str]:
    from openpyxl import load_workbook  # noqa: PLC0415 - openpyxl loads when a spreadsheet is read

    found: dict[str, str] = {}
    for path in sorted([*chatbot.glob("danh-sach-tthc-*.xlsx"), *chatbot.glob("data/excels/*")]):
        sheet = load_workbook(path, read_only=True).worksheets[0]
        for row in list(sheet.iter_rows(values_only=True))[2:]:
            if row and row[0] and row[2]:
                name = nfc(str(row[2]))
                found.setdefault(nfc(str(row[0])), MINISTRY_NAMES.get(name, name))
    return found


def clean_seed(rows: list[dict[str, str]], chatbot: Path) -> list[dict[str, str]]:
    by_ministry = ministries(chatbot)
    out: dict[str, dict[str, str]] = {}
    for read in rows:
        row = {c: read.get(c, "") for c in COLUMNS}
        if row["source"].startswith((DEFENCE, DECISIONS)):
            continue  # rebuilt below
        raw_path = chatbot / row["source"].split(" ")[0].split("scripts/crawler/", 1)[-1]
        if raw_path.exists():
            page = json.loads(raw_path.read_text(encoding="utf-8"))
            code = stated_code(page.get("raw_text", "")) or row["code"]
            if code == DECISION_PAGE:
                continue
            if code != row["code"]:
                row["source"] = f"{row['source']}; page states code {code}"
                row["code"] = code
                if code in out:
                    also = row["source"].split(" ")[0]
                    out[code]["source"] += f"; same page also stored as {also}"
                    continue
        if raw_path.exists() and row["time_limit_unit"] == "unknown" and row["time_limit_value"]:
            _complete_time(row, page)
        if raw_path.exists() and row["online_level"] == "unknown":
            _online_level(row)
        if row["code"] in BUSINESS_CODES and row["field_vi"] != BUSINESS_FIELD:
            row["field_vi"] = BUSINESS_FIELD
            row["inferred"] = _add(row["inferred"], "field_vi")
        if "DOMAIN.md §14" in row["source"]:
            row["inferred"] = _add(
                row["inferred"], "time_limit_value;time_limit_unit;same_day_cutoff_1500"
            )
        row["ministry"] = by_ministry.get(row["code"], row["ministry"])
        if not row["ministry"] and row["field_vi"] in FIELD_MINISTRY:
            row["ministry"] = FIELD_MINISTRY[row["field_vi"]]
            row["inferred"] = _add(row["inferred"], "ministry")
        row["read_on"] = row["read_on"] or CHATBOT_READ_ON
        out[row["code"]] = row
    return refile_by_field(list(out.values()))


# The portal's sections the crawl was stored under (``data/raw/<section>/<code>.json``).
SECTIONS = {
    "bo-cong-an": "Bộ Công an",
    "bo-tai-chinh": "Bộ Tài chính",
    "bo-tu-phap": "Bộ Tư pháp",
    "bo-xay-dung": "Bộ Xây dựng",
    "bo-nong-nghiep-mt": "Bộ Nông nghiệp và Môi trường",
    "ngan-hang-nha-nuoc": "Ngân hàng Nhà nước Việt Nam",
    "toa-an-nhan-dan": "Tòa án nhân dân",
}


def refile_by_field(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The ministry is the body responsible for the field (issue #19). Where the portal's list
    names another body as issuer than the ministry owning the field (every other procedure of the
    field, at least 10) and the portal section the page was crawled from names that owner too,
    the row is refiled to the owner, flagged and explained: 1.003133 (border passes, field "Quản
    lý xuất nhập cảnh", section Bộ Công an) is listed as issued by Bộ Xây dựng."""
    by_field: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = by_field.setdefault(row["field_vi"], {})
        counts[row["ministry"]] = counts.get(row["ministry"], 0) + 1
    for row in rows:
        section = re.search(r"/data/raw/([a-z-]+)/", row["source"])
        owner = SECTIONS.get(section.group(1), "") if section else ""
        counts = by_field[row["field_vi"]]
        others = sum(counts.values()) - counts.get(row["ministry"], 0)
        if not owner or owner == row["ministry"] or counts.get(owner, 0) != others or others < 10:
            continue
        note = f"; ministry of the field and of the portal section ({row['ministry']} in the list)"
        row["source"] += note if note not in row["source"] else ""
        row["ministry"] = owner
        row["inferred"] = _add(row["inferred"], "ministry")
    return rows


def _page_text(page: dict[str, object]) -> str:
    """The page's channel table (form, time, fee, note), where the time limit is published. The
    steps are not read: their durations are often those of one step."""
    part = page.get("cach_thuc_thuc_hien") or ""
    return part if isinstance(part, str) else json.dumps(part, ensure_ascii=False)


def _complete_time(row: dict[str, str], page: dict[str, object]) -> None:
    """A bare number in the time column: a fee read as a time limit is cleared; a number the
    channel table writes with a unit ("1 Giờ") gets that unit (flagged as inferred: "Giờ" is
    taken as working hours, the model's only hour unit)."""
    text = _page_text(page)
    value = row["time_limit_value"]
    number = re.escape(value)
    with_unit = re.compile(
        rf"(?<![0-9.,])0*{number}\s*(?:\([^)]*\)\s*)?(ngày làm việc|ngày|giờ làm việc|giờ)",
        re.IGNORECASE,
    )
    units = {m.group(1).lower() for m in with_unit.finditer(text)}
    if not units and re.search(rf"(?<![0-9.,]){number}\s*VNĐ", text):
        row["time_limit_value"] = ""
        row["inferred"] = _add(row["inferred"], "time_limit_value")
        row["source"] += "; the time column held the fee amount, cleared"
        return
    if len(units) == 1:
        unit = units.pop()
        row["time_limit_unit"] = UNITS["giờ" if unit.startswith("giờ") else unit][0]
        row["inferred"] = _add(row["inferred"], "time_limit_unit")
        row["source"] += "; time-limit unit read from the channel table"


def _online_level(row: dict[str, str]) -> None:
    """Full where the portal's name says the procedure is carried out as a full-process online
    service. A listed online channel does not say full or partial, so those stay unknown. Where
    the channel table lists no online submission (302 rows) the level is not set to ``none``
    either: that would be read from an absence, and ``none`` closes the citizen e-form
    (portal/apply.py)."""
    if re.search(r"trực\s+tuyến\s+toàn\s+trình|dịch vụ công toàn trình", row["name_vi"].lower()):
        row["online_level"] = "full"
        row["source"] += "; online level from the name"


def _add(current: str, columns: str) -> str:
    names = [c for c in current.split(";") if c]
    names += [c for c in columns.split(";") if c not in names]
    return ";".join(names)


def _time(text: str) -> tuple[str, str, bool]:
    match = re.match(r"^\s*([0-9]+(?:[.,][05])?)\s+(ngày làm việc|ngày|giờ)\s*$", text.lower())
    if not match:
        return "", "unknown", False
    value = match.group(1).replace(",", ".").lstrip("0") or "0"
    value = value if "." not in value or not value.endswith(".0") else value[:-2]
    unit, inferred = UNITS[match.group(2)]
    return value, unit, inferred


def defence_rows(folder: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        meta, tables = record["metadata"], record["tables"]
        levels = [nfc(x) for x in meta["cấp_thực_hiện"].split(",")]
        local = [DEFENCE_LEVELS[x] for x in levels if x in DEFENCE_LEVELS]
        if not local:
            continue  # ministry-level only
        channels = tables.get("hinh_thuc_nop") or []
        in_person = next((c for c in channels if nfc(c["hinh_thuc"]) == "Trực tiếp"), None)
        chosen = in_person or (channels[0] if channels else None)
        value, unit, hours = _time(chosen["thoi_han_giai_quyet"]) if chosen else ("", "unknown", 0)
        fee = nfc(chosen["phi_le_phi"]) if chosen else ""
        documents = [
            nfc(d["ten_giay_to"]).replace("|", "/")
            for d in tables.get("thanh_phan_ho_so") or []
            if nfc(d.get("ten_giay_to", ""))
        ]
        basis = [
            nfc(b["so_ky_hieu"]) for b in tables.get("can_cu_phap_ly") or [] if b.get("so_ky_hieu")
        ]
        online = any(nfc(c["hinh_thuc"]) == "Trực tuyến" for c in channels)
        rows.append(
            {
                "code": nfc(meta["mã_thủ_tục"]),
                "name_vi": nfc(meta["tên_thủ_tục"]),
                "field_vi": nfc(meta["lĩnh_vực"]),
                "competent_level": "commune" if "commune" in local else "province",
                "time_limit_value": value,
                "time_limit_unit": unit,
                "same_day_cutoff_1500": "",
                "fee_text": fee[:400],
                # The export lists an online channel but not whether it is full or partial.
                "online_level": "unknown",
                "documents_vi": " | ".join(documents),
                "legal_basis": "; ".join(dict.fromkeys(basis)),
                "source": (
                    f"{DEFENCE}/data/extracted_fixed/{path.name} (parsed from the portal's "
                    f"Word export {record.get('source_file', '')}, {nfc(meta['số_quyết_định'])})"
                    + ("" if online else "; no online channel listed")
                ),
                "ministry": "Bộ Quốc phòng",
                "inferred": "time_limit_unit" if hours else "",
                "read_on": DEFENCE_READ_ON,
            }
        )
    return rows


def decision_rows(
    folder: Path, known: set[str], with_totals: list[Reading] | None = None
) -> list[dict[str, str]]:
    """Rows for the codes the announcement decisions list and ``known`` does not hold; what each
    decision gave and left out is written to stderr. The decisions that approve internal
    processes or whose annex states time limits are appended to ``with_totals``."""
    readings = []
    for path in sorted(folder.glob("*.md")):
        reading = read_decision(
            path.read_text(encoding="utf-8"), f"{DECISIONS}/{path.name}", DECISIONS_READ_ON
        )
        if (
            reading is not None
            and (reading.totals or reading.time_cells)
            and with_totals is not None
        ):
            with_totals.append(reading)
        if reading is not None and (reading.rows or reading.skipped):
            readings.append(reading)
            left = ", ".join(f"{n} {why}" for why, n in sorted(reading.skipped.items()))
            sys.stderr.write(
                f"{reading.decision.number} ({reading.decision.issuer}): "
                f"{len(reading.rows)} rows{'; left out: ' + left if left else ''}\n"
            )
    merged = merge(readings, known)
    return [{c: row.get(c, "") for c in COLUMNS} for row in merged.values()]


def portal_rows(folder: Path, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Fill the gaps of ``rows`` from the portal's API records and return the rows for the local
    procedures of ministry-level bodies that ``rows`` does not hold; counts go to stderr."""
    by_code = {r["code"]: r for r in rows}
    added: dict[str, dict[str, str]] = {}
    left_out: dict[str, int] = {}
    filled: dict[str, int] = {}
    for path in sorted(folder.glob("procedures/*/*/raw_procedure.json")):
        record = json.loads(path.read_text(encoding="utf-8")).get("detail") or {}
        relative = path.relative_to(folder).as_posix()
        code = nfc(record.get("code") or "")
        if code in by_code:
            for column in fill_gaps(by_code[code], record, relative):
                filled[column] = filled.get(column, 0) + 1
            continue
        if code in added:
            continue
        row, why = read_record(record, relative)
        if row is None:
            left_out[why] = left_out.get(why, 0) + 1
            continue
        _online_level(row)
        added[code] = row
    sys.stderr.write(
        f"portal API records: {len(added)} rows added; filled {filled}; left out {left_out}\n"
    )
    return list(added.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chatbot", type=Path)
    parser.add_argument("--defence", type=Path)
    parser.add_argument("--decisions", type=Path)
    parser.add_argument("--portal-api", type=Path)
    parser.add_argument("--page-readings", type=Path)
    args = parser.parse_args()
    with CSV_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if args.chatbot:
        rows = clean_seed(rows, args.chatbot)
    known = {r["code"] for r in rows}
    if args.defence:
        rows += [r for r in defence_rows(args.defence) if r["code"] not in known]
    if args.decisions:
        with_totals: list[Reading] = []
        rows += decision_rows(args.decisions, {r["code"] for r in rows}, with_totals)
        filled = fill_from_process_totals(rows, with_totals)
        sys.stderr.write(f"internal-process totals: time limit filled for {filled}\n")
        filled = fill_from_time_cells(rows, with_totals)
        sys.stderr.write(f"annexes' time cells: time limit filled for {filled}\n")
    if args.portal_api:
        rows += portal_rows(args.portal_api, rows)
    if args.page_readings:
        filled = page_readings.fill(rows, page_readings.load(args.page_readings))
        sys.stderr.write(f"provinces' portal pages: time limit filled for {filled}\n")
    rows.sort(key=lambda r: r["code"])
    with CSV_PATH.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sys.stdout.write(f"{len(rows)} procedures written to {CSV_PATH}\n")


if __name__ == "__main__":
    main()
