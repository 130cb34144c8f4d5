"""``motcua opendata_publish``: run the publication job now, printing its progress."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.opendata import publish
from motcua.opendata.models import PublicationRun


class Command(BaseCommand):
    help = "Publish new versions of the open datasets (unchanged tables are not republished)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", action="append", help="only this dataset (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        def show(run: PublicationRun) -> None:
            self.stdout.write(f"  {run.progress}")

        run = publish.run(progress=show, only=options["dataset"])
        self.stdout.write(
            self.style.SUCCESS(
                f"published {run.published}, unchanged {run.unchanged}, held back {run.skipped}"
            )
        )
