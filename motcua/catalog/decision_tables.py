"""Procedure lists read from text copies of announcement decisions (issue #19).

Ministries and provinces announce procedures by decisions whose annex is a table (DOMAIN §11.2,
R-CAT-02): "STT | Mã TTHC | Tên thủ tục hành chính | [Lĩnh vực | Cấp thực hiện | Thời hạn giải
quyết | Phí, lệ phí | Căn cứ pháp lý ...]", rows grouped under section rows ("A. THỦ TỤC HÀNH
CHÍNH CẤP TỈNH", "I. Lĩnh vực Bảo trợ xã hội (07 TTHC)"). Public text copies of those decisions
(thuvienphapluat.vn pages, as stored in github.com/tnt305/tai_lieu_noi_bo
``src/etl/dataset/<id>.md``) write a table one cell per block, cells separated by a line holding
only ``|`` and rows by an empty cell. This module turns such a copy into catalogue rows
(``importer.COLUMNS``) for ``data/build_catalogue.py``; it is pure (no database).

What is read and what is inferred, row by row:

* code, name, field, level, time limit, fee and legal basis are read from the table: the level
  and field from the row's own column or the section it stands under, a time limit only when the
  cell is one number and one unit ("05 ngày làm việc"), otherwise ``unknown``; a cell that
  opens with its one limit fills, flagged, a row of another source that has none
  (``fill_from_time_cells``, session 11);
* the ministry is read where the decision is a ministry's own or the field cell names it
  ("Đường sắt (Bộ Xây dựng)"); for a province's decision it is the ministry of the provincial
  department the title names ("... thuộc thẩm quyền giải quyết của Sở Y tế" → Bộ Y tế), flagged
  ``inferred=ministry``;
* rows without a national code (d.dddddd, or a province's localized form of it), a level or a
  field, central-level rows, repealed or not-implemented rows and the province-specific ("đặc
  thù") lists are left out and counted, never completed by guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from motcua.catalog.codes import CodeError, ProcedureCode
from motcua.catalog.portal_api import durations
from motcua.core.text import fold, nfc

K = TypeVar("K")

CODE = re.compile(r"^[123]\.[0-9]{6}$")
# A province's localized form of a code: the national code, then the province's suffix.
LOCALIZED = re.compile(r"^[123]\.[0-9]{6}\.(?:[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.)?[A-Z][0-9]{2}$")
TIME = re.compile(r"^\s*0*([0-9]+(?:[.,]5)?)\s*(ngày làm việc|ngày|giờ làm việc)\s*\.?\s*$")
UNITS = {"ngày làm việc": "working_days", "ngày": "days", "giờ làm việc": "working_hours"}
DOCUMENT = re.compile(
    r"(?<![0-9.])[0-9]{1,4}(?:\.[0-9]+)?/[0-9]{4}/[A-ZĐa-zđ0-9-]+|\b[0-9]{1,4}/[A-ZĐ]{1,6}-[A-ZĐ]+\b"
)
COUNT = re.compile(r"\(?\s*:?\s*[0-9]+\s*(?:tthc|thủ tục)\s*\)?\s*$", re.IGNORECASE)
HEADERS = [
    ("ma", "code"),
    ("so ho so", "code"),
    ("ten vbqppl", "basis"),
    ("ten", "name"),
    ("thoi han", "time"),
    ("phi", "fee"),
    ("can cu", "basis"),
    ("linh vuc", "field"),
    ("cap thuc hien", "level"),
]
# Canonical ministry names (as the portal writes them), by folded needle. The first match wins.
MINISTRIES = [
    ("van hoa", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("du lich", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("y te", "Bộ Y tế"),
    ("giao duc va dao tao", "Bộ Giáo dục và Đào tạo"),
    ("noi vu", "Bộ Nội vụ"),
    ("cong thuong", "Bộ Công Thương"),
    ("khoa hoc va cong nghe", "Bộ Khoa học và Công nghệ"),
    ("tu phap", "Bộ Tư pháp"),
    ("tai chinh", "Bộ Tài chính"),
    ("xay dung", "Bộ Xây dựng"),
    ("nong nghiep va moi truong", "Bộ Nông nghiệp và Môi trường"),
    ("dan toc va ton giao", "Bộ Dân tộc và Tôn giáo"),
    ("ngoai giao", "Bộ Ngoại giao"),
    ("cong an", "Bộ Công an"),
    ("quoc phong", "Bộ Quốc phòng"),
    # The province's inspectorate (Thanh tra tỉnh): the ministry-level body is the Government
    # Inspectorate (inspection, complaints, denunciations, anti-corruption).
    ("thanh tra", "Thanh tra Chính phủ"),
]
# A province's department (Sở) → its ministry, read in the decision's title.
DEPARTMENT = re.compile(
    r"(?<!co )\b(?:so|nganh|linh vuc)\s+((?:(?!so\b)[a-z]+\s?){1,8})"
    r"|\bthanh tra (?:tinh|thanh pho)\b"
)
# Article 1 of a decision whose title names no department: "... thuộc phạm vi, chức năng quản lý
# nhà nước của Thanh tra tỉnh."
ARTICLE_1 = re.compile(r"Điều 1\b(.{0,600}?)(?:Điều 2\b|$)", re.DOTALL)


@dataclass(frozen=True)
class Decision:
    number: str
    issuer: str
    issued_on: str  # YYYY-MM-DD
    title: str


@dataclass
class Reading:
    """What one decision gave: catalogue rows by code, and what was left out, by reason."""

    decision: Decision
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    repealed: set[str] = field(default_factory=set)
    # The internal processes' totals the decision approves, by code, whether or not the code is
    # one of ``rows`` (``process_totals``).
    totals: dict[str, tuple[str, str]] = field(default_factory=dict)
    source: str = ""  # where the decision's text was read
    # Session 11: the limit each row's "Thời hạn giải quyết" cell states, by code, for every row
    # of the table that is not repealed, left out or not (``time_cell``): (value, unit, 15:00
    # flag, the cell's words).
    time_cells: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)


def _clean(text: str) -> str:
    text = nfc(re.sub(r"\s+", " ", text.replace("*", " ").replace("\\", " ")))
    return re.sub(r"\[[0-9]+\]", "", text).strip()


def national_code(cell: str) -> str | None:
    """The national code a code cell holds: ``1.001193`` as it stands, or the national part of a
    province's localized form (``1.014383.H13``, ``1.008377.000.00.00.H13``, R-ID-06); None for
    any other cell."""
    if CODE.match(cell):
        return cell
    if not LOCALIZED.match(cell):
        return None
    try:
        return str(ProcedureCode.parse(cell).national)
    except CodeError:
        return None


def _one_line_row(line: str) -> list[str] | None:
    """The cells of a table row written on one line (``| 1 | 1.011012 | Hoàn thuế ... |``), as
    some copies write their tables; None for any other line."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3):
        return None
    return [_clean(c) for c in stripped[1:-1].split("|")]


