"""Agency electronic identification codes (mã định danh điện tử của cơ quan, tổ chức).

Pure value objects, standard library only (DOMAIN §3.1, R-ID-01..05).

Two formats coexist and must never be confused (R-ID-05):

* **QCVN 102:2016/BTTTT** — ``ddd.dd.dd.Ldd`` (e.g. ``000.00.31.H13``), read **right-to-left**:
  the last group is the level-1 unit, a zero group means "the unit itself at that level"
  (R-ID-02).
* **Decision 20/2020/QĐ-TTg** — at most 35 characters from ``[.0-9A-Z]``, first group
  ``[A-Y]dd`` (level 1), following groups are child units **left-to-right** (e.g. ``H56.14.3``)
  (R-ID-03).

Both value objects keep their format next to the parsed structure; ``str(code)`` is the opaque
string to store (R-ID-01).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

__all__ = [
    "QD20_MAX_LENGTH",
    "AgencyCode",
    "CodeError",
    "CodeFormat",
    "Qcvn102Code",
    "Qd20Code",
    "detect_format",
    "parse_agency_code",
]

QD20_MAX_LENGTH = 35
"""Maximum length of a Decision 20/2020 code, dots included (R-ID-03)."""

# ``[0-9]`` rather than ``\d``: ``\d`` matches every Unicode digit (e.g. Arabic-Indic digits).
_QCVN102_RE = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}")
_QCVN102_LEVEL1_RE = re.compile(r"[A-Z][0-9]{2}")
_QD20_LEVEL1_RE = re.compile(r"[A-Y][0-9]{2}")
_QD20_GROUP_RE = re.compile(r"[0-9A-Z]+")
_QD20_CHARS_RE = re.compile(r"[.0-9A-Z]+")

# Width of the QCVN 102 groups below level 1, from level 2 (deepest-but-one) to level 4.
_QCVN102_WIDTHS: dict[int, int] = {2: 2, 3: 2, 4: 3}


class CodeError(ValueError):
    """An identifier (agency, procedure or dossier code) is malformed.

    The message is Vietnamese first, then English after ``" / "``; both halves are also kept
    separately in :attr:`message_vi` and :attr:`message_en`.
    """

    def __init__(self, message_vi: str, message_en: str | None = None) -> None:
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_vi if message_en is None else f"{message_vi} / {message_en}")


def _normalize(text: object, what_vi: str, what_en: str) -> str:
    if not isinstance(text, str):
        raise CodeError(f"{what_vi} phải là chuỗi ký tự", f"{what_en} must be a string")
    normalized = text.strip().upper()
    if not normalized:
        raise CodeError(f"{what_vi} đang để trống", f"{what_en} is empty")
    return normalized


class CodeFormat(StrEnum):
    """Format of an agency electronic identification code (R-ID-01)."""

    QCVN102 = "QCVN102"
    QD20 = "QD20"


@dataclass(frozen=True)
class Qcvn102Code:
    """A QCVN 102:2016/BTTTT code ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` (R-ID-02).

    Fields are in written order; the hierarchy is read **right-to-left**: ``level1`` (the last
    group, letter + 2 digits) is the level-1 body, ``level2`` (``Y1Y2``) a unit inside it,
    ``level3`` (``Z1Z2``) a unit inside that, ``level4`` (``V1V2V3``) the deepest. A zero group
    means "the unit itself at that level", so ``000.00.00.H49`` is the level-1 body ``H49``.

    Interpretation [I]: a non-zero group below a zero group (``001.00.31.H13``) has no meaning
    under R-ID-02 (the zero group already names the unit itself), so it is rejected.
    """

    level4: str
    level3: str
    level2: str
    level1: str

    format: ClassVar[CodeFormat] = CodeFormat.QCVN102

    def __post_init__(self) -> None:
        if not _QCVN102_LEVEL1_RE.fullmatch(self.level1):
            raise CodeError(
                "Mã định danh không hợp lệ: nhóm cấp 1 phải có dạng chữ cái + 2 chữ số",
                "Invalid agency code: level-1 group must be a letter and two digits",
            )
        for level, width in _QCVN102_WIDTHS.items():
            _check_qcvn102_group(self._group(level), level, width)
        seen_zero = False
        for level in (2, 3, 4):
            if _is_zero(self._group(level)):
                seen_zero = True
            elif seen_zero:
                raise CodeError(
                    f"Mã định danh không hợp lệ: nhóm cấp {level} khác 0 nằm dưới một nhóm "
                    "bằng 0 (R-ID-02)",
                    f"Invalid agency code: non-zero level-{level} group below a zero group "
                    "(R-ID-02)",
                )

    @classmethod
    def parse(cls, text: str) -> Qcvn102Code:
        """Parse ``ddd.dd.dd.Ldd`` (surrounding spaces stripped, letters upper-cased)."""
        normalized = _normalize(text, "Mã định danh", "Agency code")
        groups = normalized.split(".")
        if len(groups) != 4:
            raise CodeError(
                f"Mã định danh không đúng định dạng QCVN 102 (ddd.dd.dd.Ldd): {normalized!r}",
                f"Agency code is not in QCVN 102 format (ddd.dd.dd.Ldd): {normalized!r}",
            )
        level4, level3, level2, level1 = groups
        # __post_init__ checks each group (together: ``^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$``,
        # ASCII only) and names the faulty level in its message (R-ID-02).
        return cls(level4=level4, level3=level3, level2=level2, level1=level1)

    def __str__(self) -> str:
        return f"{self.level4}.{self.level3}.{self.level2}.{self.level1}"

    def _group(self, level: int) -> str:
        return {1: self.level1, 2: self.level2, 3: self.level3, 4: self.level4}[level]

    @property
    def depth(self) -> int:
        """Number of non-zero levels, level 1 included (``000.00.31.H13`` → 2)."""
        return 1 + sum(1 for level in (2, 3, 4) if not _is_zero(self._group(level)))

    def parent(self) -> Qcvn102Code | None:
        """The unit one level up (deepest non-zero group zeroed); ``None`` for a level-1 body."""
        depth = self.depth
        if depth == 1:
            return None
        return self._with_group(depth, "0" * _QCVN102_WIDTHS[depth])

    def child(self, level_code: str) -> Qcvn102Code:
        """The child unit ``level_code`` one level down (fills the next zero group)."""
        depth = self.depth
        if depth == 4:
            raise CodeError(
                f"Không thể tạo đơn vị con: {self} đã ở cấp 4",
                f"Cannot create a child unit: {self} is already at level 4",
            )
        level = depth + 1
        width = _QCVN102_WIDTHS[level]
        code = level_code.strip() if isinstance(level_code, str) else level_code
        _check_qcvn102_group(code, level, width)
        if _is_zero(code):
            raise CodeError(
                f"Mã định danh không hợp lệ: nhóm cấp {level} của đơn vị con phải khác 0",
                f"Invalid agency code: the child unit's level-{level} group must be non-zero",
            )
        return self._with_group(level, code)

    def is_ancestor_of(self, other: AgencyCode) -> bool:
        """True when ``other`` is a strict descendant of this unit (same format only, R-ID-05)."""
        if not isinstance(other, Qcvn102Code):
            return False
        ancestor = other.parent()
        while ancestor is not None:
            if ancestor == self:
                return True
            ancestor = ancestor.parent()
        return False

    def _with_group(self, level: int, value: str) -> Qcvn102Code:
        groups = {4: self.level4, 3: self.level3, 2: self.level2, 1: self.level1}
        groups[level] = value
        return Qcvn102Code(level4=groups[4], level3=groups[3], level2=groups[2], level1=groups[1])


def _is_zero(group: str) -> bool:
    return set(group) == {"0"}


def _check_qcvn102_group(group: object, level: int, width: int) -> None:
    if not (isinstance(group, str) and len(group) == width and group.isascii() and group.isdigit()):
        raise CodeError(
            f"Mã định danh không hợp lệ: nhóm cấp {level} phải gồm đúng {width} chữ số",
            f"Invalid agency code: level-{level} group must be exactly {width} digits",
        )


@dataclass(frozen=True)
class Qd20Code:
    """A Decision 20/2020/QĐ-TTg code, e.g. ``H56.14.3`` (R-ID-03).

    ``groups[0]`` is the level-1 code (``[A-Y]`` + 2 digits); each following group is a unit of
    the next level belonging to the previous one (**left-to-right**). The whole code, dots
    included, has at most 35 characters from ``[.0-9A-Z]``.
    """

    groups: tuple[str, ...]

    format: ClassVar[CodeFormat] = CodeFormat.QD20

    def __post_init__(self) -> None:
        groups = self.groups
        if not isinstance(groups, tuple) or not groups:
            raise CodeError(
                "Mã định danh không hợp lệ: phải có ít nhất nhóm cấp 1",
                "Invalid agency code: at least the level-1 group is required",
            )
        if not (isinstance(groups[0], str) and _QD20_LEVEL1_RE.fullmatch(groups[0])):
            raise CodeError(
                "Mã định danh không hợp lệ: nhóm cấp 1 phải có dạng chữ cái A–Y + 2 chữ số "
                "(R-ID-03)",
                "Invalid agency code: level-1 group must be a letter A–Y and two digits (R-ID-03)",
            )
        for index, group in enumerate(groups[1:], start=2):
            if not (isinstance(group, str) and _QD20_GROUP_RE.fullmatch(group)):
                raise CodeError(
                    f"Mã định danh không hợp lệ: nhóm thứ {index} phải gồm chữ số hoặc chữ in "
                    "hoa (0-9, A-Z) và không được để trống",
                    f"Invalid agency code: group {index} must be non-empty and contain only "
                    "0-9 and A-Z",
                )
        length = len(".".join(groups))
        if length > QD20_MAX_LENGTH:
            raise CodeError(
                f"Mã định danh không hợp lệ: dài {length} ký tự, tối đa {QD20_MAX_LENGTH} "
                "(R-ID-03)",
                f"Invalid agency code: {length} characters long, at most {QD20_MAX_LENGTH} "
                "(R-ID-03)",
            )

    @classmethod
    def parse(cls, text: str) -> Qd20Code:
        """Parse a Decision 20/2020 code (surrounding spaces stripped, letters upper-cased)."""
        normalized = _normalize(text, "Mã định danh", "Agency code")
        if not _QD20_CHARS_RE.fullmatch(normalized):
            raise CodeError(
                f"Mã định danh chỉ được chứa dấu chấm, chữ số và chữ in hoa: {normalized!r}",
                f"Agency code may only contain '.', digits and upper-case letters: {normalized!r}",
            )
        return cls(tuple(normalized.split(".")))

    def __str__(self) -> str:
        return ".".join(self.groups)

    @property
    def level1(self) -> str:
        """The level-1 code (first group)."""
        return self.groups[0]

    @property
    def depth(self) -> int:
        """Number of levels (groups)."""
        return len(self.groups)

    def parent(self) -> Qd20Code | None:
        """The unit one level up (last group dropped); ``None`` for a level-1 body."""
        if len(self.groups) == 1:
            return None
        return Qd20Code(self.groups[:-1])

    def child(self, group: str) -> Qd20Code:
        """The child unit ``group`` one level down (appended on the right)."""
        normalized = _normalize(group, "Nhóm mã đơn vị con", "Child unit group")
        return Qd20Code((*self.groups, normalized))

    def is_ancestor_of(self, other: AgencyCode) -> bool:
        """True when ``other`` is a strict descendant of this unit (same format only, R-ID-05)."""
        if not isinstance(other, Qd20Code):
            return False
        n = len(self.groups)
        return len(other.groups) > n and other.groups[:n] == self.groups


AgencyCode = Qcvn102Code | Qd20Code
"""Either agency code format; inspect ``.format`` before reasoning about hierarchy (R-ID-05)."""


def detect_format(text: str) -> CodeFormat:
    """Tell which format ``text`` is in (QCVN 102 tried first); :class:`CodeError` if neither.

    The two syntaxes are disjoint: QCVN 102 codes start with three digits, Decision 20 codes with
    a letter.
    """
    normalized = _normalize(text, "Mã định danh", "Agency code")
    if _QCVN102_RE.fullmatch(normalized):
        return CodeFormat.QCVN102
    Qd20Code.parse(normalized)  # raises CodeError with the precise reason
    return CodeFormat.QD20


def parse_agency_code(text: str, fmt: CodeFormat | None = None) -> AgencyCode:
    """Parse an agency code in format ``fmt``, or auto-detect it when ``fmt`` is ``None``."""
    if fmt is None:
        fmt = detect_format(text)
    if fmt == CodeFormat.QCVN102:
        return Qcvn102Code.parse(text)
    if fmt == CodeFormat.QD20:
        return Qd20Code.parse(text)
    raise CodeError(  # pragma: no cover - exhaustive over CodeFormat
        f"Định dạng mã định danh không được hỗ trợ: {fmt!r}",
        f"Unsupported agency code format: {fmt!r}",
    )
