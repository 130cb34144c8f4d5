from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.validation import completeness, format_report
from motcua.geo.models import Province


class Command(BaseCommand):
    help = (
        "Validation report of the catalogue: per field of the format and per ministry, how many "
        "procedures miss a value (or carry an inferred one)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", type=int, default=settings.MOTCUA_PROVINCE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError("Không có tỉnh này.")
        self.stdout.write(format_report(completeness(province)))
