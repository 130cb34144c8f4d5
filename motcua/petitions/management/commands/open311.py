"""``motcua open311 key APP_NAME`` issues an Open311 API key (printed as the last line),
``motcua open311 revoke APP_NAME`` revokes every key of the app, ``motcua open311 list``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import ValidationFailed
from motcua.petitions.models import Open311Client
from motcua.petitions.open311.keys import do_issue_key, do_revoke_keys


class Command(BaseCommand):
    help = "Issue, revoke or list the API keys of apps that file reports through Open311."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["key", "revoke", "list"])
        parser.add_argument("app_name", nargs="?", default="")
        parser.add_argument(
            "--channel",
            choices=["open311", "hotline"],
            default="open311",
            help="what the key's reports are recorded as (hotline: the 1022 hotline system)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action, name = options["action"], options["app_name"]
        if action == "list":
            for c in Open311Client.objects.all():
                state = "active" if c.active else f"revoked {c.revoked_at:%Y-%m-%d %H:%M}"
                self.stdout.write(f"{c.prefix}\t{c.name}\t{c.channel}\t{state}")
            return
        if not name:
            raise CommandError(f"{action} needs the app's name")
        if action == "revoke":
            count = do_revoke_keys(name)
            if not count:
                raise CommandError(f"no active key for {name!r}")
            self.stdout.write(f"revoked {count} key(s) of {name}")
            return
        try:
            client, key = do_issue_key(name, channel=options["channel"])
        except ValidationFailed as exc:
            raise CommandError(exc.message_en) from exc
        self.stdout.write(f"app={client.name} prefix={client.prefix}")
        self.stdout.write("The key is shown only now; give it to the app's operator.")
        self.stdout.write(key)
