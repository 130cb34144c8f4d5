"""``motcua check_integrity``: check codes, sequences, trails, outbox and signatures; exit
non-zero with one line per finding when something is wrong (motcua/web/integrity.py,
docs/operations.md "Backup drill and integrity check")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.web.integrity import CHECKS, summary


class Command(BaseCommand):
    help = (
        "Check the database's integrity: dossier codes, code sequences, audit trails, outbox, "
        "signed documents. Read-only; exits with status 1 and a report when a check fails."
    )
    # No system checks (they would load every view's PDF and signing libraries); pyHanko loads
    # only for the signatures check.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            choices=sorted(CHECKS),
            help="run only this check (repeatable); default: all",
        )
        parser.add_argument(
            "--max-findings", type=int, default=1000, help="stop listing a check after this many"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["only"] or list(CHECKS)
        counts = summary()
        self.stdout.write("checked: " + " ".join(f"{k}={v}" for k, v in counts.items()))
        failed: dict[str, int] = {}
        for name in names:
            found = 0
            for finding in CHECKS[name]():
                found += 1
                if found <= options["max_findings"]:
                    self.stdout.write(str(finding))
            if found > options["max_findings"]:
                self.stdout.write(f"[{name}] … {found - options['max_findings']} more")
            self.stdout.write(f"{name}: {'OK' if not found else f'{found} finding(s)'}")
            if found:
                failed[name] = found
        if failed:
            listed = ", ".join(f"{k} ({v})" for k, v in failed.items())
            raise CommandError(
                f"Kiểm tra toàn vẹn không đạt: {listed} / Integrity check failed: {listed}"
            )
        self.stdout.write(self.style.SUCCESS(f"integrity OK ({', '.join(names)})"))
