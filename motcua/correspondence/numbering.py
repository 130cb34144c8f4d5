"""Numbers at release and arrival numbers (R-DOC-05, R-DOC-06, R-DOC-18).

Per body, per calendar year, per series; from 01 on 1 January. One atomic
``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` (``motcua.core.rawsql.next_number``) inside
the release's transaction: unique under concurrency, and a rolled-back release gives its number
back, so the series has no gap.
"""

from __future__ import annotations

import uuid
from datetime import date

from motcua.core.rawsql import next_number
from motcua.correspondence.models import NumberSeries

TABLE = NumberSeries._meta.db_table


def series_owner(unit_id: uuid.UUID, direction: str, series: str) -> str:
    return f"{unit_id.hex}:{direction}:{series}"


def next_document_number(unit_id: uuid.UUID, year: int, series: str) -> int:
    """The next number of ``series`` of the body in ``year`` (call inside the transaction)."""
    return next_number(TABLE, "owner", series_owner(unit_id, "out", series), date(year, 1, 1))


def next_arrival_number(unit_id: uuid.UUID, year: int) -> int:
    """R-DOC-06: one arrival series per receiving body per year, paper and electronic alike."""
    return next_number(TABLE, "owner", series_owner(unit_id, "in", "arrival"), date(year, 1, 1))


def next_archive_number(unit_id: uuid.UUID, year: int) -> int:
    """R-DOC-20: the archive's register of files handed over, per body per year."""
    return next_number(TABLE, "owner", series_owner(unit_id, "archive", "files"), date(year, 1, 1))
