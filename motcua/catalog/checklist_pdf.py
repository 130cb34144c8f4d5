"""The printable checklist of a procedure (A4 PDF): documents, time limit, fees, where to file.

Real text, not an image, set in Be Vietnam Pro (embedded), so every Vietnamese diacritic renders,
a screen reader can read it and a citizen can copy from it. Built from the same selectors as the
procedure page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from motcua.catalog.models import Component, ProcedureVersion
from motcua.catalog.selectors import cutoff_text, fee_summaries, time_limit_text
from motcua.core.fonts import FONT, add_be_vietnam_pro
from motcua.core.text import nfc

MAX_UNITS_LISTED = 15
INK = (27, 31, 36)
MUTED = (74, 85, 97)


class _ChecklistPDF(FPDF):
    def __init__(self, header_text: str, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.header_text = header_text
        self.footer_text = footer_text
        add_be_vietnam_pro(self)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)

    def header(self) -> None:
        self.set_font(FONT, "B", 10)
        self.set_text_color(163, 18, 26)
        self.cell(0, 6, self.header_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(207, 214, 221)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        page = _("Trang {n}").format(n=self.page_no())
        self.cell(0, 5, f"{self.footer_text} · {page}", align="C")

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 12)
        self.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, *, size: float = 10, muted: bool = False) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*(MUTED if muted else INK))
        self.multi_cell(0, 5, nfc(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def checkbox_item(self, number: int, text: str) -> None:
        """A numbered item with an empty box the citizen ticks while preparing the dossier."""
        if self.will_page_break(10):
            self.add_page()
        y = self.get_y()
        self.set_draw_color(*INK)
        self.rect(self.l_margin, y + 0.8, 3.6, 3.6)
        self.set_x(self.l_margin + 6)
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 5, f"{number}. {nfc(text)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)


def _component_text(component: Component) -> str:
    tags: list[str] = []
    if component.requirement != Component.Requirement.UNSPECIFIED:
        tags.append(str(component.get_requirement_display()))
    if component.quantity > 1:
        tags.append(_("{n} bản").format(n=component.quantity))
    if component.conditional:
        tags.append(_("Nếu có"))
    if component.form_template:
        tags.append(_("Theo mẫu: {form}").format(form=component.form_template))
    text = component.name
    if tags:
        text += f" [{'; '.join(tags)}]"
    if component.replaceable_by:
        source = component.get_replaceable_by_display()
        text += " — " + _("Có thể thay bằng dữ liệu từ {source}").format(source=source)
    return text


def checklist_pdf(version: ProcedureVersion) -> bytes:
    """The checklist of ``version`` as PDF bytes (A4, Be Vietnam Pro)."""
    procedure = version.procedure
    province = procedure.province.name
    pdf = _ChecklistPDF(
        header_text=_("{province} · Dịch vụ công").format(province=province).upper(),
        footer_text=_("Thủ tục {code}, phiên bản {v}, áp dụng từ {d}").format(
            code=procedure.code_national,
            v=version.version,
            d=version.effective_from.strftime("%d/%m/%Y"),
        ),
    )
    pdf.set_title(_("Danh mục hồ sơ {code}").format(code=procedure.code_national))
    pdf.set_lang("vi")
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 7, _("DANH MỤC HỒ SƠ"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, nfc(version.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(
        _("Mã thủ tục: {code} · Lĩnh vực: {field} · {level}").format(
            code=procedure.code_national,
            field=version.field.name,
            level=version.get_competent_level_display(),
        ),
        muted=True,
    )

    pdf.heading(_("Thời hạn giải quyết"))
    pdf.paragraph(time_limit_text(version))
    pdf.paragraph(version.start_rule, muted=True)
    if version.cutoff_1500:
        pdf.paragraph(
            _(
                "Hồ sơ tiếp nhận sau %(cutoff)s được giải quyết và trả kết quả trong ngày làm "
                "việc tiếp theo."
            )
            % {"cutoff": cutoff_text(version)},
            muted=True,
        )

    pdf.heading(_("Nơi nộp hồ sơ"))
    if version.boundary_free:
        pdf.paragraph(
            _(
                "Thủ tục không phụ thuộc địa giới hành chính: có thể nộp tại bất kỳ Trung tâm "
                "Phục vụ hành chính công nào của {province}."
            ).format(province=province)
        )
    units = list(version.implementing_units.all())
    if units:
        names = ", ".join(u.name for u in units[:MAX_UNITS_LISTED])
        if len(units) > MAX_UNITS_LISTED:
            more = len(units) - MAX_UNITS_LISTED
            names += " " + _("và {n} đơn vị khác").format(n=more)
        pdf.paragraph(_("Cơ quan giải quyết ({n}): {names}.").format(n=len(units), names=names))

    pdf.heading(_("Phí, lệ phí"))
    fees = fee_summaries(version)
    for fee in fees:
        pdf.paragraph(fee.label)
        if fee.note:
            pdf.paragraph(fee.note, muted=True)
        if fee.example:
            lines = "; ".join(fee.lines)
            pdf.paragraph(f"{fee.example}: {lines} = {fee.total}", muted=True)
    if not fees:
        pdf.paragraph(version.fee_text or _("Chưa công bố"))

    pdf.heading(_("Thành phần hồ sơ"))
    documents = [c for c in version.components.all() if not c.is_note]
    if not documents:
        pdf.paragraph(_("Chưa công bố thành phần hồ sơ."))
    for number, component in enumerate(documents, start=1):
        pdf.checkbox_item(number, _component_text(component))
    if version.legal_basis:
        pdf.heading(_("Căn cứ pháp lý"))
        pdf.paragraph(version.legal_basis, size=9, muted=True)
    return bytes(pdf.output())
