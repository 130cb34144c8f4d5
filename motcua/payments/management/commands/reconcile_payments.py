"""``motcua reconcile_payments [--day YYYY-MM-DD]``: reconcile one day (default: yesterday)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.clock import local_today
from motcua.payments.jobs import reconcile_day
from motcua.payments.platform import PaymentPlatformError


class Command(BaseCommand):
    help = "Match the payment platform's day report to payment orders and flag differences."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["day"] or local_today() - timedelta(days=1)
        try:
            run = reconcile_day(day)
        except PaymentPlatformError as exc:
            raise CommandError(exc.message_vi) from exc
        self.stdout.write(
            f"{day.isoformat()} reported={run.reported} matched={run.matched} "
            f"flagged={run.flagged} total_paid={run.reported_total_paid}"
        )
        for issue in run.issues.all():
            self.stdout.write(
                f"  {issue.kind} {issue.reference} {issue.expected} → {issue.reported}"
            )
