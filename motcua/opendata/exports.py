"""Downloads of a resource version: CSV (UTF-8 with BOM, so spreadsheet programs show the
diacritics), JSON (``{"fields": [...], "records": [...]}``) and XLSX."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook

from motcua.opendata.models import DatastoreRow, ResourceVersion


def rows(version: ResourceVersion) -> Iterator[dict[str, Any]]:
    yield from (
        DatastoreRow.objects.filter(version=version).order_by("n").values_list("data", flat=True)
    ).iterator(chunk_size=2000)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_bytes(version: ResourceVersion) -> bytes:
    ids = [f["id"] for f in version.fields]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ids)
    for row in rows(version):
        writer.writerow([_cell(row.get(i)) for i in ids])
    return ("\ufeff" + out.getvalue()).encode()


def json_bytes(version: ResourceVersion) -> bytes:
    body = {
        "dataset": version.dataset,
        "resource": version.resource,
        "version": version.version,
        "last_modified": version.last_modified.isoformat(),
        "sha256": version.content_hash,
        "fields": version.fields,
        "records": list(rows(version)),
    }
    return json.dumps(body, ensure_ascii=False).encode()


def xlsx_bytes(version: ResourceVersion) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(version.resource[:31])
    ids = [f["id"] for f in version.fields]
    ws.append([f.get("label") or f["id"] for f in version.fields])
    ws.append(ids)
    for row in rows(version):
        ws.append([row.get(i) for i in ids])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
