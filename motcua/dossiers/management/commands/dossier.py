"""``motcua dossier list --state returned --limit N``: one dossier code per line.

A stable operator interface (external checks read it): codes only, newest first, nothing else
on stdout.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State


class Command(BaseCommand):
    help = "Dossier operations: list."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Print dossier codes, one per line, newest first.")
        listing.add_argument("--state", choices=[s.value for s in State], default=None)
        listing.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "list":  # pragma: no cover - argparse enforces the choice
            raise CommandError("Unknown action")
        limit = options["limit"]
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        qs = Dossier.objects.exclude(code__isnull=True)
        if options["state"]:
            qs = qs.filter(state=options["state"])
        order = ["-returned_at", "-code"] if options["state"] == State.RETURNED else ["-updated_at"]
        for code in qs.order_by(*order).values_list("code", flat=True)[:limit]:
            self.stdout.write(str(code))
