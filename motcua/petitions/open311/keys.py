"""API keys of the apps that file reports through Open311: ``o311_<prefix>_<secret>``.

The key has 256 random bits, so one SHA-256 is the right way to store it (a slow password hash
matters only for guessable secrets); the row is found by its public prefix and the hash compared
in constant time. A revoked key authenticates nobody. The plain key is shown once, when issued.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from pathlib import Path

from motcua.core.actions import action
from motcua.core.clock import now
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.petitions.models import Open311Client

PREFIX = "o311"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@action
def do_issue_key(name: str, *, channel: str = "open311") -> tuple[Open311Client, str]:
    """A new key for the app ``name``: the row and the plain key (returned once, never stored).
    ``channel`` is what its reports are recorded as: ``open311`` (an app) or ``hotline`` (the
    1022 hotline system pushing its calls)."""
    return write_issued_key(name, channel=channel)


def write_issued_key(name: str, *, channel: str = "open311") -> tuple[Open311Client, str]:
    """``do_issue_key``'s writes in the caller's transaction (Django admin's add form saves in
    a transaction of its own)."""
    name = nfc(name)[:120]
    if not name:
        raise ValidationFailed("Hãy nhập tên ứng dụng.", "Enter the app's name.", field="name")
    if channel not in {"open311", "hotline"}:
        raise ValidationFailed(
            "Kênh tiếp nhận phải là open311 hoặc hotline.",
            "The channel must be open311 or hotline.",
            field="channel",
        )
    prefix = secrets.token_hex(6)
    key = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    client = Open311Client.objects.create(
        name=name, prefix=prefix, key_hash=digest(key), created_at=now(), channel=channel
    )
    return client, key


def ensure_key_file(name: str, path: Path, *, channel: str = "hotline") -> bool:
    """Make ``path`` hold an active key of the app ``name`` (the demo hands the simulated 1022
    hotline its key this way; the key is generated here, never kept in the repository). An
    existing valid key is kept; otherwise a new one is issued and written, readable by the
    owner only. True when a key was issued."""
    if path.exists() and client_for(path.read_text(encoding="utf-8").strip()) is not None:
        return False
    _client, key = do_issue_key(name, channel=channel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return True


@action
def do_revoke_keys(name: str) -> int:
    """Revoke every active key of the app ``name``; how many were revoked."""
    return Open311Client.objects.filter(name=nfc(name), revoked_at__isnull=True).update(
        revoked_at=now()
    )


def client_for(key: str) -> Open311Client | None:
    """The active app holding ``key``, else None."""
    parts = key.strip().split("_", 2)  # o311_<prefix>_<secret>; the secret may contain "_"
    if len(parts) != 3 or parts[0] != PREFIX or not parts[2]:
        return None
    client = Open311Client.objects.filter(prefix=parts[1], revoked_at__isnull=True).first()
    if client is None or not hmac.compare_digest(client.key_hash, digest(key.strip())):
        return None
    moment = now()
    if client.last_used_at is None or moment - client.last_used_at > timedelta(minutes=5):
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=moment)
    return client
