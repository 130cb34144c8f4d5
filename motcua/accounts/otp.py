"""A fresh second factor for a deliberate act (the leader's signature, issue #14 item 1): a
TOTP code of the user's confirmed device, accepted once (django-otp refuses a replayed step and
throttles wrong codes)."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User


def verify_fresh_code(user: User, token: str) -> bool:
    token = (token or "").strip()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not token.isdigit():
        return False
    allowed, _why = device.verify_is_allowed()
    return bool(allowed and device.verify_token(token))
