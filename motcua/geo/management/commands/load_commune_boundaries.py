from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import ValidationFailed
from motcua.geo.boundaries import DEFAULT_PROPERTY, load_boundaries, read_file


class Command(BaseCommand):
    help = (
        "Load commune boundaries from a GeoJSON FeatureCollection (.geojson or .geojson.gz; WGS 84 "
        "Polygons or MultiPolygons; the national 5-digit 2025 commune code in a property). All "
        "features or none; communes not in the file keep theirs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--property",
            default=DEFAULT_PROPERTY,
            help=f"the feature property holding the commune code (default {DEFAULT_PROPERTY})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            text = read_file(path)
        except (OSError, UnicodeDecodeError, EOFError) as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc}") from None
        try:
            count = load_boundaries(text, prop=options["property"])
        except ValidationFailed as exc:
            raise CommandError(exc.message_vi) from None
        self.stdout.write(f"boundaries={count}")
