from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.importer import export_csv, export_xlsx
from motcua.geo.models import Province


class Command(BaseCommand):
    help = "Export the current catalogue in the import format (.csv, .xlsx, or - for stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--province", type=int, default=settings.MOTCUA_PROVINCE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError("Không có tỉnh này.")
        path = options["path"]
        if path == "-":
            sys.stdout.write(export_csv(province))
        elif path.endswith(".xlsx"):
            export_xlsx(province, Path(path))
        else:
            Path(path).write_text(export_csv(province), encoding="utf-8")
