"""Validation report of the catalogue (issue #19): what is still missing, per field and ministry.

Computed from the rows of the import/export format, so the same report reads the database
(``catalogue_report``) or a CSV (``completeness_of_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from motcua.catalog.importer import export_rows
from motcua.geo.models import Province

# Checked fields: label → test "the value is there" on an export row.
CHECKS: dict[str, str] = {
    "ministry": "bộ, ngành",
    "time_limit": "thời hạn (số + đơn vị)",
    "online_level": "mức độ trực tuyến",
    "fee_text": "phí, lệ phí",
    "documents_vi": "thành phần hồ sơ",
    "legal_basis": "căn cứ pháp lý",
    "competent_level": "cấp thực hiện (tỉnh/xã)",
}
NO_MINISTRY = "(chưa có bộ, ngành)"


def present(row: dict[str, str], check: str) -> bool:
    if check == "time_limit":
        unit = row["time_limit_unit"]
        return unit == "same_day" or (unit not in ("", "unknown") and bool(row["time_limit_value"]))
    if check == "online_level":
        return row["online_level"] not in ("", "unknown")
    if check == "competent_level":
        return row["competent_level"] in ("commune", "commune_police", "province")
    return bool(row.get(check, "").strip())


@dataclass
class Completeness:
    total: int = 0
    missing: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    inferred: int = 0


def completeness_of_rows(rows: Iterable[dict[str, str]]) -> dict[str, Completeness]:
    """Per ministry (and ``""`` for the whole catalogue)."""
    out: dict[str, Completeness] = {"": Completeness()}
    for row in rows:
        ministry = row.get("ministry") or NO_MINISTRY
        for key in ("", ministry):
            stats = out.setdefault(key, Completeness())
            stats.total += 1
            stats.inferred += bool(row.get("inferred"))
            for check in CHECKS:
                stats.missing[check] += not present(row, check)
    return out


def _rows(province: Province) -> Iterator[dict[str, str]]:

    rows = export_rows(province)
    header = next(rows)
    for values in rows:
        yield dict(zip(header, values, strict=True))


def completeness(province: Province) -> dict[str, Completeness]:
    return completeness_of_rows(_rows(province))


def format_report(stats: dict[str, Completeness]) -> str:
    """A Markdown table: one line per ministry, the number (and share) of procedures missing
    each field; the first line is the whole catalogue."""
    head = ["Bộ, ngành / ministry", "TTHC", *CHECKS.values(), "có giá trị suy luận"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    order = ["", *sorted((k for k in stats if k), key=lambda k: (-stats[k].total, k))]
    for key in order:
        s = stats[key]
        cells = [f"{s.missing[c]} ({100 * s.missing[c] / s.total:.1f}%)" for c in CHECKS]
        name = key or "**Toàn bộ danh mục / whole catalogue**"
        lines.append(f"| {name} | {s.total} | " + " | ".join(cells) + f" | {s.inferred} |")
    ministries = len([k for k in stats if k and k != NO_MINISTRY])
    lines.append("")
    lines.append(f"Số bộ, ngành / ministries: {ministries}. Ô = số TTHC còn thiếu (tỷ lệ).")
    return "\n".join(lines) + "\n"
