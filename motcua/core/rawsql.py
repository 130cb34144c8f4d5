"""Raw SQL shared by the apps: UUID parameters, and gap-free day counters (dossier codes per
unit, petition codes per province).

For the counters, one ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` is atomic on PostgreSQL
and SQLite alike, so two writers never get the same number; and the increment commits or rolls
back with the record that uses it, so no number is lost.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import connection


def db_uuid(value: uuid.UUID) -> Any:
    """A UUID as a raw SQL parameter: Django stores it as 32 hex digits on SQLite."""
    return value.hex if connection.vendor == "sqlite" else value


def next_number(table: str, owner_column: str, owner: Any, day: date) -> int:
    """The next number of ``owner`` on ``day`` in ``table`` (columns owner, ``day``, ``last``;
    unique on owner and day). Call inside the transaction that uses the number."""
    if isinstance(owner, uuid.UUID):
        owner = db_uuid(owner)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({owner_column}, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - our own names
            f"ON CONFLICT ({owner_column}, day) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [owner, day],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])
