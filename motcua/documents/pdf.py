"""The forms as PDF (fpdf2): real text in embedded Be Vietnam Pro, never images of text, so every
diacritic survives, a screen reader can read the slip and an officer can copy the dossier code.

Each ``render_formNN(data)`` takes the plain dataclass of ``forms.py`` and returns PDF bytes laid
out on the paper of its template (``FORMS``): A5 for Forms 01–05, A4 for the control sheet and
A4 landscape for the tracking book. Long text wraps; tables break across pages and repeat their
header row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from fpdf import FPDF
from fpdf.enums import Align, TableHeadingsDisplay, XPos, YPos
from fpdf.fonts import FontFace

from motcua.core.fonts import add_be_vietnam_pro
from motcua.core.text import nfc
from motcua.documents.forms import (
    FORMS,
    Applicant,
    ComponentLine,
    Form01Data,
    Form02Data,
    Form03Data,
    Form04Data,
    Form05Data,
    Form06Data,
    Form07Data,
    FormTemplate,
    Issuer,
    Orientation,
    Paper,
)
from motcua.documents.qr import QUIET_ZONE, qr_modules
from motcua.documents.wording import (
    moment_text,
    place_date_line,
    place_of,
    short_date,
    short_moment,
)

INK = (20, 20, 20)
MUTED = (90, 90, 90)
RULE = (120, 120, 120)
HEAD_FILL = (235, 235, 235)
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
SIGN_HINT = "(Ký và ghi rõ họ tên)"

_PAPER_MM = {Paper.A5: (148.0, 210.0), Paper.A4: (210.0, 297.0)}


@dataclass(frozen=True)
class _Style:
    """Type sizes (pt) and line height (mm) of a paper size."""

    body: float
    small: float
    title: float
    header: float
    line: float


_A5 = _Style(body=8.5, small=6.8, title=10.5, header=7.5, line=4.0)
_A4 = _Style(body=10, small=7.5, title=13, header=9.5, line=5.0)


@dataclass(frozen=True)
class _Signature:
    title: str
    name: str = ""
    hint: str = SIGN_HINT


class _FormPDF(FPDF):
    def __init__(self, template: FormTemplate, *, page_numbers: bool = False) -> None:
        # Explicit millimetres: fpdf2 warns on the named "A5" format (its size changed in 2.8.5).
        super().__init__(
            orientation=template.orientation.value, unit="mm", format=_PAPER_MM[template.paper]
        )
        self.template = template
        self.page_numbers = page_numbers
        self.s = _A5 if template.paper == Paper.A5 else _A4
        self.font = add_be_vietnam_pro(self)
        if template.paper == Paper.A5:
            self.set_margins(14, 11, 12)
            self.set_auto_page_break(auto=True, margin=10)
        elif template.orientation == Orientation.LANDSCAPE:
            self.set_margins(10, 14, 10)
            self.set_auto_page_break(auto=True, margin=12)
        else:
            self.set_margins(20, 15, 15)
            self.set_auto_page_break(auto=True, margin=15)
        self.set_title(template.title_vi)
        self.set_subject(template.small_print)
        self.set_lang("vi")
        self.set_creator("Motcua")
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)

    # ----------------------------------------------------------------- page furniture

    def lines(self, width: float, height: float, text: str, *, align: Align = Align.L) -> None:
        """A wrapped block of text; the cursor moves to the left margin below it."""
        self.multi_cell(width, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def header(self) -> None:
        """Form number and legal basis in small print at the top right of every page."""
        self.set_xy(self.l_margin, 5)
        self.set_font(self.font, "I", self.s.small - 0.5)
        self.set_text_color(*MUTED)
        self.cell(self.content_width, 3.5, self.template.small_print, align=Align.R)
        self.set_text_color(*INK)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        if not self.page_numbers:
            return
        self.set_y(-9)
        self.set_font(self.font, "", self.s.small - 0.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"Trang {self.page_no()}/{{nb}}", align=Align.C)
        self.set_text_color(*INK)

    def national_header(self, issuer: Issuer, *, place_date: str, number: str = "") -> None:
        """Issuing unit on the left, national motto on the right, then number and date line."""
        top = self.get_y()
        size = self.s.header
        line = size * 0.45
        left_w = self.content_width * 0.46
        right_w = self.content_width - left_w
        right_x = self.l_margin + left_w

        self.set_xy(self.l_margin, top)
        if issuer.parent_name:
            self.set_font(self.font, "", size)
            self._centered(nfc(issuer.parent_name).upper(), left_w, line)
        self.set_font(self.font, "B", size)
        self._centered(nfc(issuer.unit_name).upper(), left_w, line)
        left_bottom = self._underline(self.l_margin, left_w, self.get_y(), 0.35)

        self.set_xy(right_x, top)
        self.set_font(self.font, "B", size)
        self._centered(MOTTO, right_w, line, x=right_x)
        self.set_font(self.font, "B", size + 0.5)
        self._centered(MOTTO_2, right_w, line + 0.3, x=right_x)
        right_bottom = self._underline(
            right_x, right_w, self.get_y(), self.get_string_width(MOTTO_2) / right_w
        )

        y = max(left_bottom, right_bottom) + 1.5
        self.set_xy(self.l_margin, y)
        self.set_font(self.font, "", size)
        bottom = y + line
        if number:
            self.lines(left_w, line + 0.4, number, align=Align.C)
            bottom = max(bottom, self.get_y())
        self.set_xy(right_x, y)
        self.set_font(self.font, "I", size)
        self.lines(right_w, line + 0.4, nfc(place_date), align=Align.C)
        self.set_xy(self.l_margin, max(bottom, self.get_y()) + 3)

    def _centered(self, text: str, width: float, height: float, *, x: float | None = None) -> None:
        self.multi_cell(
            width, height, text, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT, padding=0
        )
        if x is not None:
            self.set_x(x)

    def _underline(self, x: float, width: float, y: float, share: float) -> float:
        """A short centred rule under a header block; returns the y below it."""
        length = width * min(max(share, 0.2), 0.9)
        start = x + (width - length) / 2
        self.set_draw_color(*INK)
        self.line(start, y + 0.8, start + length, y + 0.8)
        self.set_draw_color(*RULE)
        return y + 1.6

    def form_title(self, title: str, subtitle: str = "") -> None:
        self.set_font(self.font, "B", self.s.title)
        self.lines(0, self.s.title * 0.5, title, align=Align.C)
        if subtitle:
            self.set_font(self.font, "I", self.s.body)
            self.lines(0, self.s.line, nfc(subtitle), align=Align.C)
        self.ln(2.5)

    # ----------------------------------------------------------------- body text

    def field(self, label: str, value: str, *, bold_value: bool = False) -> None:
        """``label`` in bold followed by ``value``, wrapping at word boundaries as one paragraph."""
        size = self.s.body
        self.set_x(self.l_margin)
        leading = self.s.line / (size * 25.4 / 72)
        with (
            self.text_columns(text_align=Align.L, line_height=leading) as columns,
            columns.paragraph() as par,
        ):
            self.set_font(self.font, "B", size)
            par.write(label + (" " if value else ""))
            self.set_font(self.font, "B" if bold_value else "", size)
            par.write(nfc(value))
        self.set_x(self.l_margin)

    def fields(self, *pairs: tuple[str, str]) -> None:
        for label, value in pairs:
            if value:
                self.field(label, value)

    def paragraph(
        self,
        text: str,
        *,
        gap: float = 0,
        style: str = "",
        size: float | None = None,
        muted: bool = False,
        indent: float = 0,
        align: Align = Align.L,
    ) -> None:
        self.set_font(self.font, style, size or self.s.body)
        self.set_text_color(*(MUTED if muted else INK))
        self.set_x(self.l_margin + indent)
        height = (size or self.s.body) * 0.49
        self.lines(self.content_width - indent, height, nfc(text), align=align)
        self.set_text_color(*INK)
        self.ln(gap)

    def applicant_fields(self, applicant: Applicant) -> None:
        self.fields(("Địa chỉ:", applicant.address))
        contact = "; ".join(
            part
            for part in (
                applicant.id_number and f"Số định danh cá nhân: {applicant.id_number}",
                applicant.phone and f"Điện thoại: {applicant.phone}",
                applicant.email and f"Email: {applicant.email}",
            )
            if part
        )
        if contact:
            self.paragraph(contact)

    def component_table(self, components: Sequence[ComponentLine]) -> None:
        self._table(
            ("STT", "Tên giấy tờ", "Hình thức", "Số lượng"),
            [
                (str(n), nfc(c.name), nfc(c.requirement_label), f"{c.quantity:02d}")
                for n, c in enumerate(components, start=1)
            ],
            widths=(9, 67, 30, 16),
            aligns=("C", "L", "C", "C"),
        )

    def _table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float],
        aligns: Sequence[str],
        size: float | None = None,
        heading_size: float | None = None,
        padding: tuple[float, float] = (0.9, 1.2),
        row_min_height: float | None = None,
    ) -> None:
        size = size or self.s.body - 1
        self.set_font(self.font, "", size)
        with self.table(
            width=self.content_width,
            col_widths=tuple(widths),
            text_align=tuple(aligns),
            line_height=size * 0.46,
            padding=padding,
            headings_style=FontFace(
                emphasis="BOLD", fill_color=HEAD_FILL, size_pt=heading_size or size
            ),
            repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
            v_align="TOP",
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(text, align=Align.C, v_align="MIDDLE")
            for values in rows:
                row = table.row(min_height=row_min_height)
                for text in values:
                    row.cell(text)
        self.ln(2)

    def signatures(self, blocks: Sequence[_Signature], *, space: float = 16) -> None:
        """Signature blocks side by side, kept together on one page."""
        size = self.s.body
        height = size * 0.5 + (size - 1) * 0.45 + space + size * 0.5
        if self.will_page_break(height + 1):
            self.add_page()
        self.ln(1)
        top = self.get_y()
        # A lone signer (head of the unit) signs on the right half, as on every official letter.
        slots = max(len(blocks), 2)
        width = self.content_width / slots
        bottom = top
        for i, block in enumerate(blocks, start=slots - len(blocks)):
            x = self.l_margin + i * width
            self.set_xy(x, top)
            self.set_font(self.font, "B", size)
            self._centered(block.title, width, size * 0.5, x=x)
            self.set_font(self.font, "I", size - 1)
            self._centered(block.hint, width, size * 0.45, x=x)
            self.set_y(self.get_y() + space)
            self.set_x(x)
            self.set_font(self.font, "B", size)
            self._centered(nfc(block.name), width, size * 0.5, x=x)
            bottom = max(bottom, self.get_y())
        self.set_xy(self.l_margin, bottom + 2)

    def draw_qr(self, url: str, x: float, y: float, size: float) -> None:
        """The QR of ``url`` as vector squares (sharp at any print resolution), quiet zone
        included in ``size``."""
        modules = qr_modules(url)
        count = len(modules)
        unit = size / (count + 2 * QUIET_ZONE)
        origin_x = x + QUIET_ZONE * unit
        origin_y = y + QUIET_ZONE * unit
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(modules):
            c = 0
            while c < count:
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < count and row[c]:
                    c += 1
                # Rows overlap by a hair so no white seam shows between them when rasterised.
                self.rect(
                    origin_x + start * unit,
                    origin_y + r * unit,
                    (c - start) * unit,
                    unit + 0.01,
                    style="F",
                )
        self.set_fill_color(255, 255, 255)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def _place_date(issuer: Issuer, at: date | datetime) -> str:
    return place_date_line(place_of(nfc(issuer.province_name)), at)


# --------------------------------------------------------------------------- Form 01


def render_form01(data: Form01Data) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả: code as text + QR, times as "… giờ … phút,
    ngày …" in local time (R-FORM-05, R-ID-13)."""
    template = FORMS["01"]
    pdf = _FormPDF(template)
    pdf.add_page()
    pdf.national_header(
        data.issuer,
        place_date=_place_date(data.issuer, data.received_at),
        number=f"Vào sổ: {nfc(data.book_ref)}" if data.book_ref else "",
    )
    pdf.form_title(template.title_vi.upper())

    # Code block: the code as text on the left, the QR of the tracking URL on the right.
    qr_size = 22.0
    top = pdf.get_y()
    text_w = pdf.content_width - qr_size - 3
    pdf.set_font(pdf.font, "", pdf.s.body)
    pdf.lines(text_w, pdf.s.line, "Mã hồ sơ:")
    pdf.set_font(pdf.font, "B", pdf.s.title + 1)
    pdf.lines(text_w, pdf.s.title * 0.55, data.dossier_code)
    pdf.ln(0.8)
    pdf.set_font(pdf.font, "", pdf.s.small)
    pdf.set_text_color(*MUTED)
    pdf.lines(
        text_w,
        pdf.s.small * 0.45,
        f"Quét mã QR hoặc truy cập {data.tracking_url} để tra cứu tình trạng hồ sơ.",
    )
    pdf.set_text_color(*INK)
    pdf.draw_qr(data.tracking_url, pdf.w - pdf.r_margin - qr_size, top - 2, qr_size)
    pdf.set_y(max(pdf.get_y(), top + qr_size - 2) + 1.5)

    pdf.field(
        f"{nfc(data.issuer.unit_name)} tiếp nhận hồ sơ của:", data.applicant.name, bold_value=True
    )
    pdf.applicant_fields(data.applicant)
    pdf.field("Nội dung yêu cầu giải quyết:", data.procedure_name)
    pdf.ln(1)
    pdf.field("1. Thành phần hồ sơ nộp gồm:", "")
    pdf.component_table(data.components)
    pdf.field("2. Số lượng hồ sơ:", f"{data.dossier_sets:02d} (bộ).")
    pdf.field("3. Thời gian giải quyết hồ sơ theo quy định:", data.statutory_time_text)
    pdf.field("4. Thời gian nhận hồ sơ:", moment_text(data.received_at))
    pdf.field(
        "5. Thời gian trả kết quả giải quyết hồ sơ:", moment_text(data.due_at), bold_value=True
    )
    pdf.field("6. Đăng ký nhận kết quả tại:", data.return_place_text)
    pdf.ln(1)
    pdf.paragraph(
        "Lưu ý: Kết quả có thể được trả sớm hơn ngày hẹn và sẽ được báo qua tin nhắn hoặc thư "
        "điện tử; tra cứu tình trạng hồ sơ bằng mã hồ sơ hoặc mã QR. Khi nhận kết quả, mang "
        "theo giấy này và giấy tờ tùy thân; nhận thay phải có văn bản ủy quyền theo quy định.",
        style="I",
        size=pdf.s.small,
    )
    pdf.signatures(
        [
            _Signature("NGƯỜI NỘP HỒ SƠ", data.applicant.name),
            _Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", data.officer_name),
        ],
        space=11,
    )
    return pdf.output_bytes()


