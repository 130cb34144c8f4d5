"""Machine keys of the reporting API (issue #8 item 4): the provincial electronic reporting
system authenticates with ``Authorization: Bearer mcr_<prefix>_<secret>``.

The key has 256 random bits, so one SHA-256 is the right way to store it (a slow password hash
only matters for guessable secrets); the row is found by its public prefix and the hash compared
in constant time. A revoked key, a key of another province or a wrong secret authenticate
nobody. Keys only read: every write of the API stays behind the officer's session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from motcua.core.actions import action
from motcua.core.clock import now
from motcua.insights.models import ReportingClient

PREFIX = "mcr"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@action
def do_create_key(name: str, province_id: int) -> tuple[ReportingClient, str]:
    """A new client and its plain key (returned once, never stored)."""
    prefix = secrets.token_hex(6)
    key = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    client = ReportingClient.objects.create(
        name=name.strip()[:200],
        province_id=province_id,
        prefix=prefix,
        key_hash=_digest(key),
        created_at=now(),
    )
    return client, key


@action
def do_revoke_key(prefix: str) -> bool:
    return bool(
        ReportingClient.objects.filter(prefix=prefix, revoked_at__isnull=True).update(
            revoked_at=now()
        )
    )


def client_for(key: str) -> ReportingClient | None:
    """The active client of this site's province holding ``key``, else None."""
    parts = key.split("_", 2)  # mcr_<prefix>_<secret>; the secret may contain "_"
    if len(parts) != 3 or parts[0] != PREFIX or not parts[2]:
        return None
    client = ReportingClient.objects.filter(
        prefix=parts[1], revoked_at__isnull=True, province_id=settings.MOTCUA_PROVINCE_CODE
    ).first()
    if client is None or not hmac.compare_digest(client.key_hash, _digest(key)):
        return None
    moment = now()
    if client.last_used_at is None or moment - client.last_used_at > timedelta(minutes=5):
        ReportingClient.objects.filter(pk=client.pk).update(last_used_at=moment)
    return client


class ReportingKey(HttpBearer):
    """ninja security: a reporting client's bearer key (read-only endpoints only)."""

    def authenticate(self, request: HttpRequest, token: str) -> ReportingClient | None:
        return client_for(token)
