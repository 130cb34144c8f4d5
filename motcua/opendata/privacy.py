"""Privacy by construction (R-PDP-04 minimisation; Law 91/2025 Art. 7 forbids disclosing
personal data): only aggregates leave the platform, and a small count that could single out a
person is suppressed. Pure: plain values in and out.

The rule (docs/opendata.md "Small counts"): in every published table, a cell that counts people
or their dossiers, petitions or ratings (a field marked ``count``) and holds a value from 1 to
``threshold - 1`` is published empty (null) and the row says ``suppressed = true``. Zero is
published (it singles out nobody). A ratio is computed only from published counts, so a
suppressed count never comes back as a percentage. The threshold is the setting
``MOTCUA_OPENDATA_MIN_COUNT`` (default 5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DEFAULT_THRESHOLD = 5

#: What a personal identifier looks like in Vietnam (R-ID-15: 12-digit personal ID, 9-digit
#: legacy ID; mobile numbers; e-mail addresses of people). Used by the tests on every resource.
PERSONAL_PATTERNS: dict[str, re.Pattern[str]] = {
    "personal_id": re.compile(r"(?<!\d)\d{12}(?!\d)"),
    "legacy_id": re.compile(r"(?<![\d.])\d{9}(?![\d.])"),
    "mobile": re.compile(r"(?<!\d)(?:\+?84|0)(?:3|5|7|8|9)\d{8}(?!\d)"),
}


def suppress(
    row: dict[str, Any], count_fields: Iterable[str], threshold: int
) -> tuple[dict[str, Any], int]:
    """``row`` with every count from 1 to ``threshold - 1`` set to None; the number of cells
    suppressed. ``row["suppressed"]`` tells whether any was."""
    out = dict(row)
    n = 0
    for name in count_fields:
        value = out.get(name)
        if isinstance(value, int) and 0 < value < threshold:
            out[name] = None
            n += 1
    out["suppressed"] = n > 0
    return out, n


def percent(numerator: int | None, denominator: int | None) -> float | None:
    """A percentage with two decimals, or None when a count is suppressed or nothing counted."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    return float(value)


def small_counts(
    rows: Iterable[Mapping[str, Any]], count_fields: Iterable[str], threshold: int
) -> list[tuple[int, str, int]]:
    """(row, field, value) of every count below the threshold (what ``suppress`` removes)."""
    names = list(count_fields)
    return [
        (i, name, row[name])
        for i, row in enumerate(rows)
        for name in names
        if isinstance(row.get(name), int) and 0 < row[name] < threshold
    ]
