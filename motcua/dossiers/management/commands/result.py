"""``motcua result export CODE OUT.pdf``: write the dossier's signed electronic result.

A stable operator interface. A dossier that has a decision (``result_ready`` or ``returned``) but
no signed result yet (e.g. approved before signing was switched on) gets it issued now, the same
way the approval issues it; the file written is byte-identical to the stored one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import MotcuaError, NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.results import issue_signed_result, signed_result_of


class Command(BaseCommand):
    help = "Signed results: export CODE OUT.pdf."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write the signed result PDF of a dossier.")
        export.add_argument("code")
        export.add_argument("out")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["code"].strip()
        dossier = Dossier.objects.filter(code=code).first()
        if dossier is None:
            raise CommandError(f"Không tìm thấy hồ sơ {code}")
        try:
            try:
                document = signed_result_of(dossier)
            except NotFound:
                document = issue_signed_result(dossier)
        except MotcuaError as exc:
            raise CommandError(exc.message_vi) from exc
        with document.file.open("rb") as handle:
            data = handle.read()
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.stdout.write(f"{out} {len(data)} bytes sha256={document.sha256}")
