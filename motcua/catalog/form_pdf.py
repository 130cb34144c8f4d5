"""Downloadable form templates (mẫu đơn, tờ khai) of a procedure's components (issue #4 points 1
and 3; R-CAT-01, R-VER-01).

The seed catalogue names a declared form ("Tờ khai đăng ký khai sinh theo mẫu", "Đơn đề nghị …",
"… theo Mẫu số 01 …") but carries no form file: the portal crawl it comes from has no file links
(catalog/data/README.md). Where the catalogue holds no source file, the declared form is
generated here as a fill-in sheet: real text in Be Vietnam Pro (every diacritic, searchable,
readable by a screen reader), the form's name and reference, dotted lines to fill in, the
commitment and signature block, and its legal basis. Every sheet says which catalogue version
it belongs to (R-VER-01), and its URL carries that version, so a form downloaded for one version
is never silently replaced by the next.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from motcua.catalog.models import Component, ProcedureVersion
from motcua.core.errors import NotFound
from motcua.core.fonts import FONT, add_be_vietnam_pro
from motcua.core.text import fold, nfc

INK = (27, 31, 36)
MUTED = (74, 85, 97)
_FORM_STARTS = ("to khai", "don ", "mau ", "phieu ", "ban khai", "giay de nghi", "van ban de nghi")
# Where the title of a form ends in the published wording: a parenthesis, a clause, a form ref.
_TITLE_END = re.compile(r"\s*(?:\(|;|:|\.\s|,\s*(?:kèm|trong|nếu)|\s(?:theo\s+)?[Mm]ẫu\b).*$")


def declares_form(component: Component) -> bool:
    """A component filled in on a prescribed form, as the published wording declares it."""
    if component.is_note:
        return False
    folded = fold(component.name)
    return bool(component.form_template) or folded.startswith(_FORM_STARTS) or "theo mau" in folded


def form_title(component: Component) -> str:
    """The form's own name, without the conditions that follow it in the published wording."""
    name = nfc(component.name).strip()
    title = _TITLE_END.sub("", name).strip(" -–,")
    return title or name


def version_form(
    province_id: int, code: str, version_number: int, order: int
) -> tuple[ProcedureVersion, Component]:
    """The component ``order`` of version ``version_number`` of procedure ``code``, when it
    declares a form; :class:`NotFound` otherwise. Any published version, not only the current
    one: a form is downloaded for the version it belongs to (R-VER-01)."""
    version = (
        ProcedureVersion.objects.filter(
            procedure__province_id=province_id,
            procedure__code_national=code.strip(),
            version=version_number,
        )
        .select_related("procedure")
        .first()
    )
    component = version.components.filter(order=order).first() if version else None
    if version is None or component is None or not declares_form(component):
        raise NotFound("Không tìm thấy mẫu đơn, tờ khai", "Form not found")
    return version, component


def form_filename(version: ProcedureVersion, component: Component) -> str:
    return f"mau-{version.procedure.code_national}-v{version.version}-{component.order}.pdf"


