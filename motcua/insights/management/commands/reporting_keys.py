"""``motcua reporting_keys create|list|revoke``: the keys of the provincial electronic reporting
system (read-only access to the reporting API of this province)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.insights.keys import do_create_key, do_revoke_key
from motcua.insights.models import ReportingClient


class Command(BaseCommand):
    help = "Create, list or revoke API keys of the provincial reporting system (read-only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("name_or_prefix", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action, arg = options["action"], options["name_or_prefix"]
        if action == "create":
            if not arg:
                raise CommandError("create needs the client's name")
            client, key = do_create_key(arg, settings.MOTCUA_PROVINCE_CODE)
            self.stdout.write(f"client={client.pk} prefix={client.prefix}")
            self.stdout.write(f"key={key}")
            self.stdout.write("The key is shown only now; store it in the client's vault.")
            return
        if action == "revoke":
            if not do_revoke_key(arg):
                raise CommandError(f"no active key with prefix {arg!r}")
            self.stdout.write(f"revoked prefix={arg}")
            return
        for c in ReportingClient.objects.all():
            state = "active" if c.active else f"revoked {c.revoked_at:%Y-%m-%d %H:%M}"
            used = f"{c.last_used_at:%Y-%m-%d %H:%M}" if c.last_used_at else "never"
            self.stdout.write(f"{c.prefix}\t{c.name}\tprovince={c.province_id}\t{state}\t{used}")
