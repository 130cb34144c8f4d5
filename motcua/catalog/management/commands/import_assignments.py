from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.catalog.assignments import import_assignments
from motcua.core.importing import refuse_on_errors
from motcua.geo.models import Province


class Command(BaseCommand):
    help = "Import the province's assignments: implementing units and boundary-free decisions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--province", type=int, default=settings.MOTCUA_PROVINCE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        province = Province.objects.get(code=options["province"])
        report = import_assignments(
            Path(options["path"]).read_text(encoding="utf-8"), province=province
        )
        refuse_on_errors(report, self.stderr.write)
        self.stdout.write(report.line(["assigned"]))
