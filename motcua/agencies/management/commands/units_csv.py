from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.importer import export_units_csv, import_units_csv
from motcua.core.importing import refuse_on_errors
from motcua.geo.models import Province


class Command(BaseCommand):
    help = "Import or export the units of the province as CSV (all-or-nothing import)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("path", help="CSV file, or - for stdin/stdout")
        parser.add_argument("--province", type=int, default=settings.MOTCUA_PROVINCE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError("Chưa nạp địa giới hành chính; chạy `motcua load_geography` trước.")
        if options["action"] == "export":
            text = export_units_csv(province)
            if options["path"] == "-":
                sys.stdout.write(text)
            else:
                Path(options["path"]).write_text(text, encoding="utf-8")
            return
        source = (
            sys.stdin.read()
            if options["path"] == "-"
            else Path(options["path"]).read_text(encoding="utf-8")
        )
        report = import_units_csv(source, province=province)
        refuse_on_errors(report, self.stderr.write)
        self.stdout.write(report.line(["created", "updated", "unchanged"]))
