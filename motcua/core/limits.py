"""Limits that hold under concurrency (issue #12 item 6).

``client_ip``: the client's address, read correctly behind ``MOTCUA_PROXY_COUNT`` trusted
reverse proxies (each appends the address it saw to X-Forwarded-For, so the client is the
entry that many places from the right; a client cannot spoof it by sending the header itself).
Without a configured proxy the header is ignored. Login lockout (django-axes) uses the same
function.

``take``: count one attempt of a client at a guarded action BEFORE the action runs, with one
atomic ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` (PostgreSQL and SQLite alike), so
eighty concurrent guesses get at most ``limit`` evaluations. ``give_back`` returns an attempt
that succeeded, so a citizen who finds their dossier is never counted against.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest

from motcua.core.models import Attempt


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "MOTCUA_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote  # not through the configured proxies: count the direct peer
    return forwarded[-proxies]


def _key(scope: str, request: HttpRequest) -> str:
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:40]
    return f"{scope}:{digest}"


def _window(seconds: int) -> int:
    now = int(time.time())
    return now - now % seconds


def take(scope: str, request: HttpRequest, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt now; True when it is within ``limit`` for this window."""
    table = connection.ops.quote_name(Attempt._meta.db_table)
    sql = (
        f"INSERT INTO {table} (scope_key, window_start, hits) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (scope_key, window_start) DO UPDATE SET hits = {table}.hits + 1 "
        "RETURNING hits"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [_key(scope, request), _window(window_seconds)])
        row = cursor.fetchone()
    return int(row[0]) <= limit


def give_back(scope: str, request: HttpRequest, *, window_seconds: int) -> None:
    """Return the attempt just taken (the action succeeded)."""
    Attempt.objects.filter(
        scope_key=_key(scope, request), window_start=_window(window_seconds), hits__gt=0
    ).update(hits=F("hits") - 1)
