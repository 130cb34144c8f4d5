"""Seed entries of the national working calendar for 2025 and 2026 (DOMAIN.md §6.2).

Each entry states its legal basis. Entries DOMAIN.md marks [I] (computed from the Labor Code, or
letters whose numbers were not verified) are seeded with ``verified=False`` so the calendar page
shows them for review (R-CAL-04). The second National Day 2026 holiday is not seeded: the
Government had not decided it in the sources read; the calendar page asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LABOR_CODE = "Bộ luật Lao động 2019, Điều 112"
LABOR_CODE_COMP = "Bộ luật Lao động 2019, Điều 111(3)"


@dataclass(frozen=True)
class SeedEntry:
    day: date
    kind: str  # EntryKind value
    name: str
    legal_basis: str
    verified: bool = True


def _range(
    first: date, last: date, kind: str, name: str, basis: str, *, verified: bool
) -> list[SeedEntry]:
    out = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            out.append(SeedEntry(day, kind, name, basis, verified))
        day = date.fromordinal(day.toordinal() + 1)
    return out


LETTER_2025 = (
    "Thông báo nghỉ lễ năm 2025 của Bộ Nội vụ / Văn phòng Chính phủ (số văn bản cần đối chiếu)"
)

SEED: list[SeedEntry] = [
    # 2025 [I — letter numbers to verify]
    SeedEntry(date(2025, 1, 1), "holiday", "Tết Dương lịch", LABOR_CODE, True),
    *_range(
        date(2025, 1, 27),
        date(2025, 1, 31),
        "holiday",
        "Tết Nguyên đán Ất Tỵ",
        f"{LABOR_CODE}; {LETTER_2025}",
        verified=False,
    ),
    SeedEntry(date(2025, 4, 7), "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)", LABOR_CODE, True),
    SeedEntry(
        date(2025, 4, 26), "swapped_working_day", "Làm bù cho ngày 02/5/2025", LETTER_2025, False
    ),
    SeedEntry(date(2025, 4, 30), "holiday", "Ngày Chiến thắng", LABOR_CODE, True),
    SeedEntry(date(2025, 5, 1), "holiday", "Ngày Quốc tế lao động", LABOR_CODE, True),
    SeedEntry(
        date(2025, 5, 2),
        "swapped_day_off",
        "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)",
        LETTER_2025,
        False,
    ),
    SeedEntry(
        date(2025, 9, 1),
        "holiday",
        "Quốc khánh (ngày liền kề)",
        f"{LABOR_CODE}; {LETTER_2025}",
        False,
    ),
    SeedEntry(date(2025, 9, 2), "holiday", "Quốc khánh", LABOR_CODE, True),
    # 2026
    SeedEntry(date(2026, 1, 1), "holiday", "Tết Dương lịch", LABOR_CODE, True),
    SeedEntry(
        date(2026, 1, 2),
        "swapped_day_off",
        "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)",
        "Công văn 12729/VPCP-KGVX ngày 25/12/2025",
        True,
    ),
    SeedEntry(
        date(2026, 1, 10),
        "swapped_working_day",
        "Làm bù cho ngày 02/01/2026",
        "Công văn 12729/VPCP-KGVX ngày 25/12/2025",
        True,
    ),
    *_range(
        date(2026, 2, 16),
        date(2026, 2, 20),
        "holiday",
        "Tết Nguyên đán Bính Ngọ",
        f"{LABOR_CODE}; nghỉ từ thứ Bảy 14/2 đến hết Chủ nhật 22/2/2026",
        verified=True,
    ),
    SeedEntry(
        date(2026, 4, 27),
        "compensatory_day_off",
        "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch rơi vào Chủ nhật 26/4/2026)",
        LABOR_CODE_COMP,
        False,
    ),
    SeedEntry(date(2026, 4, 30), "holiday", "Ngày Chiến thắng", LABOR_CODE, False),
    SeedEntry(date(2026, 5, 1), "holiday", "Ngày Quốc tế lao động", LABOR_CODE, False),
    SeedEntry(date(2026, 9, 2), "holiday", "Quốc khánh", LABOR_CODE, True),
]

#: Things a provincial admin must still decide, shown on the calendar page.
OPEN_QUESTIONS: dict[int, list[str]] = {
    2026: [
        "Ngày nghỉ liền kề Quốc khánh 2/9/2026 (1/9 hoặc 3/9) do Thủ tướng quyết định hằng năm "
        "(Bộ luật Lao động Điều 112(3)) — chưa có trong nguồn; hãy thêm khi có văn bản.",
    ],
}
