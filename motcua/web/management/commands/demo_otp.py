from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Print a TOTP code of a demo user that the device will accept now (demo only). A code is "
        "accepted once: if this time step's code was already used, print the next step's (within "
        "the device's tolerance) or wait for a fresh step."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_otp never runs in production.")
        device = TOTPDevice.objects.filter(
            user__username=options["username"], confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{options['username']} has no confirmed TOTP device.")
        while True:
            key = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
            step_now = key.t()
            usable = max(step_now, device.last_t + 1)  # django-otp refuses a replayed step
            if usable <= step_now + device.tolerance:
                key.drift += usable - step_now
                self.stdout.write(f"{key.token():0{device.digits}d}")
                return
            time.sleep(1)
