from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import ValidationFailed
from motcua.geo.centres import load_centres


class Command(BaseCommand):
    help = (
        "Load commune centres from a CSV file with the columns code,lat,long (national 5-digit "
        "commune code, WGS 84). All rows or none; communes not in the file keep theirs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc}") from None
        try:
            count = load_centres(text)
        except ValidationFailed as exc:
            raise CommandError(exc.message_vi) from None
        self.stdout.write(f"centres={count}")
