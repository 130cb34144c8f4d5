from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.catalog.announcement import apply_announcement, is_announcement, read_table
from motcua.catalog.assignments import assign_defaults
from motcua.catalog.importer import import_procedures, read_rows
from motcua.core.clock import local_today
from motcua.core.importing import refuse_on_errors
from motcua.geo.models import Province

BUNDLED = Path(__file__).resolve().parents[2] / "data" / "procedures.csv"


class Command(BaseCommand):
    help = (
        "Import procedures (CSV or XLSX in the procedures.csv format, or a province's "
        "announcement list with --decision). All-or-nothing; re-importing the same file "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(BUNDLED))
        parser.add_argument("--province", type=int, default=settings.MOTCUA_PROVINCE_CODE)
        parser.add_argument("--effective-from", type=date.fromisoformat, default=None)
        parser.add_argument(
            "--assign-defaults",
            action="store_true",
            help="assign implementing units from level and field (a first draft to correct)",
        )
        parser.add_argument("--boundary-free-basis", default="")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--decision",
            default="",
            help="number of the province's announcement decision (for its list's shape)",
        )
        parser.add_argument("--published-on", type=date.fromisoformat, default=None)
        parser.add_argument(
            "--complete-list",
            action="store_true",
            help="the announcement list is the province's whole catalogue: mark every procedure "
            "it does not list as not implemented",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError("Chưa nạp địa giới hành chính; chạy `motcua load_geography` trước.")
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"Không có tệp {path}")
        table = read_table(path)
        if is_announcement(table):
            self._announcement(table, province, path, options)
            return
        rows = read_rows(path)
        bar = tqdm(total=len(rows), unit="thủ tục", disable=options["no_progress"], leave=False)
        report = import_procedures(
            rows,
            province=province,
            effective_from=options["effective_from"],
            progress=lambda n: bar.update(n - bar.n),
        )
        bar.close()
        refuse_on_errors(report, self.stderr.write)
        if options["assign_defaults"]:
            assign_defaults(province, boundary_free_basis=options["boundary_free_basis"])
        self.stdout.write(report.line(["created", "new_versions", "unchanged", "ministry_set"]))

    def _announcement(
        self, table: list[list[str]], province: Province, path: Path, options: dict[str, Any]
    ) -> None:
        report = apply_announcement(
            table,
            province=province,
            decision=options["decision"],
            effective_from=options["effective_from"] or local_today(),
            published_on=options["published_on"],
            source=path.name,
            complete=options["complete_list"],
        )
        refuse_on_errors(report, self.stderr.write)
        self.stdout.write(report.line(["created", "new_versions", "unchanged", "not_implemented"]))
