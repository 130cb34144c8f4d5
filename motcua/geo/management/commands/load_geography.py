from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.geo.loader import load_geography


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 commune-level units in force since 1/7/2025."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_geography()
        self.stdout.write(f"provinces={counts.provinces} communes={counts.communes}")
