"""A province's announcement decision (quyết định công bố danh mục TTHC, DOMAIN §11.2, R-CAT-02).

Provinces publish, with each decision, a list of the procedures it announces as new, amended,
repealed or not implemented locally, as a table (XLSX, or CSV saved from it): a title, a header
row ("STT | Mã TTHC | Tên thủ tục hành chính | Thời hạn giải quyết | Phí, lệ phí | Căn cứ pháp
lý | ...", the columns vary) and rows grouped under section rows ("A. THỦ TỤC HÀNH CHÍNH MỚI BAN
HÀNH", "B. ... CẤP XÃ", "I. Lĩnh vực Hộ tịch") or carrying their own "Lĩnh vực", "Cấp" and "Tính
chất" columns. The shape follows the extract of Hải Phòng decision 2831/QĐ-UBND of 10/07/2025
(household business) in hongdienvbhp/BangNiemYetVinhBao ``data/phu-luc/QD-2831-Ho-kinh-doanh.json``.

Applying it never overwrites history (R-VER-01): a new or amended procedure whose content differs
opens a new version carrying the decision, the fields the list does not give are carried over from
the version in force; a repealed or not-implemented one is marked on the procedure, its versions
kept. All-or-nothing, like the catalogue import.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from motcua.catalog.importer import (
    COLUMNS,
    LEVELS,
    _ensure_fields,
    _import_one,
    _plain,
    check_row,
)
from motcua.catalog.models import Field, Procedure
from motcua.core.importing import ImportReport, RowError
from motcua.core.text import fold, nfc
from motcua.geo.models import Province

NEW, AMENDED, REPEALED, NOT_IMPLEMENTED = "new", "amended", "repealed", "not_implemented"
# Folded header text → our key; the first match wins, so longer phrases come first.
HEADERS = [
    ("ma", "code"),
    ("ten", "name"),
    ("thoi han", "time"),
    ("phi", "fee"),
    ("can cu", "basis"),
    ("linh vuc", "field"),
    ("cap", "level"),
    ("tinh chat", "status"),
    ("dia diem", "place"),
]
CODE = re.compile(r"^[0-9]{1,2}\.[0-9]{5,6}$")
TIME = re.compile(r"^\s*0*([0-9]+(?:[.,]5)?)\s*(ngày làm việc|ngày|giờ làm việc)\s*\.?\s*$")
UNITS = {"ngày làm việc": "working_days", "ngày": "days", "giờ làm việc": "working_hours"}


@dataclass(frozen=True)
class AnnouncedRow:
    line: int
    code: str
    name: str
    status: str
    field: str
    level: str
    time_text: str
    fee: str
    basis: str


def read_table(path: Path) -> list[list[str]]:
    """Every row of the first sheet (XLSX) or of the CSV, as text."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # noqa: PLC0415 - openpyxl loads when a spreadsheet is read

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [
            [nfc("" if v is None else str(v)) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    text = path.read_text(encoding="utf-8-sig")
    return [[nfc(v) for v in row] for row in csv.reader(io.StringIO(text))]


def is_announcement(table: list[list[str]]) -> bool:
    """True when the file is not in the catalogue's own format (first header cell ``code``)."""
    return bool(table) and (not table[0] or table[0][0].strip() != COLUMNS[0])


def _header(table: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(table[:15]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            text = fold(cell)
            key = next((k for needle, k in HEADERS if text.startswith(needle)), None)
            if key is not None and key not in found:
                found[key] = position
        if "code" in found and "name" in found:
            return index, found
    return None


def _section(text: str) -> tuple[str | None, str | None, str | None]:
    """(status, level, field) named by a section row, each None when it names none."""
    folded = fold(text)
    status = None
    if "khong thuc hien" in folded:
        status = NOT_IMPLEMENTED
    elif "bai bo" in folded:
        status = REPEALED
    elif "sua doi" in folded or "bo sung" in folded or "thay the" in folded:
        status = AMENDED
    elif "moi ban hanh" in folded:
        status = NEW
    level = None
    if "cap xa" in folded and "tiep nhan" not in folded:
        level = "commune"
    elif "cap tinh" in folded:
        level = "province"
    field = None
    match = re.match(r"^\s*(?:[IVXLC]+|[0-9]+)\s*[.)]\s*(?:lĩnh vực\s+)?(.+)$", text, re.IGNORECASE)
    if match and status is None and level is None:
        field = match.group(1).strip().rstrip(".")
    elif folded.startswith("linh vuc"):
        field = text.strip()[len("Lĩnh vực") :].strip(" :.")
    return status, level, field


def _status(text: str) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    if folded.startswith("moi"):
        return NEW
    return _section(text)[0]


def _level(text: str) -> str:
    folded = fold(text)
    if folded in ("xa", "cap xa") or folded.startswith("cap xa"):
        return "commune"
    if folded in ("tinh", "cap tinh") or folded.startswith("cap tinh"):
        return "province"
    return ""


def parse(table: list[list[str]]) -> tuple[list[AnnouncedRow], list[RowError]]:
    found = _header(table)
    if found is None:
        return [], [
            RowError(
                1,
                "Mã TTHC",
                "không tìm thấy dòng tiêu đề có cột mã và tên thủ tục / no header row with the "
                "procedure code and name",
            )
        ]
    start, cols = found
    rows: list[AnnouncedRow] = []
    errors: list[RowError] = []
    status, level, field = NEW, "", ""

    def cell(row: list[str], key: str) -> str:
        position = cols.get(key)
        return row[position].strip() if position is not None and position < len(row) else ""

    for line, row in enumerate(table[start + 1 :], start=start + 2):
        code = cell(row, "code")
        if not code:
            text = next((c for c in row if c.strip()), "")
            if not text:
                continue
            new_status, new_level, new_field = _section(text)
            status = new_status or status
            if new_level is not None:
                level, field = new_level, ""
            if new_field is not None:
                field = new_field
            continue
        if not CODE.match(code):
            errors.append(
                RowError(line, "Mã TTHC", f"mã “{code}” không đúng dạng / not a procedure code")
            )
            continue
        rows.append(
            AnnouncedRow(
                line=line,
                code=code,
                name=cell(row, "name"),
                status=_status(cell(row, "status")) or status,
                field=cell(row, "field") or field,
                level=_level(cell(row, "level")) or level,
                time_text=cell(row, "time"),
                fee=cell(row, "fee"),
                basis=cell(row, "basis"),
            )
        )
    return rows, errors


def _time(text: str) -> tuple[str, str] | None:
    match = TIME.match(text.lower())
    if not match:
        return None
    return match.group(1).replace(",", "."), UNITS[match.group(2)]


def _current_row(procedure: Procedure | None) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    version = procedure.current if procedure else None
    if procedure is None or version is None:
        row["time_limit_unit"] = "unknown"
        return row
    back = {body: key for key, (_, body) in LEVELS.items()}
    row.update(
        code=procedure.code_national,
        name_vi=version.name,
        field_vi=version.field.name,
        competent_level=back.get(version.competent_body_type, "other"),
        time_limit_value=(
            "" if version.time_limit_value is None else _plain(version.time_limit_value)
        ),
        time_limit_unit=version.time_limit_unit,
        same_day_cutoff_1500="yes" if version.cutoff_1500 else "",
        fee_text=version.fee_text,
        online_level=version.online_level,
        documents_vi=" | ".join(c.name for c in version.components.all() if not c.curated),
        legal_basis=version.legal_basis,
        source=version.source,
        ministry=procedure.ministry,
        inferred=";".join(version.inferred_fields),
        read_on=version.read_on.isoformat() if version.read_on else "",
    )
    return row


def _merge(
    item: AnnouncedRow, procedure: Procedure | None, decision: str, source: str
) -> dict[str, str]:
    """The import row for an announced new or amended procedure: the list's values over the
    version in force."""
    row = _current_row(procedure)
    given = []
    row["code"] = item.code
    for key, column, label in (
        ("name", "name_vi", "tên"),
        ("field", "field_vi", "lĩnh vực"),
        ("level", "competent_level", "cấp thực hiện"),
        ("fee", "fee_text", "phí, lệ phí"),
        ("basis", "legal_basis", "căn cứ pháp lý"),
    ):
        value = getattr(item, key)
        if value:
            row[column] = value[:400] if column == "fee_text" else value
            given.append(label)
    parsed = _time(item.time_text)
    if parsed is not None:
        row["time_limit_value"], row["time_limit_unit"] = parsed
        row["same_day_cutoff_1500"] = ""
        given.append("thời hạn")
    elif item.time_text:
        given.append(f"thời hạn ghi “{item.time_text[:120]}” (không tách được số và đơn vị)")
    carried = ""
    if procedure is not None and procedure.current is not None:
        carried = f"; phần còn lại giữ từ phiên bản {procedure.current.version}"
    row["source"] = (
        f"{decision} ({source or 'danh mục công bố'}, dòng {item.line}): "
        f"{', '.join(given)}{carried}"
    )
    row["inferred"] = ""
    return row


def _mark_not_implemented(
    procedure: Procedure, item: AnnouncedRow, decision: str, starts: date, report: ImportReport
) -> None:
    basis = f"{decision}: {'bãi bỏ' if item.status == REPEALED else 'không thực hiện'}"
    if not procedure.implemented and procedure.not_implemented_basis == basis:
        report.unchanged += 1
        return
    procedure.implemented = False
    procedure.not_implemented_from = starts
    procedure.not_implemented_basis = basis
    procedure.save(update_fields=[*_IMPLEMENTATION, "updated_at"])
    report.not_implemented += 1


_IMPLEMENTATION = ["implemented", "not_implemented_from", "not_implemented_basis"]


def apply_announcement(
    table: list[list[str]],
    *,
    province: Province,
    decision: str,
    effective_from: date,
    published_on: date | None = None,
    source: str = "",
    complete: bool = False,
) -> ImportReport:
    """Apply a province's announcement list; see the module docstring. ``complete``: the list is
    the province's whole catalogue, so every implemented procedure it does not name (as new or
    amended) is marked not implemented, with its versions kept."""
    report = ImportReport()
    announced, report.errors = parse(table)
    if not decision:
        report.errors.append(
            RowError(1, "decision", "thiếu số quyết định công bố / decision number required")
        )
    existing = {
        p.code_national: p
        for p in Procedure.objects.filter(
            province=province, code_national__in=[a.code for a in announced]
        ).select_related("current", "current__field")
    }
    merged: list[tuple[AnnouncedRow, dict[str, str]]] = []
    field_names = list(Field.objects.values_list("name", flat=True))
    for item in announced:
        procedure = existing.get(item.code)
        if item.status in (REPEALED, NOT_IMPLEMENTED):
            if procedure is None:
                report.errors.append(
                    RowError(
                        item.line,
                        "Mã TTHC",
                        f"thủ tục {item.code} không có trong danh mục của tỉnh / not in the "
                        "province's catalogue",
                    )
                )
            merged.append((item, {}))
            continue
        row = _merge(item, procedure, decision, source)
        row["field_vi"] = _national_field(row["field_vi"], field_names)
        row["read_on"] = (published_on or effective_from).isoformat()
        checked, errors = check_row(item.line, row)
        report.errors.extend(errors)
        merged.append((item, checked))
    if report.errors:
        return report
    with transaction.atomic():
        fields = _ensure_fields({r["field_vi"] for _, r in merged if r})
        for item, row in merged:
            procedure = existing.get(item.code)
            if not row:
                assert procedure is not None  # checked above
                _mark_not_implemented(procedure, item, decision, effective_from, report)
                continue
            if procedure is not None and procedure.current is not None and _same(procedure, row):
                report.unchanged += 1  # the provenance line alone is not a change of content
                continue
            procedure = _import_one(
                row,
                province=province,
                procedure=procedure,
                fields=fields,
                starts=effective_from,
                report=report,
                publication_decision=decision[:60],
                published_on=published_on,
            )
            if not procedure.implemented:
                procedure.implemented = True
                procedure.not_implemented_from = None
                procedure.not_implemented_basis = ""
                procedure.save(update_fields=[*_IMPLEMENTATION, "updated_at"])
        if complete:
            listed = {item.code for item, row in merged if row}
            report.not_implemented += (
                Procedure.objects.filter(province=province, implemented=True)
                .exclude(code_national__in=listed)
                .update(
                    implemented=False,
                    not_implemented_from=effective_from,
                    not_implemented_basis=f"{decision}: không có trong danh mục của tỉnh"[:300],
                    updated_at=timezone.now(),
                )
            )
    return report


def _national_field(name: str, names: list[str]) -> str:
    """The catalogue's field a province's label names: same words, or the one field whose name
    holds them ("HỘ KINH DOANH" → "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)")."""
    folded = fold(name)
    exact = [n for n in names if fold(n) == folded]
    if exact:
        return exact[0]
    holding = [n for n in names if folded and folded in fold(n)]
    return holding[0] if len(holding) == 1 else name


def _same(procedure: Procedure, row: dict[str, str]) -> bool:
    current = _current_row(procedure)
    ignore = {"source", "read_on", "inferred", "ministry"}
    return all(current[c] == row[c] for c in COLUMNS if c not in ignore)
