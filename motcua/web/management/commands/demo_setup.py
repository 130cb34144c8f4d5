"""Set up the demo: real geography, the demo province's units, one user per role.

Idempotent: running it again refreshes the demo without duplicating anything. Refuses to run in
production mode, because it sets known passwords.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts.demo import DEMO_PASSWORD, PERSONAS, ensure_totp_device, seed_personas
from motcua.accounts.models import Role
from motcua.agencies.demo import seed_province_units
from motcua.geo.loader import load_geography
from motcua.geo.models import Province
from motcua.worktime.calendars import seed_calendar

ADMIN_APPS = ["geo", "agencies", "accounts", "catalog", "worktime"]


class Command(BaseCommand):
    help = "Load real geography and the demo province with one demo user per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=settings.MOTCUA_PUBLIC_URL)
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_setup sets known passwords and never runs in production.")
        if not options["skip_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        counts = load_geography()
        province = Province.objects.get(code=settings.MOTCUA_PROVINCE_CODE)
        units = seed_province_units(province)
        users = seed_personas(province)
        seed_calendar(province)
        admin_perms = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        for user in users:
            if user.role_set() & {Role.PROVINCIAL_ADMIN}:
                user.user_permissions.set(admin_perms)
            if user.needs_second_factor():
                ensure_totp_device(user)
        url = options["url"].rstrip("/")
        out = self.stdout.write
        out(f"Motcua demo: {url}/")
        out(
            f"  {province.name}: {counts.provinces} provinces and {counts.communes} communes "
            f"loaded; {units} units in the demo province"
        )
        out(f"  Officer desk {url}/desk/ · operations centre {url}/ioc/ · API {url}/api/v1/docs")
        out(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for persona in PERSONAS:
            role = dict(Role.choices).get(persona.role or "", "Công dân")
            out(f"    {persona.username:<22} {role:<28} {persona.story}")
        out(
            "  Leaders and admins need a 6-digit TOTP code after the password: "
            "`.venv/bin/motcua demo_otp USERNAME` prints the current one."
        )
