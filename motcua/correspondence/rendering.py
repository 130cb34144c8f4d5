"""The outgoing document as PDF in the layout of Decree 30/2020 Appendix I (R-DOC-01, R-DOC-04).

A4, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; a Times New Roman-metric serif
(Liberation Serif, TCVN 6909 Unicode) when the system has it, else Be Vietnam Pro. The number
line and the date line are left blank when the signer signs: the clerk writes them at release
(R-DOC-05: electronic documents are numbered by the system at issue), at the positions this
renderer reports in :class:`Layout`, and the two signature fields go where it says too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from motcua.core.fonts import add_be_vietnam_pro
from motcua.core.text import nfc

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
#: Serif faces tried in order (R-DOC-01 asks for Times New Roman, TCVN 6909 Unicode): the first
#: family whose four faces hold every Vietnamese letter is used, else Be Vietnam Pro. Liberation
#: Serif (Times metrics) qualifies from version 2.1; Debian's older build lacks the letters with
#: two diacritics, and DejaVu Serif Condensed has them all.
SERIF_CANDIDATES: tuple[tuple[Path, dict[str, str]], ...] = (
    (
        Path("/usr/share/fonts/truetype/liberation"),
        {
            "": "LiberationSerif-Regular.ttf",
            "B": "LiberationSerif-Bold.ttf",
            "I": "LiberationSerif-Italic.ttf",
            "BI": "LiberationSerif-BoldItalic.ttf",
        },
    ),
    (
        Path("/usr/share/fonts/truetype/dejavu"),
        {
            "": "DejaVuSerifCondensed.ttf",
            "B": "DejaVuSerifCondensed-Bold.ttf",
            "I": "DejaVuSerifCondensed-Italic.ttf",
            "BI": "DejaVuSerifCondensed-BoldItalic.ttf",
        },
    ),
)
VIETNAMESE = (
    "ĐđĂăÂâÊêÔôƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệ"
    "ỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"
)


@functools.cache
def serif_faces() -> dict[str, Path] | None:
    """The four faces of the first serif family that writes Vietnamese, or None."""
    needed = {ord(ch) for ch in VIETNAMESE}
    for directory, files in SERIF_CANDIDATES:
        paths = {style: directory / name for style, name in files.items()}
        if all(p.exists() for p in paths.values()) and all(
            needed <= set(TTFont(str(p), lazy=True).getBestCmap()) for p in paths.values()
        ):
            return paths
    return None


def serif_font_path(style: str = "") -> Path | None:
    faces = serif_faces()
    return faces[style] if faces else None


def add_serif(pdf: FPDF) -> str:
    faces = serif_faces()
    if faces is None:
        return add_be_vietnam_pro(pdf)
    for style, path in faces.items():
        pdf.add_font("Serif", style, str(path))
    return "Serif"


PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 30.0, 15.0, 20.0, 20.0
LEFT_COL = 75.0  # width of the issuing-body column
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Box:
    """A rectangle on page ``page`` (0-based) in PDF points from the bottom-left corner."""

    page: int
    x: float
    y: float
    w: float
    h: float

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x), round(self.y), round(self.x + self.w), round(self.y + self.h))


@dataclass(frozen=True)
class Layout:
    """Where the clerk writes the number and the date, and where the signatures go."""

    number_box: Box
    date_box: Box
    signer_box: Box
    seal_box: Box

    def as_dict(self) -> dict[str, list[float]]:
        return {
            name: [b.page, b.x, b.y, b.w, b.h]
            for name, b in (
                ("number", self.number_box),
                ("date", self.date_box),
                ("signer", self.signer_box),
                ("seal", self.seal_box),
            )
        }

    @classmethod
    def from_dict(cls, data: dict[str, list[float]]) -> Layout:
        def box(values: list[float]) -> Box:
            page, x, y, w, h = values
            return Box(int(page), x, y, w, h)

        return cls(box(data["number"]), box(data["date"]), box(data["signer"]), box(data["seal"]))


@dataclass(frozen=True)
class OutgoingData:
    superior_body: str  # e.g. "UBND THÀNH PHỐ CẦN THƠ" (may be "")
    body: str  # e.g. "SỞ TƯ PHÁP"
    type_name: str  # "Quyết định", "" for a công văn
    summary: str
    content: str
    signing_mark: str  # "TM.", "KT.", "" …
    signer_position: str
    signer_name: str
    recipients: list[str] = field(default_factory=list)
    filing: str = "Lưu: VT."
    urgency_mark: str = ""  # "HỎA TỐC", "THƯỢNG KHẨN", "KHẨN"
    security_mark: str = ""  # "LƯU HÀNH NỘI BỘ" (secret documents are never rendered)
    number_line: str = ""  # filled only for previews: "Số: 05/QĐ-UBND"
    date_line: str = ""  # likewise: "Cần Thơ, ngày 05 tháng 01 năm 2026"


def _pt_box(page: int, x: float, y_top: float, size: tuple[float, float]) -> Box:
    """mm from the top-left (fpdf) to points from the bottom-left (PDF)."""
    w, h = size
    return Box(page, x * PT_PER_MM, (PAGE_H - y_top - h) * PT_PER_MM, w * PT_PER_MM, h * PT_PER_MM)


def render_outgoing(data: OutgoingData) -> tuple[bytes, Layout]:
    """The document's PDF and the layout of its blanks and signature fields."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    family = add_serif(pdf)
    pdf.add_page()
    number_box, date_box, y = _header(pdf, family, data)
    _text(pdf, family, data, y)
    signer_box, seal_box = _closing(pdf, family, data)
    return bytes(pdf.output()), Layout(number_box, date_box, signer_box, seal_box)


