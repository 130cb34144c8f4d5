"""R-IDX-09: the 16 criteria of Plan 02-KH/BCĐTW were not found (DOMAIN §10.5). Sixteen editable
placeholders, clearly marked, until a province enters the official text."""

from __future__ import annotations

from typing import Any

from django.db import migrations

PLACEHOLDER = "Tiêu chí {n:02d} — chưa có nội dung chính thức (Kế hoạch 02-KH/BCĐTW, phụ lục)"


def seed(apps: Any, schema_editor: Any) -> None:
    criterion = apps.get_model("insights", "Criterion")
    for n in range(1, 17):
        criterion.objects.get_or_create(
            code=f"TC{n:02d}",
            defaults={
                "order": n,
                "description": PLACEHOLDER.format(n=n),
                "official": False,
                "source": "Chưa có nội dung chính thức",
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("insights", "Criterion").objects.filter(official=False).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_rollups")]
    operations = [migrations.RunPython(seed, unseed)]