def _kinh_gui(pdf: _FormPDF, applicant: Applicant) -> None:
    pdf.set_font(pdf.font, "", pdf.s.body + 0.5)
    pdf.lines(0, pdf.s.line, f"Kính gửi: Ông/Bà {nfc(applicant.name)}", align=Align.C)
    pdf.ln(1.5)


def _numbered(pdf: _FormPDF, lines: Sequence[str]) -> None:
    for n, line in enumerate(lines, start=1):
        pdf.paragraph(f"{n}. {line}", indent=4)


# --------------------------------------------------------------------------- Form 02


def render_form02(data: Form02Data) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: every item with its reason, once (R-SUP-01)."""
    template = FORMS["02"]
    pdf = _FormPDF(template)
    pdf.add_page()
    pdf.national_header(
        data.issuer,
        place_date=_place_date(data.issuer, data.issued_at),
        number=f"Số: {nfc(data.number)}" if data.number else "",
    )
    pdf.form_title(template.title_vi.upper())
    pdf.field("Hồ sơ của:", data.applicant.name, bold_value=True)
    pdf.applicant_fields(data.applicant)
    pdf.fields(("Mã hồ sơ:", data.dossier_code))
    pdf.field("Nội dung yêu cầu giải quyết:", data.procedure_name)
    pdf.ln(1)
    pdf.paragraph(
        "Sau khi xem xét, đối chiếu với quy định, hồ sơ của Ông/Bà cần bổ sung, hoàn thiện "
        "những nội dung sau:"
    )
    pdf.ln(1)
    rows = []
    for n, item in enumerate(data.items, start=1):
        detail = ", ".join(
            part
            for part in (
                nfc(item.requirement_label),
                f"{item.quantity:02d} bản" if item.quantity else "",
            )
            if part
        )
        name = nfc(item.name) + (f" ({detail})" if detail else "")
        rows.append((str(n), name, nfc(item.reason)))
    pdf._table(
        ("STT", "Thành phần hồ sơ cần bổ sung, hoàn thiện", "Lý do"),
        rows,
        widths=(9, 56, 57),
        aligns=("C", "L", "L"),
    )
    contact = nfc(data.officer_name)
    if data.contact_phone:
        contact += f", số điện thoại {nfc(data.contact_phone)}"
    pdf.paragraph(
        "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
        f"{contact} để được hướng dẫn."
    )
    pdf.signatures(
        [
            _Signature("NGƯỜI NỘP HỒ SƠ", data.applicant.name),
            _Signature("NGƯỜI HƯỚNG DẪN", data.officer_name),
        ],
        space=12,
    )
    return pdf.output_bytes()


# --------------------------------------------------------------------------- Form 03


def render_form03(data: Form03Data) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ: each specific reason (R-RCV-07)."""
    template = FORMS["03"]
    pdf = _FormPDF(template)
    pdf.add_page()
    pdf.national_header(
        data.issuer,
        place_date=_place_date(data.issuer, data.issued_at),
        number=f"Số: {nfc(data.number)}" if data.number else "",
    )
    pdf.form_title(template.title_vi.upper())
    unit = nfc(data.issuer.unit_name)
    pdf.field(f"{unit} tiếp nhận hồ sơ của:", data.applicant.name, bold_value=True)
    pdf.applicant_fields(data.applicant)
    pdf.fields(("Mã hồ sơ:", data.dossier_code))
    pdf.field("Nội dung yêu cầu giải quyết:", data.procedure_name)
    pdf.ln(1)
    pdf.paragraph(
        f"Sau khi nghiên cứu, đối chiếu với các quy định hiện hành, {unit} từ chối tiếp nhận, "
        "giải quyết hồ sơ này với lý do cụ thể như sau:"
    )
    _numbered(pdf, [nfc(r) for r in data.reasons])
    if data.contact_text:
        pdf.ln(1)
        pdf.field("Thông tin, hướng dẫn:", data.contact_text)
    pdf.ln(1)
    pdf.paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.")
    pdf.signatures(
        [
            _Signature("NGƯỜI NỘP HỒ SƠ", data.applicant.name),
            _Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", data.officer_name),
        ],
        space=12,
    )
    return pdf.output_bytes()


