"""Import and export of the catalogue (``shared/data/procedures.csv`` format, CSV or XLSX).

All-or-nothing: every row is checked first and every problem is reported with its row (as a
spreadsheet numbers it) and column, in Vietnamese; if there is any, nothing is written.
Idempotent: a row whose content equals the procedure's current version changes nothing; a row
that differs closes the current version and opens the next one (R-VER-01), so dossiers filed
under the old version keep it (R-VER-02).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from motcua.catalog.codes import ProcedureCode
from motcua.catalog.components import classify, split_items
from motcua.catalog.curated import apply_curated_checklists
from motcua.catalog.declaration import apply_declarations
from motcua.catalog.fees import RULES_BY_PROCEDURE, guess_rule_from_text
from motcua.catalog.models import (
    CompetentLevel,
    Component,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    TimeUnit,
)
from motcua.core.clock import local_today
from motcua.core.importing import ImportReport, RowError
from motcua.core.text import fold, nfc
from motcua.geo.models import Province

BASE_COLUMNS = [
    "code",
    "name_vi",
    "field_vi",
    "competent_level",
    "time_limit_value",
    "time_limit_unit",
    "same_day_cutoff_1500",
    "fee_text",
    "online_level",
    "documents_vi",
    "legal_basis",
    "source",
]
# Issue #19: the ministry responsible for the field, the columns whose value was inferred rather
# than read (``;``-separated), and the date the source was read. Files without them still import.
COLUMNS = [*BASE_COLUMNS, "ministry", "inferred", "read_on"]
REQUIRED = ("code", "name_vi", "field_vi", "competent_level", "time_limit_unit")
# The seed's levels → R-DEC-01 level and the body type it names.
LEVELS = {
    "commune": (CompetentLevel.COMMUNE, "UBND cấp xã"),
    "commune_police": (CompetentLevel.COMMUNE, "Công an cấp xã"),
    "province": (CompetentLevel.PROVINCIAL, "Cấp tỉnh"),
    "other": (CompetentLevel.VERTICAL, "Cơ quan khác"),
}
# The date the two-level government started: the seed's versions are in force from then.
SEED_EFFECTIVE_FROM = date(2025, 7, 1)


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file, keyed by header."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # noqa: PLC0415 - openpyxl loads when a spreadsheet is read

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        if not values:
            return []
        header = [h.strip() for h in values[0]]
        return [dict(zip(header, row, strict=False)) for row in values[1:]]
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _content_hash(row: dict[str, str]) -> str:
    """Hash of the row's meaning, so that an exported then re-imported file changes nothing."""
    normal = dict(row)
    normal["same_day_cutoff_1500"] = "yes" if row["same_day_cutoff_1500"] == "yes" else ""
    value = row["time_limit_value"].replace(",", ".")
    normal["time_limit_value"] = _plain(Decimal(value)) if value else ""
    normal["documents_vi"] = " | ".join(split_items(row["documents_vi"]))
    values = [normal.get(c, "") for c in BASE_COLUMNS]
    if _split(row.get("inferred", "")):  # hashed only when present: older files keep their hash
        values.append(";".join(_split(row["inferred"])))
    payload = json.dumps(values, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def check_row(index: int, raw: dict[str, Any]) -> tuple[dict[str, str], list[RowError]]:
    row = {c: nfc(str(raw.get(c) or "")) for c in COLUMNS}
    errors: list[RowError] = []

    def err(column: str, vi: str, en: str) -> None:
        errors.append(RowError(index, column, f"{vi} / {en}"))

    for column in REQUIRED:
        if not row[column]:
            err(column, "không được để trống", "must not be empty")
    if row["code"]:
        try:
            row["code"] = str(ProcedureCode.parse(row["code"]).national)
        except ValueError:
            err(
                "code",
                f"mã thủ tục “{row['code']}” không đúng dạng d.nnnnnn (ví dụ 1.001193)",
                "procedure code must look like 1.001193",
            )
    if row["competent_level"] and row["competent_level"] not in LEVELS:
        err(
            "competent_level",
            f"cấp thực hiện “{row['competent_level']}” không hợp lệ; dùng: {', '.join(LEVELS)}",
            "unknown competent level",
        )
    _check_time(row, err)
    if row["online_level"] and row["online_level"] not in OnlineLevel.values:
        err(
            "online_level",
            f"mức độ trực tuyến “{row['online_level']}” không hợp lệ; dùng: "
            f"{', '.join(OnlineLevel.values)}",
            "unknown online level",
        )
    unknown = [c for c in _split(row["inferred"]) if c not in COLUMNS]
    if unknown:
        err(
            "inferred",
            f"cột không có trong định dạng: {', '.join(unknown)}",
            "names a column that is not in the format",
        )
    if row["read_on"]:
        try:
            date.fromisoformat(row["read_on"])
        except ValueError:
            err("read_on", "ngày đọc nguồn phải có dạng YYYY-MM-DD", "date must be YYYY-MM-DD")
    if len(row["ministry"]) > 120:
        err("ministry", "tên bộ, ngành dài quá 120 ký tự", "ministry name too long")
    if len(row["name_vi"]) > 2000:
        err("name_vi", "tên thủ tục dài quá 2.000 ký tự", "name too long")
    return row, errors


def _split(inferred: str) -> list[str]:
    return [c.strip() for c in inferred.split(";") if c.strip()]


def _check_time(row: dict[str, str], err: Callable[[str, str, str], None]) -> None:
    unit = row["time_limit_unit"]
    if unit and unit not in TimeUnit.values:
        err(
            "time_limit_unit",
            f"đơn vị thời hạn “{unit}” không hợp lệ; dùng: {', '.join(TimeUnit.values)}",
            "unknown time-limit unit",
        )
    value = row["time_limit_value"]
    if value:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            number = Decimal(-1)
        if number < 0 or (number * 2) % 1 != 0 or number > 9999:
            err(
                "time_limit_value",
                f"thời hạn “{value}” phải là số không âm, theo bước 0,5 (R-TIME-02)",
                "time limit must be a non-negative number in steps of 0.5",
            )
    elif unit and unit not in (TimeUnit.UNKNOWN, TimeUnit.SAME_DAY):
        err(
            "time_limit_value",
            "thiếu thời hạn giải quyết cho đơn vị đã chọn",
            "a value is required for this unit",
        )
    if row["same_day_cutoff_1500"] not in ("", "yes", "no"):
        err("same_day_cutoff_1500", "chỉ nhận “yes”, “no” hoặc để trống", "yes, no or empty")


def import_procedures(
    rows: Iterable[dict[str, Any]],
    *,
    province: Province,
    effective_from: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    checked: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=2):
        row, errors = check_row(index, raw)
        if row["code"] in seen and not errors:
            errors.append(
                RowError(
                    index,
                    "code",
                    f"trùng mã với dòng {seen[row['code']]} / duplicates row {seen[row['code']]}",
                )
            )
        seen.setdefault(row["code"], index)
        report.errors.extend(errors)
        checked.append(row)
    if report.errors:
        return report
    starts = effective_from or local_today()
    with transaction.atomic():
        fields = _ensure_fields({r["field_vi"] for r in checked})
        existing = {
            p.code_national: p
            for p in Procedure.objects.filter(province=province).select_related("current")
        }
        for done, row in enumerate(checked, start=1):
            _import_one(
                row,
                province=province,
                procedure=existing.get(row["code"]),
                fields=fields,
                starts=starts,
                report=report,
            )
            if progress is not None:
                progress(done)
        apply_curated_checklists(province)
        apply_declarations(province.pk)
    return report


def _ensure_fields(names: set[str]) -> dict[str, Field]:
    known = {f.name: f for f in Field.objects.filter(name__in=names)}
    for name in sorted(names - set(known)):
        base = slugify(fold(name))[:110] or "linh-vuc"
        slug, n = base, 1
        while Field.objects.filter(code=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        known[name] = Field.objects.create(code=slug, name=name, name_folded=fold(name))
    return known


def _import_one(
    row: dict[str, str],
    *,
    province: Province,
    procedure: Procedure | None,
    fields: dict[str, Field],
    starts: date,
    report: ImportReport,
    publication_decision: str = "",
    published_on: date | None = None,
) -> Procedure:
    digest = _content_hash(row)
    if procedure is not None and row["ministry"] and procedure.ministry != row["ministry"]:
        # Identity metadata of the procedure, not content of a version.
        procedure.ministry = row["ministry"]
        procedure.save(update_fields=["ministry", "updated_at"])
        report.ministry_set += 1
    if procedure is not None and procedure.current and procedure.current.content_hash == digest:
        report.unchanged += 1
        return procedure
    if procedure is None:
        procedure = Procedure.objects.create(
            province=province, code_national=row["code"], ministry=row["ministry"]
        )
        number, report.created = 1, report.created + 1
    else:
        previous = procedure.current
        number = (previous.version + 1) if previous else 1
        if previous is not None:
            previous.effective_to = starts
            previous.save(update_fields=["effective_to", "updated_at"])
        report.new_versions += 1
    level, body = LEVELS[row["competent_level"]]
    code = row["code"]
    rule = RULES_BY_PROCEDURE.get(code) or guess_rule_from_text(row["fee_text"])
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        version=number,
        effective_from=starts,
        name=row["name_vi"],
        name_folded=fold(row["name_vi"]),
        field=fields[row["field_vi"]],
        competent_level=level,
        competent_body_type=body,
        online_level=row["online_level"] or OnlineLevel.UNKNOWN,
        channels=["counter", "online", "postal"],
        time_limit_value=(
            Decimal(row["time_limit_value"].replace(",", ".")) if row["time_limit_value"] else None
        ),
        time_limit_unit=row["time_limit_unit"],
        cutoff_1500=row["same_day_cutoff_1500"] == "yes",
        fee_text=row["fee_text"],
        fee_rules=[rule.to_dict()] if rule else [],
        legal_basis=row["legal_basis"],
        source=row["source"],
        inferred_fields=_split(row["inferred"]),
        read_on=date.fromisoformat(row["read_on"]) if row["read_on"] else None,
        content_hash=digest,
        publication_decision=publication_decision,
        published_on=published_on,
    )
    Component.objects.bulk_create(
        [
            Component(
                version=version,
                order=order,
                name=parsed.name,
                requirement=parsed.requirement,
                conditional=parsed.conditional,
                is_note=parsed.is_note,
                replaceable_by=parsed.replaceable_by,
                form_template=parsed.form_template[:200],
            )
            for order, parsed in enumerate(map(classify, split_items(row["documents_vi"])), 1)
        ]
    )
    procedure.current = version
    procedure.save(update_fields=["current", "updated_at"])
    return procedure


def export_rows(province: Province) -> Iterator[list[str]]:
    yield COLUMNS
    versions = (
        ProcedureVersion.objects.filter(
            procedure__province=province, procedure__current_id__isnull=False
        )
        .filter(pk__in=Procedure.objects.filter(province=province).values("current_id"))
        .select_related("procedure", "field")
        .prefetch_related("components")
        .order_by("procedure__code_national")
    )
    level_back = {
        "UBND cấp xã": "commune",
        "Công an cấp xã": "commune_police",
        "Cấp tỉnh": "province",
    }
    for v in versions:
        yield [
            v.procedure.code_national,
            v.name,
            v.field.name,
            level_back.get(v.competent_body_type, "other"),
            "" if v.time_limit_value is None else _plain(v.time_limit_value),
            v.time_limit_unit,
            "yes" if v.cutoff_1500 else "",
            v.fee_text,
            v.online_level,
            " | ".join(c.name for c in v.components.all() if not c.curated),
            v.legal_basis,
            v.source,
            v.procedure.ministry,
            ";".join(v.inferred_fields),
            v.read_on.isoformat() if v.read_on else "",
        ]


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value % 1 else str(int(value))


def export_csv(province: Province) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(export_rows(province))
    return out.getvalue()


def export_xlsx(province: Province, path: Path) -> None:
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl loads when a spreadsheet is written
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet("procedures")

    def text(value: str) -> WriteOnlyCell:
        # A published text that starts with "=" (a bullet in 2.001292's documents) is text, not
        # a formula: the sheet must give back what was written.
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        return cell

    for row in export_rows(province):
        sheet.append([text(v) for v in row])
    book.save(path)