def _header(pdf: FPDF, family: str, data: OutgoingData) -> tuple[Box, Box, float]:
    """Body and number (left), national title and date (right); blanks' boxes; next y."""
    right_x = LEFT + LEFT_COL
    right_w = PAGE_W - RIGHT - right_x
    # Left column: superior body (regular), body (bold), a short rule, then the number line.
    pdf.set_xy(LEFT - 5, TOP)
    pdf.set_font(family, "", 12.5)
    if data.superior_body:
        pdf.cell(LEFT_COL + 5, 5.5, nfc(data.superior_body.upper()), align=Align.C)
        pdf.set_xy(LEFT - 5, pdf.get_y() + 5.5)
    pdf.set_font(family, "B", 12.5)
    pdf.multi_cell(LEFT_COL + 5, 5.5, nfc(data.body.upper()), align=Align.C)
    rule_y = pdf.get_y() + 0.5
    center = LEFT - 5 + (LEFT_COL + 5) / 2
    pdf.line(center - 12, rule_y, center + 12, rule_y)
    number_top = rule_y + 2.5
    pdf.set_font(family, "", 13)
    pdf.set_xy(LEFT - 5, number_top)
    pdf.cell(LEFT_COL + 5, 6.5, nfc(data.number_line), align=Align.C)
    number_box = _pt_box(0, LEFT - 5, number_top, (LEFT_COL + 5, 6.5))
    # Right column: national title (bold 12.5), motto (bold 13) with a rule, then the date line.
    pdf.set_xy(right_x, TOP)
    pdf.set_font(family, "B", 12.5)
    pdf.cell(right_w, 5.5, MOTTO, align=Align.C)
    pdf.set_xy(right_x, TOP + 5.5)
    pdf.set_font(family, "B", 13)
    pdf.cell(right_w, 6, MOTTO_2, align=Align.C)
    motto_w = pdf.get_string_width(MOTTO_2)
    mid = right_x + right_w / 2
    pdf.line(mid - motto_w / 2, TOP + 11.8, mid + motto_w / 2, TOP + 11.8)
    pdf.set_font(family, "I", 13)
    pdf.set_xy(right_x, number_top)
    pdf.cell(right_w, 6.5, nfc(data.date_line), align=Align.C)
    date_box = _pt_box(0, right_x, number_top, (right_w, 6.5))
    return number_box, date_box, number_top + 6.5 + 4


