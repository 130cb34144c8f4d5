"""``motcua rollups rebuild``: recompute the indicator facts and counters from the dossiers and
their events (after a formula change, a restore, or to check the incremental counters).
``motcua rollups check`` rebuilds inside a transaction it rolls back, and reports differences."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from motcua.insights.formulas import FORMULA_VERSION
from motcua.insights.rollups import rebuild, snapshot


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Rebuild (or check) the Decision 766 indicator rollups from the dossier events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("--chunk", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(done: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            sys.stderr.write(f"\r  {done:,} hồ sơ ({rate:,.0f}/s)")
            sys.stderr.flush()

        if options["action"] == "rebuild":
            count = rebuild(progress=progress, chunk=options["chunk"])
            sys.stderr.write("\n")
            self.stdout.write(
                f"rebuilt facts={count} formula={FORMULA_VERSION} "
                f"seconds={time.perf_counter() - started:.1f}"
            )
            return
        before = snapshot()
        after = None
        try:
            with transaction.atomic():
                rebuild(progress=progress, chunk=options["chunk"])
                after = snapshot()
                raise _Rollback
        except _Rollback:
            pass
        sys.stderr.write("\n")
        assert after is not None
        differences = before.differences(after)
        self.stdout.write(f"checked differences={differences}")
        if differences:
            raise CommandError(f"{differences} counters differ from a rebuild")
