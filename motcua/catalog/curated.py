"""Curated checklists: for the procedures a counter handles every day, the documents the law
lists (with their article), instead of the published running text.

The published items stay, marked as notes (guidance); the curated items become the checklist.
Idempotent: a version that already has its curated items is left alone (dossiers point at
those items); ``force=True`` replaces them after the CSV changed.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from motcua.catalog.intake import touch_version
from motcua.catalog.models import Component, Procedure
from motcua.geo.models import Province

CURATED = Path(__file__).resolve().parent / "data" / "curated_checklists.csv"


@transaction.atomic
def apply_curated_checklists(
    province: Province, path: Path = CURATED, *, force: bool = False
) -> int:
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    by_code: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    applied = 0
    for procedure in Procedure.objects.filter(
        province=province, code_national__in=list(by_code)
    ).select_related("current"):
        version = procedure.current
        if version is None:
            continue
        if version.components.filter(curated=True).exists():
            if not force:
                continue
            version.components.filter(curated=True).delete()
        version.components.update(is_note=True)
        start = 1000  # after the published items, which keep their order as notes
        Component.objects.bulk_create(
            [
                Component(
                    version=version,
                    order=start + int(row["order"]),
                    name=row["name"],
                    requirement=row["requirement"],
                    quantity=int(row["quantity"]),
                    conditional=row["conditional"] == "yes",
                    replaceable_by=row["replaceable_by"],
                    curated=True,
                    legal_basis=row["legal_basis"],
                )
                for row in by_code[procedure.code_national]
            ]
        )
        touch_version(version.pk)  # the counter's per-process checklist cache reloads it
        applied += 1
    return applied