class _FormPDF(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        add_be_vietnam_pro(self)
        self.set_margins(20, 15, 18)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        page = _("Trang {n}").format(n=self.page_no())
        self.multi_cell(0, 3.5, f"{self.footer_text} · {page}", align="C")
        self.set_text_color(*INK)

    def centred(self, text: str, style: str = "", size: float = 11) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, 5.5, nfc(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def blank(self, label: str, lines: int = 1) -> None:
        """A label followed by dotted lines to fill in by hand."""
        if self.will_page_break(7 * lines):
            self.add_page()
        self.set_font(FONT, "", 10.5)
        width = self.w - self.l_margin - self.r_margin
        label_text = nfc(label) + " "
        label_width = self.get_string_width(label_text)
        dot_width = self.get_string_width(".")
        self.cell(label_width, 7, label_text)
        dots = max(int((width - label_width) / dot_width) - 1, 3)
        self.cell(0, 7, "." * dots, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for _extra in range(lines - 1):
            self.cell(0, 7, "." * (int(width / dot_width) - 1), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def signature_block(self) -> None:
        """Place and date, the applicant's title and room to sign, on the right half."""
        self.ln(3)
        if self.will_page_break(30):
            self.add_page()
        half = (self.w - self.l_margin - self.r_margin) / 2
        self.set_x(self.l_margin + half)
        self.set_font(FONT, "I", 10.5)
        self.cell(half, 6, _("……………, ngày …… tháng …… năm 20……"), align="C")
        self.ln(6)
        self.set_x(self.l_margin + half)
        self.set_font(FONT, "B", 10.5)
        self.cell(half, 6, _("NGƯỜI YÊU CẦU"), align="C")
        self.ln(5)
        self.set_x(self.l_margin + half)
        self.set_font(FONT, "I", 9.5)
        self.cell(half, 5, _("(Ký, ghi rõ họ, chữ đệm, tên)"), align="C")


def form_pdf(version: ProcedureVersion, component: Component) -> bytes:
    """The fill-in sheet of ``component``'s declared form, as PDF bytes (A4, Be Vietnam Pro)."""
    procedure = version.procedure
    legal_basis = component.legal_basis or version.legal_basis
    pdf = _FormPDF(
        footer_text=_(
            "Mẫu do hệ thống tạo từ danh mục thủ tục {code}, phiên bản {v}, áp dụng từ {d}"
        ).format(
            code=procedure.code_national,
            v=version.version,
            d=version.effective_from.strftime("%d/%m/%Y"),
        )
    )
    title = form_title(component)
    pdf.set_title(title)
    pdf.set_subject(
        _("Thủ tục {code}: {name}").format(code=procedure.code_national, name=version.name)
    )
    pdf.set_lang("vi")
    pdf.add_page()
    if component.form_template:
        pdf.set_font(FONT, "I", 9)
        pdf.cell(0, 5, nfc(component.form_template), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 11.5)
    pdf.centred("Độc lập - Tự do - Hạnh phúc", "B", 11)
    middle = pdf.w / 2
    pdf.set_draw_color(*INK)
    pdf.line(middle - 22, pdf.get_y() + 0.5, middle + 22, pdf.get_y() + 0.5)
    pdf.ln(4)
    pdf.centred(title.upper(), "B", 13.5)
    pdf.set_font(FONT, "I", 9.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0,
        4.6,
        _("Thủ tục {code}: {name}").format(code=procedure.code_national, name=nfc(version.name)),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(*INK)
    pdf.ln(4)
    pdf.blank(_("Kính gửi:"))
    pdf.ln(2)
    pdf.blank(_("Họ, chữ đệm, tên người yêu cầu:"))
    pdf.blank(_("Ngày, tháng, năm sinh:"))
    pdf.blank(_("Số định danh cá nhân:"))
    pdf.blank(_("Nơi cư trú:"))
    pdf.blank(_("Số điện thoại:"))
    pdf.blank(_("Thư điện tử:"))
    pdf.blank(_("Nội dung đề nghị:"), lines=5)
    pdf.blank(_("Giấy tờ kèm theo:"), lines=2)
    pdf.ln(2)
    pdf.set_font(FONT, "", 10.5)
    pdf.multi_cell(
        0,
        5.5,
        _(
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
            "pháp luật về cam đoan của mình."
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.signature_block()
    pdf.ln(24)
    pdf.set_draw_color(207, 214, 221)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    notes = [
        _("Thành phần hồ sơ: {name}").format(name=nfc(component.name)),
        _("Căn cứ pháp lý: {basis}").format(basis=nfc(legal_basis) or _("chưa công bố")),
        _(
            "Danh mục thủ tục không kèm tệp mẫu chính thức: đây là mẫu tham khảo do hệ thống tạo "
            "theo tên mẫu đã công bố. Khi văn bản căn cứ ban hành mẫu, dùng mẫu của văn bản đó."
        ),
    ]
    for note in notes:
        pdf.multi_cell(0, 4, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