# --------------------------------------------------------------------------- Form 04


def render_form04(data: Form04Data) -> bytes:
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (R-LATE-04, R-LATE-05): original
    appointment, status, reason and agency at fault, apology, new date and place, signer."""
    template = FORMS["04"]
    pdf = _FormPDF(template)
    pdf.add_page()
    pdf.national_header(
        data.issuer,
        place_date=_place_date(data.issuer, data.issued_at),
        number=f"Số: {nfc(data.number)}" if data.number else "",
    )
    pdf.form_title(template.title_vi.upper())
    _kinh_gui(pdf, data.applicant)
    unit = nfc(data.issuer.unit_name)
    pdf.applicant_fields(data.applicant)
    pdf.ln(1.2)
    pdf.paragraph(
        gap=1.2,
        text=f"Vào {moment_text(data.received_at)}, {unit} tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ "
        f"{data.dossier_code}, nội dung yêu cầu giải quyết: {nfc(data.procedure_name)}.",
    )
    pdf.field("Thời gian hẹn trả kết quả:", moment_text(data.previous_due_at) + ".")
    pdf.field("Tình trạng hồ sơ hiện nay:", nfc(data.current_status) + ".")
    pdf.paragraph(
        gap=0,
        text=f"Tuy nhiên, đến nay {nfc(data.agency_at_fault)} chưa giải quyết xong hồ sơ "
        "của Ông/Bà.",
    )
    pdf.field("Lý do:", nfc(data.reason).rstrip(".") + ".")
    pdf.ln(1.2)
    pdf.paragraph(
        gap=1.2,
        text="Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, thời gian của Ông/Bà. "
        f"{unit} thành thật xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ.",
    )
    pdf.field(
        "Thời gian hẹn trả kết quả mới:",
        f"{moment_text(data.new_due_at)}, tại {nfc(data.return_place_text)}.",
    )
    pdf.ln(1.2)
    pdf.paragraph("Rất mong nhận được sự thông cảm của Ông/Bà./.")
    pdf.signatures(
        [_Signature(nfc(data.signer_title).upper(), data.signer_name, "(Ký, ghi rõ họ tên)")],
        space=14,
    )
    return pdf.output_bytes()


# --------------------------------------------------------------------------- Form 05


def render_form05(data: Form05Data) -> bytes:
    """Thông báo dừng giải quyết hồ sơ (R-STOP-01, R-STOP-02; Decree 118/2025 Art. 21)."""
    template = FORMS["05"]
    pdf = _FormPDF(template)
    pdf.add_page()
    pdf.national_header(
        data.issuer,
        place_date=_place_date(data.issuer, data.issued_at),
        number=f"Số: {nfc(data.number)}" if data.number else "",
    )
    pdf.form_title(template.title_vi.upper())
    _kinh_gui(pdf, data.applicant)
    unit = nfc(data.issuer.unit_name)
    pdf.applicant_fields(data.applicant)
    pdf.ln(1.2)
    if data.requested_at is not None:
        pdf.paragraph(
            f"Vào {moment_text(data.requested_at)}, {unit} nhận được yêu cầu dừng giải quyết "
            "hồ sơ của Ông/Bà:"
        )
    else:
        pdf.paragraph(f"{unit} thông báo về hồ sơ của Ông/Bà:")
    pdf.field("Mã hồ sơ:", data.dossier_code)
    pdf.field("Nội dung yêu cầu giải quyết:", data.procedure_name)
    pdf.field("Thời gian tiếp nhận:", moment_text(data.received_at))
    pdf.ln(1.2)
    pdf.paragraph(
        gap=1.2,
        text=f"Căn cứ Điều 21 Nghị định số 118/2025/NĐ-CP, {unit} thông báo dừng giải quyết hồ sơ "
        f"nêu trên kể từ {moment_text(data.stopped_at)}.",
    )
    pdf.field("Lý do:", nfc(data.reason).rstrip(".") + ".")
    pdf.ln(1.2)
    if data.return_place_text:
        pdf.field("Giấy tờ đã nộp (nếu có) được trả lại tại:", nfc(data.return_place_text) + ".")
    pdf.paragraph("Khi có nhu cầu, Ông/Bà có thể nộp lại hồ sơ để được giải quyết theo quy định./.")
    pdf.signatures(
        [_Signature(nfc(data.signer_title).upper(), data.signer_name, "(Ký, ghi rõ họ tên)")],
        space=14,
    )
    return pdf.output_bytes()


# --------------------------------------------------------------------------- Form 06


def render_form06(data: Form06Data) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: the header fields, then one row per
    hand-over, signed by giver and receiver (DOMAIN.md §5.1, 2018 Form 05)."""
    template = FORMS["06"]
    pdf = _FormPDF(template, page_numbers=True)
    pdf.add_page()
    pdf.national_header(data.issuer, place_date=_place_date(data.issuer, data.received_at))
    pdf.form_title(template.title_vi.upper(), f"Mã hồ sơ: {data.dossier_code}")
    pdf.fields(("Cơ quan, bộ phận giải quyết hồ sơ:", data.competent_unit_name))
    pdf.field("Người nộp hồ sơ:", data.applicant.name, bold_value=True)
    pdf.applicant_fields(data.applicant)
    pdf.field("Nội dung yêu cầu giải quyết:", data.procedure_name)
    pdf.field("Thời gian nhận hồ sơ:", moment_text(data.received_at))
    pdf.field("Thời hạn giải quyết theo quy định:", data.statutory_time_text)
    pdf.field("Thời gian hẹn trả kết quả:", moment_text(data.due_at), bold_value=True)
    if data.components:
        pdf.field("Thành phần hồ sơ:", "")
        pdf.component_table(data.components)
    pdf.ln(1)
    rows = []
    for n, step in enumerate(data.steps, start=1):
        giver = f"{n}.1. Giao: {nfc(step.from_unit)}"
        if step.from_person:
            giver += f"\n{nfc(step.from_person)}"
        taker = f"{n}.2. Nhận: {nfc(step.to_unit)}"
        if step.to_person:
            taker += f"\n{nfc(step.to_person)}"
        rows.append(
            (
                f"{giver}\n\n{taker}",
                f"{moment_text(step.handed_at)}\n\nNgười giao ký:\n\n\nNgười nhận ký:",
                step.result.label_vi if step.result else "",
                nfc(step.note),
            )
        )
    pdf._table(
        (
            "TÊN CƠ QUAN, BỘ PHẬN",
            "THỜI GIAN GIAO, NHẬN HỒ SƠ",
            "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn / Đúng hạn / Quá hạn)",
            "GHI CHÚ",
        ),
        rows,
        widths=(62, 48, 33, 32),
        aligns=("L", "L", "C", "L"),
        row_min_height=30,
    )
    return pdf.output_bytes()