def table_rows(text: str) -> list[list[str]]:
    """The text copy's blocks as rows of cells: a line ``|`` ends a cell, an empty cell ends the
    row; a table written one row per line (``| a | b |``) gives one row per line, its empty
    cells dropped like the blocks' ones. Text outside tables comes out as one-cell rows."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    for line in text.splitlines():
        cells = _one_line_row(line)
        if cells is not None:
            if row or any(_clean(c) for c in cell):
                rows.append([*row, *([_clean(" ".join(cell))] if _clean(" ".join(cell)) else [])])
            row, cell = [], []
            if any(cells):
                rows.append([c for c in cells if c])
            continue
        if line.strip() != "|":
            cell.append(line)
            continue
        value = _clean(" ".join(cell))
        cell = []
        if value:
            row.append(value)
        elif row:
            rows.append(row)
            row = []
    if cell and _clean(" ".join(cell)):
        row.append(_clean(" ".join(cell)))
    if row:
        rows.append(row)
    return rows


def decision_of(text: str) -> Decision | None:
    """Number, issuer, date and title from the copy's header ("Số hiệu", "Nơi ban hành", "Ngày ban
    hành") and the title after "QUYẾT ĐỊNH"."""

    def after(label: str) -> str:
        match = re.search(rf"\*\*\s*{label}:\*\*\s*\|\s*([^|]+?)\s*\|", text)
        return _clean(match.group(1)) if match else ""

    number, issuer, issued = after("Số hiệu"), after("Nơi ban hành"), after("Ngày ban hành")
    day = re.match(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$", issued)
    title = re.search(r"\*\*QUYẾT ĐỊNH\*\*(.{0,900}?)\*\*(?:CHỦ TỊCH|BỘ TRƯỞNG)", text, re.DOTALL)
    if not (number and issuer and day):
        return _annex_decision(text)
    return Decision(
        number=number,
        issuer=issuer,
        issued_on=f"{day.group(3)}-{int(day.group(2)):02}-{int(day.group(1)):02}",
        title=_clean(title.group(1)) if title else "",
    )


ANNEX = re.compile(
    r"kèm theo Quyết định số:?\s*([0-9]+/QĐ-[A-ZĐ]+)\s+ngày\s+([0-9]{1,2})\s+tháng\s+"
    r"([0-9]{1,2})\s+năm\s+([0-9]{4})\s+của\s+(?:Chủ tịch\s+)?(Ủy ban nhân dân|UBND)\s+"
    r"(tỉnh|thành phố)\s+([^)*]+?)\s*\)",
    re.IGNORECASE,
)


def _annex_decision(text: str) -> Decision | None:
    """A copy without the page header: the annex's own line "(Kèm theo Quyết định số 2809/QĐ-UBND
    ngày 19 tháng 11 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai)"; the title is the
    text before it."""
    match = ANNEX.search(_clean(text))
    if match is None:
        return _body_decision(text)
    number, day, month, year, _, kind, place = match.groups()
    return Decision(
        number=number,
        issuer=f"{kind.capitalize()} {place.strip()}",
        issued_on=f"{year}-{int(month):02}-{int(day):02}",
        title=_clean(text)[: match.start()][-900:],
    )


def _body_decision(text: str) -> Decision | None:
    """A copy that starts with the decision itself: the issuer's block ("ỦY BAN NHÂN DÂN TỈNH HÀ
    TĨNH", "BỘ KHOA HỌC VÀ CÔNG NGHỆ"), "Số: 2914/QĐ-UBND" and "Hà Tĩnh, ngày 20 tháng 11 năm
    2025"; the date may be blank in a copy of the draft, then it stays empty."""
    head = _clean(text[:3000])
    number = re.search(r"Số:\s*([0-9]+/QĐ-[A-ZĐ]+)", head)
    issuer = re.search(r"(ỦY BAN NHÂN DÂN (?:TỈNH|THÀNH PHỐ) [^-|]+?|BỘ [^-|]+?)\s*-{3,}", head)
    if number is None or issuer is None:
        return None
    day = re.search(r"ngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})", head)
    name = issuer.group(1).replace("ỦY BAN NHÂN DÂN ", "")
    title = re.search(r"QUYẾT ĐỊNH(.{0,900}?)(?:CHỦ TỊCH|BỘ TRƯỞNG)", _clean(text[:6000]))
    return Decision(
        number=number.group(1),
        issuer=name.title() if name.startswith(("TỈNH", "THÀNH PHỐ")) else name.capitalize(),
        issued_on=f"{day.group(3)}-{int(day.group(2)):02}-{int(day.group(1)):02}" if day else "",
        title=title.group(1).strip() if title else "",
    )


def ministry_named(text: str) -> str:
    """The ministry a body's name designates ("Bộ Văn hoá, Thể thao và du lịch", "Sở Y tế"),
    or ``""``."""
    folded = fold(text)
    return next((name for needle, name in MINISTRIES if needle in folded), "")


def _article_1(text: str) -> str:
    found = ARTICLE_1.search(_clean(text))
    return found.group(1) if found else ""


def ministry_of(decision: Decision, article_1: str = "") -> tuple[str, bool]:
    """(ministry, inferred). A ministry's decision names itself; a province's decision names the
    department whose procedures it announces, which maps to one ministry (inferred), in its title
    or, where the title names none, in its Article 1 (``article_1``). ``""`` when neither names a
    department or they name several ministries."""
    if fold(decision.issuer).startswith("bo "):
        return ministry_named(decision.issuer), False
    for text in (decision.title, article_1):
        found = {ministry_named(m.group(0)) for m in DEPARTMENT.finditer(fold(text))}
        found.discard("")
        if found:
            return (found.pop(), True) if len(found) == 1 else ("", True)
    return "", True


def _header(row: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for position, cell in enumerate(row):
        key = next((k for needle, k in HEADERS if fold(cell).startswith(needle)), None)
        if key is not None and key not in found:
            found[key] = position
    return found if "code" in found and "name" in found else None


def _level(text: str) -> str | None:
    """``commune``/``province`` for a level cell or section; ``central`` for central-level
    sections; None when it names no level. A procedure listed at several levels is filed under
    the lowest one (as in the seed)."""
    folded = re.sub(
        r"(pham vi|dia gioi hanh chinh|dia ban) (toan )?(cap )?(tinh|xa)", "", fold(text)
    )
    if "trung tam phuc vu" in folded:
        return None  # a reception point ("Trung tâm Phục vụ hành chính công cấp xã"), no level
    if "cap xa" in folded and "tiep nhan" not in folded:
        return "commune"
    if "cap tinh" in folded:
        return "province"
    if "trung uong" in folded or "cap bo" in folded:
        return "central"
    return None


def _section(cells: list[str]) -> tuple[str | None, str | None, str | None]:
    """(status, level, field) a section row names, each None when it names none."""
    words = [c for c in cells if not re.fullmatch(r"[IVXLC]+\.?|[0-9]+\.?|[A-ZĐ]\.?", c)]
    text = " ".join(words)
    folded = fold(text)
    dropped = any(w in folded for w in ("khong thuc hien", "bai bo", "huy bo"))
    kept = any(w in folded for w in ("sua doi", "moi ban hanh", "thay the"))
    status = None if dropped == kept else "dropped" if dropped else "kept"
    field_name = None
    match = re.search(r"\blĩnh vực\b\s*:?\s*(.+)$", text, re.IGNORECASE)
    if match and len(text) < 200:
        field_name = re.split(
            r"\s+(?:thuộc|của|trên địa bàn|quy định tại|thực hiện)\s|\s*\(kèm theo",
            match.group(1),
            flags=re.I,
        )[0]
        field_name = COUNT.sub("", field_name).strip(" :.-")
        field_name = re.sub(r"\s*\(\s*[0-9]+\s*(?:tthc|thủ tục)\s*\)", "", field_name, flags=re.I)
        if field_name.isupper():
            field_name = field_name.capitalize()
        if len(field_name) > 100:
            field_name = None
    return status, _level(text) if len(text) < 300 else None, field_name or None


def _title_level(title: str) -> str | None:
    """The level a title names for the procedures' competent authority ("thuộc thẩm quyền giải
    quyết của Sở Y tế, Ủy ban nhân dân cấp xã" → commune, the lowest), or None."""
    folded = fold(title)
    at = folded.find("tham quyen giai quyet cua")
    if at < 0:
        return None
    rest = folded[at:]
    if "cap xa" in rest or "uy ban nhan dan xa" in rest:
        return "commune"
    if "cap tinh" in rest or re.search(r"\bso\b|uy ban nhan dan (tinh|thanh pho)", rest):
        return "province"
    return None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title_field(title: str) -> str | None:
    """The one field a title names ("... lĩnh vực hoạt động khoa học và công nghệ thuộc ..."),
    or None when it names none or several."""
    found = re.findall(
        r"lĩnh vực\s+(.+?)"
        # "thực hiện" may be glued to the next word in a copy ("thực hiệnkhông phụ thuộc").
        r"(?=\s+(?:(?:thuộc|trên địa bàn|của|áp dụng|và phê duyệt|quy định tại)\b|thực hiện)"
        r"|[;,]|$)",
        title,
        re.IGNORECASE,
    )
    names = {fold(f) for f in found}
    if len(names) != 1:
        return None
    name = str(found[0]).strip()
    return name.capitalize() if name.isupper() else name


# A process heading's code, as the copies write it: "(Mã TTHC: 1.012990)", "(Mã TTHC:1.013814)",
# or with the copy's stray emphasis marks "(Mã TTHC: (2.001717__)" and "(Mã TTHC: 1.003999 __)"
# (Cao Bằng 2028/QĐ-UBND, session 10).
PROCESS = re.compile(r"\(Mã TTHC:\s*\(?\s*([123]\.[0-9]{6})[\s_]*\)")
# The process's total: "Tổng thời gian giải quyết TTHC | 10 ngày làm việc", also with an empty
# cell between ("… TTHC | | 60 ngày làm việc", 2028/QĐ-UBND).
TOTAL = re.compile(
    r"Tổng thời gian giải quyết(?: TTHC)?\s*(?:\|\s*){0,2}0*([0-9]+(?:[,.]5)?)\s*"
    r"(ngày làm việc|ngày|giờ làm việc)",
    re.IGNORECASE,
)
# A new internal process starts with its number ("Quy trình số 02").
PROCESS_START = re.compile(r"Quy trình số\s*[0-9]+", re.IGNORECASE)


def process_totals(text: str) -> dict[str, tuple[str, str]]:
    """The total time of each procedure's internal process that a province approves with the
    list ("Quy trình nội bộ giải quyết TTHC: “…” (Mã TTHC: 1.012990)" … "Tổng thời gian giải quyết
    TTHC | 10 ngày làm việc"), by code; a procedure whose processes give several totals (one per
    case) has none. One process may be written for several procedures: codes whose headings
    follow each other with no total and no new "Quy trình số" between them share the process
    and its total (Cao Bằng 2031/QĐ-UBND: one process, 3 working days, for 1.014464 and
    1.014465)."""
    flat = _clean(text)
    marks = list(PROCESS.finditer(flat))
    groups: list[tuple[list[str], int]] = []  # (codes, start of the group's first heading)
    for index, mark in enumerate(marks):
        between = flat[marks[index - 1].end() : mark.start()] if index else ""
        if groups and not TOTAL.search(between) and not PROCESS_START.search(between):
            groups[-1][0].append(mark.group(1))
        else:
            groups.append(([mark.group(1)], mark.start()))
    found: dict[str, set[tuple[str, str]]] = {}
    for index, (codes, _start) in enumerate(groups):
        begin = flat.index(codes[-1], _start)
        end = groups[index + 1][1] if index + 1 < len(groups) else len(flat)
        for value, unit in TOTAL.findall(flat[begin:end]):
            for code in codes:
                found.setdefault(code, set()).add((value.replace(",", "."), UNITS[unit.lower()]))
    return {code: totals.pop() for code, totals in found.items() if len(totals) == 1}


# A time cell that opens with its limit: "05 ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ",
# "Không quá 02 (hai) ngày làm việc, kể từ ngày nhận đủ hồ sơ …".
OPENING = re.compile(
    r"^(?:không quá|tối đa)?\s*0*([1-9][0-9]{0,2})(?:\s*\([^)]{0,20}\))?\s*"
    r"(ngày làm việc|giờ làm việc|ngày)(?![\w/])",
    re.IGNORECASE,
)


def time_cell(cell: str) -> tuple[str, str, str] | None:
    """(value, unit, 15:00 flag) that an annex's time cell states as the procedure's one limit,
    or None. Read: a cell that opens with its limit and states no other duration (not a step's
    "Trong thời hạn 10 ngày, kể từ …, Giám đốc Sở … trình …", not cases "15 ngày và 05 ngày làm
    việc"); and the certification rule as the annexes write it, "ngay trong ngày … hoặc trong ngày
    làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ" (same day with the 15:00 rule, R-TIME-05;
    "15 giờ" there is a clock time). Any other cell gives nothing."""
    text = _clean(cell)
    folded = fold(text)
    stated = durations(text)
    if (
        "ngay trong ngay" in folded
        and "ngay lam viec tiep theo" in folded
        and "sau 15 gio" in folded
        and stated <= {(15, "working_hours")}
    ):
        return "", "same_day", "yes"
    opening = OPENING.match(text)
    if opening is None:
        return None
    value, unit = int(opening.group(1)), UNITS[opening.group(2).lower()]
    if stated != {(value, unit)}:
        return None
    return str(value), unit, ""


def _cell(row: list[str], position: int | None) -> str:
    return row[position] if position is not None and 0 <= position < len(row) else ""


def read_decision(text: str, source: str, read_on: str) -> Reading | None:
    """The local procedures a decision's annex lists, as catalogue rows keyed by code."""
    decision = decision_of(text)
    if decision is None:
        return None
    reading = Reading(decision, source=source)
    if "dac thu" in fold(decision.title):
        reading.skipped["province-specific list"] += 1
        return reading
    ministry, ministry_inferred = ministry_of(decision, _article_1(text))
    title_level = _title_level(decision.title)
    title_field = _title_field(decision.title)
    offsets: dict[str, int] | None = None
    width = 0
    status: str | None = "kept"
    level: str | None = None
    field_name: str | None = None
    for row in table_rows(text):
        header = _header(row)
        if header is not None:
            offsets = {k: v - header["code"] for k, v in header.items()}
            width = len(row) - min(header.values())
            # A heading just above the table is written into its first cell.
            heading = " ".join(row[: min(header.values())])[-160:]
            status, level, field_name = _section([heading]) if heading else ("kept", None, None)
            status, level = status or "kept", level or title_level
            field_name = field_name or title_field
            continue
        where = next((i for i, c in enumerate(row) if national_code(c)), None)
        if where is None:
            new_status, new_level, new_field = _section(row)
            status = new_status or status
            if new_level is not None:
                # A level section starts over from the field the title names, if any.
                level, field_name = new_level, title_field
            field_name = new_field or field_name
            continue
        if offsets is None:
            continue
        # An empty cell reads like the end of a row: a shorter row may have lost a cell anywhere.
        whole = len(row) - (where + min(offsets.values())) == width
        context = (status or "kept", level, field_name)
        reading_row = _add_time_cell(
            reading,
            _row(row, where, offsets, context, whole=whole),
            _cell(row, where + offsets.get("time", len(row))),
        )
        reason = _left_out(reading_row, ministry)
        if reason:
            reading.skipped[reason] += 1
            if reason.startswith("repealed"):
                reading.repealed.add(reading_row["code"])
            continue
        code = reading_row["code"]
        inferred = ["ministry"] if ministry_inferred and not reading_row["ministry"] else []
        reading_row["ministry"] = reading_row["ministry"] or ministry
        reading_row["inferred"] = ";".join(inferred)
        reading_row["read_on"] = read_on
        reading_row["source"] = (
            f"{source} (text copy of {decision.number} of {decision.issuer}, "
            f"{decision.issued_on}, annex table)"
        )
        reading.rows.setdefault(code, reading_row)
    _add_process_totals(reading, text)
    return reading


def _add_time_cell(reading: Reading, row: dict[str, str], words: str) -> dict[str, str]:
    """Keep the limit a row's time cell states (``time_cell``), the first one for each code,
    unless the row is repealed or not implemented (``words`` is empty where the table has no
    time column); returns the row."""
    limit = time_cell(words) if words and row["status"] != "dropped" else None
    if limit is not None:
        reading.time_cells.setdefault(row["code"], (*limit, words))
    return row


def _add_process_totals(reading: Reading, text: str) -> None:
    """A row without a time limit takes its internal process's total (flagged as inferred: it
    is the province's processing time, normally the legal limit)."""
    reading.totals = process_totals(text)
    for code, (value, unit) in reading.totals.items():
        row = reading.rows.get(code)
        if row is None or row["time_limit_unit"] != "unknown":
            continue
        row["time_limit_value"], row["time_limit_unit"] = value, unit
        flags = [c for c in row["inferred"].split(";") if c]
        row["inferred"] = ";".join([*flags, "time_limit_value", "time_limit_unit"])
        row["source"] += "; time limit: the total of the internal process the decision approves"


def _missing_time(row: dict[str, str]) -> bool:
    unit = row["time_limit_unit"]
    return unit in ("", "unknown") or (unit != "same_day" and not row["time_limit_value"])


def fill_from_process_totals(rows: list[dict[str, str]], readings: list[Reading]) -> list[str]:
    """Session 10: a row of any source still without a time limit takes the total of the
    internal process that another decision approves for its code, where every decision that
    gives one agrees (flagged as inferred, like the decision's own rows; decision 0031). 1.014465
    (CFS certificates, listed by Nghệ An 3782/QĐ-UBND without a limit): 3 working days in Cao
    Bằng 2031/QĐ-UBND's process. Returns the codes filled."""
    agreed = _agreed(
        (code, total, f"{reading.decision.number} of {reading.decision.issuer} ({reading.source})")
        for reading in readings
        for code, total in reading.totals.items()
    )
    filled = []
    for row in rows:
        found = agreed.get(row["code"])
        if found is None or not _missing_time(row):
            continue
        (value, unit), decisions = found
        _take_limit(row, value, unit)
        row["source"] += "; time limit: the total of the internal process approved by " + (
            "; ".join(sorted(set(decisions)))
        )
        filled.append(row["code"])
    return filled


def _agreed(entries: Iterable[tuple[str, K, str]]) -> dict[str, tuple[K, list[str]]]:
    """(code, value, who said it) → for each code where every entry gives the same value: that
    value and who said it."""
    by_code: dict[str, dict[K, list[str]]] = {}
    for code, value, said in entries:
        by_code.setdefault(code, {}).setdefault(value, []).append(said)
    return {code: next(iter(v.items())) for code, v in by_code.items() if len(v) == 1}


def _take_limit(row: dict[str, str], value: str, unit: str, cutoff: str = "") -> None:
    """Give a row the time limit (and the 15:00 flag, if any), flagged as inferred in place of
    any earlier time-limit flag."""
    row["time_limit_value"], row["time_limit_unit"] = value, unit
    flags = [c for c in row["inferred"].split(";") if c and not c.startswith("time_limit")]
    added = ["time_limit_value", "time_limit_unit"]
    if cutoff:
        row["same_day_cutoff_1500"] = cutoff
        flags = [c for c in flags if c != "same_day_cutoff_1500"]
        added.append("same_day_cutoff_1500")
    row["inferred"] = ";".join([*flags, *added])


def fill_from_time_cells(rows: list[dict[str, str]], readings: list[Reading]) -> list[str]:
    """Session 11 (decision 0035): a row of any source still without a time limit takes the limit
    that the "Thời hạn giải quyết" cell of a decision's annex states for its code (``time_cell``),
    where every decision that gives one agrees. It is the limit a province publishes, taken as
    the national one, so it is flagged as inferred (like a province's portal page, decision 0031
    part 3); the source names the decisions and quotes the cell. Huế 3565/QĐ-UBND gives 05
    working days for 1.011818-1.011820, which Cần Thơ's list names without a limit. Returns the
    codes filled."""
    agreed = _agreed(
        (
            code,
            (value, unit, cutoff),
            f"{reading.decision.number} of {reading.decision.issuer} ({reading.source}): "
            f"“{words[:160]}”",
        )
        for reading in readings
        for code, (value, unit, cutoff, words) in reading.time_cells.items()
    )
    filled = []
    for row in rows:
        found = agreed.get(row["code"])
        if found is None or not _missing_time(row):
            continue
        (value, unit, cutoff), decisions = found
        _take_limit(row, value, unit, cutoff)
        row["source"] += "; time limit from the annex's time cell of " + (
            "; ".join(sorted(set(decisions)))
        )
        filled.append(row["code"])
    return filled


def _row(
    row: list[str],
    where: int,
    offsets: dict[str, int],
    context: tuple[str, str | None, str | None],
    *,
    whole: bool,
) -> dict[str, str]:
    status, level, section_field = context

    def cell(key: str) -> str:
        return _cell(row, where + offsets[key]) if key in offsets else ""

    field_cell = cell("field")
    if _level(field_cell) or fold(field_cell).startswith(("ubnd", "uy ban", "so ", "cuc ")):
        field_cell = ""  # a level or an agency in the field column: a cell was lost before it
    ministry = ""
    named = re.search(r"\((Bộ [^)]+)\)\s*$", field_cell)
    if named:
        ministry = ministry_named(named.group(1))
        field_cell = field_cell[: named.start()].strip()
    if field_cell.endswith(")") and "(" not in field_cell:
        field_cell = field_cell[
            :-1
        ].strip()  # a stray bracket of the copy ("Giải quyết khiếu nại)")
    if not any(c.islower() for c in field_cell) or not 4 <= len(field_cell) <= 100:
        field_cell = ""  # an abbreviation ("TDTT"): only a section's full name is taken
    row_level = _level(cell("level")) if cell("level") else None
    if row_level == "central":
        row_level = None
    # Time, fee and basis only from a row with all its cells: they would shift otherwise.
    time = TIME.match(cell("time").lower()) if whole else None
    basis = [m.group(0) for m in DOCUMENT.finditer(cell("basis"))] if whole else []
    basis = list(dict.fromkeys(basis))
    return {
        "code": national_code(row[where]) or row[where],
        "name_vi": cell("name").rstrip(" .;"),
        "field_vi": _sentence(field_cell or section_field or ""),
        "competent_level": row_level or level or "",
        "time_limit_value": time.group(1).replace(",", ".") if time else "",
        "time_limit_unit": UNITS[time.group(2)] if time else "unknown",
        "same_day_cutoff_1500": "",
        "fee_text": cell("fee")[:400] if whole else "",
        "online_level": "unknown",
        "documents_vi": "",
        "legal_basis": "; ".join(basis),
        "ministry": ministry,
        "status": status,
    }


def _left_out(row: dict[str, str], ministry: str) -> str:
    if row.pop("status") == "dropped":
        return "repealed or not implemented"
    if row["competent_level"] not in ("commune", "province"):
        return "central or no level"
    if not row["field_vi"]:
        return "no field"
    if not (row["ministry"] or ministry):
        return "no ministry"
    name = fold(row["name_vi"])
    if (
        len(name) < 8
        or "cong bo danh muc" in name
        or name.startswith(("quyet dinh so", "danh muc"))
    ):
        return "no procedure name"
    return ""


def merge(readings: list[Reading], known: set[str]) -> dict[str, dict[str, str]]:
    """One row per code not in ``known``: the first decision (a ministry's own before a
    province's, then by date and number) gives each value, later ones fill what it left empty;
    ``source`` names every decision read."""
    merged: dict[str, dict[str, str]] = {}
    repealed = set().union(*(r.repealed for r in readings)) if readings else set()
    # A ministry's own list names the field and the ministry as read: it comes first.
    ordered = sorted(
        readings,
        key=lambda r: (
            not fold(r.decision.issuer).startswith("bo "),
            r.decision.issued_on,
            r.decision.number,
        ),
    )
    for reading in ordered:
        for code, row in reading.rows.items():
            if code in known or code in repealed:
                continue
            if code not in merged:
                merged[code] = dict(row)
                continue
            kept = merged[code]
            for column in ("fee_text", "legal_basis"):
                kept[column] = kept[column] or row[column]
            if kept["time_limit_unit"] == "unknown" and row["time_limit_unit"] != "unknown":
                kept["time_limit_value"] = row["time_limit_value"]
                kept["time_limit_unit"] = row["time_limit_unit"]
                kept["source"] += f"; time limit from {row['source']}"
            else:
                kept["source"] += f"; also in {row['source']}"
    return merged
