"""`motcua demo_otp` prints a code the device accepts even when this time step's code was
already used (django-otp refuses a replayed step): two leader logins in one 30-second window,
as two browser tests sharing the demo server do, must both pass."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def _code(username: str) -> str:
    out = io.StringIO()
    call_command("demo_otp", username, stdout=out)
    return out.getvalue().strip()


def test_two_logins_in_the_same_time_step_both_get_an_accepted_code(leader_a: User) -> None:
    TOTPDevice.objects.filter(user=leader_a).delete()
    device = TOTPDevice.objects.create(user=leader_a, name="demo", confirmed=True)
    assert device.verify_token(_code(leader_a.username))
    device.refresh_from_db()
    # The first code used up this step: a naive "current code" would now be refused.
    assert device.verify_token(_code(leader_a.username))
