"""CSV import and export of units, with a row-by-row Vietnamese error report.

The import is all-or-nothing: every row is checked first; if any row is wrong the report lists
every problem (row number as a spreadsheet shows it, column, message) and nothing is written.
Re-importing the same file changes nothing (rows are matched by their e-ID code).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date
from typing import Any

from django.db import transaction

from motcua.agencies.codes import CodeError, parse_agency_code
from motcua.agencies.models import Unit, UnitKind
from motcua.core.importing import ImportReport, RowError
from motcua.core.text import fold, nfc
from motcua.geo.models import Commune, Province

COLUMNS = [
    "eid_code",
    "name",
    "short_name",
    "kind",
    "parent_eid_code",
    "commune_code",
    "address",
    "phone",
    "email",
    "valid_from",
    "valid_to",
]
REQUIRED = ("eid_code", "name", "kind")


def parsed_code(text: str) -> tuple[str, str, dict[str, Any]]:
    """Return (canonical code, format, parsed structure) or raise CodeError (R-ID-01)."""
    code = parse_agency_code(text)
    # JSON round trip: the stored structure must compare equal to a freshly parsed one.
    parsed: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(code)))
    return str(code), str(code.format), parsed


def _parse_date(value: str) -> date:
    for sep in ("/", "-"):
        if sep in value:
            parts = value.split(sep)
            if len(parts) == 3:
                if len(parts[0]) == 4:
                    return date(int(parts[0]), int(parts[1]), int(parts[2]))
                return date(int(parts[2]), int(parts[1]), int(parts[0]))
    raise ValueError(value)


def import_units_csv(text: str, *, province: Province) -> ImportReport:
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        report.errors.append(
            RowError(1, ", ".join(missing), "thiếu cột bắt buộc / required column missing")
        )
        return report
    rows: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(reader, start=2):
        row = {k: nfc(v or "") for k, v in raw.items() if k}
        clean, errors = _check_row(index, row, seen)
        report.errors.extend(errors)
        if not errors:
            rows.append((index, clean))
    known = set(Unit.objects.values_list("eid_code", flat=True)) | set(seen)
    for index, clean in rows:
        parent = clean.get("parent_eid_code")
        if parent and parent not in known:
            report.errors.append(
                RowError(
                    index,
                    "parent_eid_code",
                    f"không có đơn vị cha mã “{parent}” / no parent unit with code {parent}",
                )
            )
    if report.errors:
        return report
    with transaction.atomic():
        _write(rows, province, report)
    return report


def _check_row(
    index: int, row: dict[str, str], seen: dict[str, int]
) -> tuple[dict[str, Any], list[RowError]]:
    errors: list[RowError] = []
    clean: dict[str, Any] = {"kind": row.get("kind", "")}
    for column in REQUIRED:
        if not row.get(column):
            errors.append(RowError(index, column, "không được để trống / must not be empty"))
    for check in (_check_codes, _check_kind, _check_commune, _check_dates):
        check(index, row, clean, errors, seen)
    if row.get("email") and "@" not in row["email"]:
        errors.append(RowError(index, "email", "thư điện tử không hợp lệ / invalid e-mail"))
    for column in ("name", "short_name", "address", "phone", "email"):
        clean[column] = row.get(column, "")
    if len(clean["name"]) > 255:
        errors.append(RowError(index, "name", "tên dài quá 255 ký tự / name too long"))
    return clean, errors


def _check_codes(
    index: int,
    row: dict[str, str],
    clean: dict[str, Any],
    errors: list[RowError],
    seen: dict[str, int],
) -> None:
    if row.get("eid_code"):
        try:
            clean["eid_code"], clean["eid_format"], clean["eid_parsed"] = parsed_code(
                row["eid_code"]
            )
        except CodeError as exc:
            errors.append(RowError(index, "eid_code", str(exc)))
        else:
            first = seen.setdefault(clean["eid_code"], index)
            if first != index:
                errors.append(
                    RowError(index, "eid_code", f"trùng với dòng {first} / duplicates row {first}")
                )
    if row.get("parent_eid_code"):
        try:
            clean["parent_eid_code"] = parsed_code(row["parent_eid_code"])[0]
        except CodeError as exc:
            errors.append(RowError(index, "parent_eid_code", str(exc)))


def _check_kind(
    index: int,
    row: dict[str, str],
    clean: dict[str, Any],
    errors: list[RowError],
    seen: dict[str, int],
) -> None:
    kind = row.get("kind", "")
    if kind and kind not in UnitKind.values:
        errors.append(
            RowError(
                index,
                "kind",
                f"loại đơn vị “{kind}” không hợp lệ; dùng một trong: {', '.join(UnitKind.values)}"
                f" / unknown unit kind",
            )
        )


def _check_commune(
    index: int,
    row: dict[str, str],
    clean: dict[str, Any],
    errors: list[RowError],
    seen: dict[str, int],
) -> None:
    code = row.get("commune_code", "")
    if not code:
        return
    if code.isdigit() and Commune.objects.filter(code=int(code)).exists():
        clean["commune_id"] = int(code)
        return
    errors.append(
        RowError(index, "commune_code", f"không có xã, phường mã “{code}” / unknown commune code")
    )


def _check_dates(
    index: int,
    row: dict[str, str],
    clean: dict[str, Any],
    errors: list[RowError],
    seen: dict[str, int],
) -> None:
    for column in ("valid_from", "valid_to"):
        if row.get(column):
            try:
                clean[column] = _parse_date(row[column])
            except ValueError:
                errors.append(
                    RowError(
                        index,
                        column,
                        f"ngày “{row[column]}” không hợp lệ; viết dd/mm/yyyy / invalid date",
                    )
                )


def _write(
    rows: list[tuple[int, dict[str, Any]]], province: Province, report: ImportReport
) -> None:
    by_code = {
        u.eid_code: u for u in Unit.objects.filter(eid_code__in=[r["eid_code"] for _, r in rows])
    }
    # Parents may appear later in the file: create/update every unit first, then link parents.
    for _, row in rows:
        values = {
            "province": province,
            "commune_id": row.get("commune_id"),
            "kind": row["kind"],
            "name": row["name"],
            "short_name": row["short_name"],
            "name_folded": fold(row["name"]),
            "eid_format": row["eid_format"],
            "eid_parsed": row["eid_parsed"],
            "address": row["address"],
            "phone": row["phone"],
            "email": row["email"],
            "valid_from": row.get("valid_from"),
            "valid_to": row.get("valid_to"),
        }
        unit = by_code.get(row["eid_code"])
        if unit is None:
            by_code[row["eid_code"]] = Unit.objects.create(eid_code=row["eid_code"], **values)
            report.created += 1
            continue
        changed = [k for k, v in values.items() if _field_value(unit, k) != _comparable(v)]
        if changed:
            for key in changed:
                setattr(unit, key, values[key])
            unit.save()
            report.updated += 1
        else:
            report.unchanged += 1
    for _, row in rows:
        unit = by_code[row["eid_code"]]
        parent_code = row.get("parent_eid_code")
        parent = by_code.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            parent = Unit.objects.get(eid_code=parent_code)
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            unit.save(update_fields=["parent", "updated_at"])


def _field_value(unit: Unit, key: str) -> Any:
    if key == "province":
        return unit.province_id
    return getattr(unit, key)


def _comparable(value: Any) -> Any:
    if isinstance(value, Province):
        return value.pk
    return value


def export_units_csv(province: Province) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    units = Unit.objects.filter(province=province).select_related("parent").order_by("eid_code")
    for unit in units:
        writer.writerow(
            [
                unit.eid_code,
                unit.name,
                unit.short_name,
                unit.kind,
                unit.parent.eid_code if unit.parent else "",
                unit.commune_id or "",
                unit.address,
                unit.phone,
                unit.email,
                unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "",
                unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "",
            ]
        )
    return out.getvalue()
