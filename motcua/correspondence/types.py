"""Document types, symbols and the number line (R-DOC-02, R-DOC-03, R-DOC-05), pure.

The list of types is versioned data: a document stores the version it was typed with, so a
later list (a new decree) never renames an issued document. ``"2020"`` is Decree 30/2020/NĐ-CP
Appendix III (replacing the 2011 circular's GN/TTh/NP abbreviations).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class DocType:
    code: str  # stable key stored on documents
    name: str  # Vietnamese type name as printed above the summary
    abbreviation: str  # "" for công văn and thư công (R-DOC-02)
    normative: bool = False  # a legal normative document: its own number series (R-DOC-05)
    copy: bool = False  # a copy (sao y, trích sao, sao lục): one yearly copy series (R-DOC-18)


def _t(code: str, name: str, abbreviation: str, **flags: bool) -> DocType:
    return DocType(code, name, abbreviation, **flags)


#: R-DOC-02: Decree 30/2020 Art. 7 and Appendix III, in the decree's order.
TYPES_2020: Final[tuple[DocType, ...]] = (
    _t("nghi_quyet", "Nghị quyết", "NQ"),
    _t("quyet_dinh", "Quyết định", "QĐ"),
    _t("chi_thi", "Chỉ thị", "CT"),
    _t("quy_che", "Quy chế", "QC"),
    _t("quy_dinh", "Quy định", "QyĐ"),
    _t("thong_cao", "Thông cáo", "TC"),
    _t("thong_bao", "Thông báo", "TB"),
    _t("huong_dan", "Hướng dẫn", "HD"),
    _t("chuong_trinh", "Chương trình", "CTr"),
    _t("ke_hoach", "Kế hoạch", "KH"),
    _t("phuong_an", "Phương án", "PA"),
    _t("de_an", "Đề án", "ĐA"),
    _t("du_an", "Dự án", "DA"),
    _t("bao_cao", "Báo cáo", "BC"),
    _t("bien_ban", "Biên bản", "BB"),
    _t("to_trinh", "Tờ trình", "TTr"),
    _t("hop_dong", "Hợp đồng", "HĐ"),
    _t("cong_dien", "Công điện", "CĐ"),
    _t("ban_ghi_nho", "Bản ghi nhớ", "BGN"),
    _t("ban_thoa_thuan", "Bản thỏa thuận", "BTT"),
    _t("giay_uy_quyen", "Giấy ủy quyền", "GUQ"),
    _t("giay_moi", "Giấy mời", "GM"),
    _t("giay_gioi_thieu", "Giấy giới thiệu", "GGT"),
    _t("giay_nghi_phep", "Giấy nghỉ phép", "GNP"),
    _t("phieu_gui", "Phiếu gửi", "PG"),
    _t("phieu_chuyen", "Phiếu chuyển", "PC"),
    _t("phieu_bao", "Phiếu báo", "PB"),
    _t("cong_van", "Công văn", ""),
    _t("thu_cong", "Thư công", ""),
    _t("ban_sao_y", "Bản sao y", "SY", copy=True),
    _t("ban_trich_sao", "Bản trích sao", "TrS", copy=True),
    _t("ban_sao_luc", "Bản sao lục", "SL", copy=True),
)

CURRENT_VERSION: Final = "2020"
VERSIONS: Final[dict[str, tuple[DocType, ...]]] = {"2020": TYPES_2020}


class UnknownType(LookupError):
    pass


def doc_type(code: str, version: str = CURRENT_VERSION) -> DocType:
    """The type ``code`` of list ``version``; :class:`UnknownType` when absent."""
    for item in VERSIONS.get(version, ()):
        if item.code == code:
            return item
    raise UnknownType(code)


def number_text(number: int) -> str:
    """R-DOC-03: numbers below 10 take a leading zero (``05``); others as they are."""
    if number < 1:
        raise ValueError("document numbers start at 01")
    return f"{number:02d}"


def symbol(kind: DocType, body_abbreviation: str, unit_abbreviation: str = "") -> str:
    """R-DOC-03: ``QĐ-UBND`` (type abbreviation - body abbreviation), and for a document
    without type abbreviation (công văn) ``UBND-VP`` (body - drafting unit or field). No
    spaces; groups joined by "-"."""
    body = body_abbreviation.replace(" ", "")
    if kind.abbreviation:
        return f"{kind.abbreviation}-{body}"
    unit = unit_abbreviation.replace(" ", "")
    return f"{body}-{unit}" if unit else body


def number_symbol(number: int | None, sym: str) -> str:
    """``Số: 15/QĐ-UBND``; before numbering the number is left blank for the clerk."""
    return f"Số: {number_text(number)}/{sym}" if number else f"Số:      /{sym}"


#: Series names (R-DOC-05): the body's main series; one per normative type; secret documents;
#: copies (R-DOC-18). Councils, boards and teams get ``board:<abbreviation>``.
MAIN_SERIES: Final = "main"
SECRET_SERIES: Final = "secret"  # noqa: S105 - a series name, not a password
COPY_SERIES: Final = "copy"


def series_for(kind: DocType, *, secret: bool, board: str = "") -> str:
    """The number series a released document draws from (R-DOC-05, R-DOC-18)."""
    if secret:
        return SECRET_SERIES
    if kind.copy:
        return COPY_SERIES
    if kind.normative:
        return f"normative:{kind.code}"
    if board:
        return f"board:{board}"
    return MAIN_SERIES