def _text(pdf: FPDF, family: str, data: OutgoingData, y: float) -> None:
    """Marks, type name and summary, then the content."""
    # Urgency / internal circulation marks (R-DOC-01 optional parts), under the number.
    if data.urgency_mark or data.security_mark:
        pdf.set_font(family, "B", 13)
        pdf.set_xy(LEFT, y)
        marks = " · ".join(m for m in (data.urgency_mark, data.security_mark) if m)
        pdf.cell(LEFT_COL, 6, nfc(marks), align=Align.L)
        y += 7
    # Type name and summary, centred; a công văn has its summary under the number instead.
    width = PAGE_W - LEFT - RIGHT
    pdf.set_xy(LEFT, y + 2)
    if data.type_name:
        pdf.set_font(family, "B", 14)
        pdf.cell(width, 7, nfc(data.type_name.upper()), align=Align.C,
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        pdf.multi_cell(width, 6.5, nfc(data.summary), align=Align.C)
    else:
        pdf.set_font(family, "", 12)
        pdf.set_x(LEFT - 5)
        pdf.multi_cell(LEFT_COL + 5, 5.5, nfc(f"V/v {data.summary}"), align=Align.C)
    rule = pdf.get_y() + 1
    mid = LEFT + width / 2
    pdf.line(mid - 15, rule, mid + 15, rule)
    pdf.set_y(rule + 5)
    # Content, justified, first line indented.
    pdf.set_font(family, "", 14)
    for paragraph in nfc(data.content).split("\n"):
        if paragraph.strip():
            pdf.multi_cell(width, 7, "      " + paragraph.strip(), align=Align.J)
            pdf.ln(1.5)


def _closing(pdf: FPDF, family: str, data: OutgoingData) -> tuple[Box, Box]:
    """Recipients (left) and the signer block (right); the two signature boxes."""
    right_x = LEFT + LEFT_COL
    right_w = PAGE_W - RIGHT - right_x
    if pdf.get_y() > PAGE_H - BOTTOM - 70:
        pdf.add_page()
    top = pdf.get_y() + 4
    page = pdf.page - 1
    pdf.set_xy(LEFT, top)
    pdf.set_font(family, "BI", 12)
    pdf.cell(LEFT_COL, 5.5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(family, "", 11)
    for line in data.recipients:
        pdf.set_x(LEFT)
        pdf.multi_cell(LEFT_COL, 5, nfc(f"- {line};"))
    pdf.set_x(LEFT)
    pdf.multi_cell(LEFT_COL, 5, nfc(f"- {data.filing}"))
    pdf.set_xy(right_x, top)
    pdf.set_font(family, "B", 13)
    mark = f"{data.signing_mark} " if data.signing_mark else ""
    pdf.multi_cell(right_w, 6, nfc(f"{mark}{data.signer_position}".upper()), align=Align.C)
    # R-DOC-10: the signer's image centred between position and name; the seal overlapping
    # about one third of it on its left.
    sign_top = pdf.get_y() + 1
    sign_h = 24.0
    signer_w = 40.0
    signer_x = right_x + (right_w - signer_w) / 2
    signer_box = _pt_box(page, signer_x, sign_top, (signer_w, sign_h))
    seal_d = 36.0  # a seal's real size, about 36 mm
    seal_x = signer_x + signer_w / 3 - seal_d
    seal_box = _pt_box(page, seal_x, sign_top + sign_h / 2 - seal_d / 2, (seal_d, seal_d))
    pdf.set_xy(right_x, sign_top + sign_h + 2)
    pdf.set_font(family, "B", 14)
    pdf.cell(right_w, 7, nfc(data.signer_name), align=Align.C)
    return signer_box, seal_box