# --------------------------------------------------------------------------- Form 07

_BOOK_HEADINGS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày, tháng, năm nhận hồ sơ",
    "Ngày, tháng, năm hẹn trả kết quả",
    "Ngày, tháng, năm chuyển hồ sơ đến cơ quan giải quyết",
    "Ngày, tháng, năm nhận kết quả từ cơ quan giải quyết",
    "Ngày, tháng, năm trả kết quả",
    "Ký nhận",
    "Ghi chú",
)
# Millimetres on A4 landscape (277 mm between margins): the dossier code and a date fit on
# one line at 6.5 pt, the procedure name gets the widest column.
_BOOK_WIDTHS = (7, 36, 50, 9, 22, 25.5, 22, 16.5, 16.5, 16.5, 16.5, 16.5, 11, 12)


def render_form07(data: Form07Data) -> bytes:
    """Sổ theo dõi hồ sơ on A4 landscape: one row per dossier, the header row repeated on every
    page (DOMAIN.md §5.1, 2018 Form 06)."""
    template = FORMS["07"]
    pdf = _FormPDF(template, page_numbers=True)
    pdf.add_page()
    pdf.national_header(
        data.issuer,
        place_date=_place_date(data.issuer, data.issued_at),
        number=f"Quyển số: {nfc(data.book_no)}" if data.book_no else "",
    )
    pdf.form_title(template.title_vi.upper(), data.period_text)
    rows = [
        (
            str(n),
            row.dossier_code,
            nfc(row.procedure_name),
            str(row.dossier_sets),
            nfc(row.applicant_name),
            nfc(row.applicant_address_phone),
            nfc(row.competent_unit_name),
            short_moment(row.received_at),
            short_moment(row.due_at),
            short_date(row.transferred_at),
            short_date(row.result_received_at),
            short_date(row.returned_at),
            "",
            nfc(row.note),
        )
        for n, row in enumerate(data.rows, start=1)
    ]
    pdf._table(
        _BOOK_HEADINGS,
        rows,
        widths=_BOOK_WIDTHS,
        aligns=("C", "L", "L", "C", "L", "L", "L", "C", "C", "C", "C", "C", "C", "L"),
        size=6.5,
        heading_size=6.5,
        padding=(0.8, 0.7),
        row_min_height=9,
    )
    return pdf.output_bytes()
