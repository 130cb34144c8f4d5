"""The electronic result of a dossier and the e-receipt of a payment, as PDF (real text).

Both carry a QR to the public verification page (``/xac-minh/<token>/``) and are signed PAdES by
the issuing unit afterwards (``signing.sign_pdf``); the signature block printed on the page says
so, since an electronic document has no wet signature (Decree 45/2020 Art. 14, R-RES-03).

The e-receipt is not Form 07 (R-FORM-04): Form 07 is the dossier tracking book; the receipt is
the payer's proof of a fee paid online.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from fpdf.enums import Align

from motcua.core.text import nfc
from motcua.documents.forms import FormTemplate, Issuer, Paper
from motcua.documents.pdf import MUTED, _FormPDF, _place_date
from motcua.documents.wording import moment_text, short_moment

__all__ = ["ReceiptData", "ReceiptLine", "ResultData", "render_receipt", "render_result"]

RESULT_TEMPLATE = FormTemplate(
    number="KQ",
    title_vi="KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    legal_basis="Văn bản điện tử — Nghị định 45/2020/NĐ-CP Điều 14; Nghị định 118/2025/NĐ-CP",
    version="1",
    effective_from=date(2025, 7, 1),
    paper=Paper.A4,
)
RECEIPT_TEMPLATE = FormTemplate(
    number="BL",
    title_vi="BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ",
    legal_basis="Thanh toán trực tuyến — Nghị định 118/2025/NĐ-CP Điều 24",
    version="1",
    effective_from=date(2025, 7, 1),
    paper=Paper.A5,
)


@dataclass(frozen=True)
class ResultData:
    """What the result document says. ``approved`` False = a reasoned refusal (R-PROC-06)."""

    issuer: Issuer
    number: str
    dossier_code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    applicant_address: str
    received_at: datetime | None
    decided_at: datetime
    approved: bool
    result_names: Sequence[str]
    reason: str
    signer_title: str
    verify_url: str
    signer_name: str = ""
    # The declaration (issue #14 item 2): (section, label, value) rows in the form's order, the
    # layout ("birth", "death", "marriage", "decision" or "generic"), the document's title, the
    # decision's Article 1 and the register number the result is entered under.
    declared: Sequence[tuple[str, str, str]] = ()
    layout: str = "generic"
    title: str = ""
    decision: str = ""
    register_number: str = ""


def _sections(pdf: _FormPDF, rows: Sequence[tuple[str, str, str]]) -> None:
    """Labelled declared values under their section headings."""
    current = None
    for section, label, value in rows:
        if section != current:
            current = section
            if section:
                pdf.ln(1)
                pdf.paragraph(section.upper(), style="B", gap=0.5)
        pdf.field(f"{label}:", value)


def _marriage(pdf: _FormPDF, rows: Sequence[tuple[str, str, str]]) -> None:
    """The two spouses side by side (bride left, groom right), then anything else below."""
    sides: dict[str, list[tuple[str, str]]] = {}
    order: list[str] = []
    rest = []
    for section, label, value in rows:
        if section in ("Bên nữ", "Bên nam"):
            if section not in sides:
                order.append(section)
            sides.setdefault(section, []).append((label, value))
        else:
            rest.append((section, label, value))
    width = pdf.content_width / 2 - 2
    top = pdf.get_y()
    bottom = top
    for column, section in enumerate(order):
        x = pdf.l_margin + column * (width + 4)
        pdf.set_xy(x, top)
        pdf.set_font(pdf.font, "B", pdf.s.body)
        pdf.multi_cell(width, pdf.s.line, section.upper(), align=Align.C)
        for label, value in sides[section]:
            pdf.set_x(x)
            pdf.set_font(pdf.font, "", pdf.s.small + 0.5)
            pdf.multi_cell(width, pdf.s.small * 0.5, f"{label}: {nfc(value)}")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 1)
    _sections(pdf, rest)


def _declared_result(pdf: _FormPDF, data: ResultData) -> None:
    """The result as people expect it: its own title, the register number and the declared
    data (birth extract, death extract, marriage certificate, decision, or the generic
    labelled layout)."""
    unit = nfc(data.issuer.unit_name)
    pdf.form_title(data.title or RESULT_TEMPLATE.title_vi, "(Bản điện tử)")
    if data.register_number:
        pdf.field("Số đăng ký:", data.register_number, bold_value=True)
    if data.layout == "decision":
        pdf.paragraph(f"Về việc: {nfc(data.procedure_name)}", style="I", gap=1.5)
        pdf.paragraph(
            f"Căn cứ hồ sơ đề nghị mã {data.dossier_code} và kết quả thẩm định, {unit}",
            gap=1,
        )
        pdf.paragraph("QUYẾT ĐỊNH:", style="B", align=Align.C, gap=1)
        pdf.paragraph(f"Điều 1. {nfc(data.decision)}", gap=0.5)
        _sections(pdf, data.declared)
    elif data.layout == "marriage":
        _marriage(pdf, data.declared)
    else:
        _sections(pdf, data.declared)
    pdf.ln(1)
    where = "Nơi đăng ký:" if data.layout in ("birth", "death", "marriage") else "Cơ quan cấp:"
    pdf.fields(
        (where, unit),
        ("Ngày đăng ký:" if where == "Nơi đăng ký:" else "Ngày cấp:", moment_text(data.decided_at)),
        ("Người yêu cầu:", data.applicant_name),
        ("Mã hồ sơ:", data.dossier_code),
        ("Thủ tục hành chính:", f"{nfc(data.procedure_name)} (mã {data.procedure_code})"),
    )


def _qr_block(pdf: _FormPDF, url: str, caption: str, *, size: float) -> None:
    top = pdf.get_y()
    if pdf.will_page_break(size + 2):
        pdf.add_page()
        top = pdf.get_y()
    pdf.draw_qr(url, pdf.l_margin, top, size)
    x = pdf.l_margin + size + 3
    pdf.set_xy(x, top + 2)
    pdf.set_font(pdf.font, "B", pdf.s.small + 0.5)
    pdf.multi_cell(pdf.content_width - size - 3, pdf.s.small * 0.5, "Xác minh văn bản điện tử")
    pdf.set_x(x)
    pdf.set_font(pdf.font, "", pdf.s.small)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(pdf.content_width - size - 3, pdf.s.small * 0.48, f"{caption}\n{url}")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + size) + 1)


def _e_signature(
    pdf: _FormPDF, title: str, unit_name: str, at: datetime, signer_name: str = ""
) -> None:
    """The signer block on the right half: an electronic signature instead of ink."""
    width = pdf.content_width / 2
    x = pdf.l_margin + width
    if pdf.will_page_break(30):
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_xy(x, top)
    pdf.set_font(pdf.font, "B", pdf.s.body)
    pdf.multi_cell(width, pdf.s.line, nfc(title).upper(), align=Align.C)
    pdf.set_x(x)
    pdf.set_font(pdf.font, "I", pdf.s.small + 0.5)
    pdf.set_draw_color(40, 90, 160)
    box_top = pdf.get_y() + 1.5
    pdf.set_xy(x + 6, box_top + 1.5)
    pdf.set_text_color(40, 90, 160)
    pdf.multi_cell(
        width - 12,
        pdf.s.small * 0.5,
        f"Đã ký số bởi: {nfc(unit_name)}\nThời gian ký: {short_moment(at)}",
        align=Align.C,
    )
    box_bottom = pdf.get_y() + 1.5
    pdf.rect(x + 4, box_top, width - 8, box_bottom - box_top)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(120, 120, 120)
    if signer_name:
        pdf.set_xy(x, box_bottom + 2)
        pdf.set_font(pdf.font, "B", pdf.s.body)
        pdf.multi_cell(width, pdf.s.line, nfc(signer_name), align=Align.C)
        box_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin, box_bottom + 3)


def _letter(pdf: _FormPDF, data: ResultData) -> None:
    """The generic letter (no declaration), and every refusal."""
    title = RESULT_TEMPLATE.title_vi if data.approved else "THÔNG BÁO KẾT QUẢ GIẢI QUYẾT HỒ SƠ"
    subtitle = "" if data.approved else "(Văn bản từ chối giải quyết, nêu rõ lý do)"
    pdf.form_title(title, subtitle)
    unit = nfc(data.issuer.unit_name)
    pdf.fields(
        ("Mã hồ sơ:", data.dossier_code),
        ("Thủ tục hành chính:", f"{nfc(data.procedure_name)} (mã {data.procedure_code})"),
        ("Người yêu cầu:", data.applicant_name),
        ("Số định danh cá nhân / mã số:", data.applicant_id_number),
        ("Địa chỉ:", data.applicant_address),
    )
    if data.received_at is not None:
        pdf.fields(("Ngày tiếp nhận:", moment_text(data.received_at)))
    pdf.ln(2)
    if data.approved:
        pdf.paragraph(
            f"Căn cứ hồ sơ đề nghị và kết quả thẩm định, {unit} đã giải quyết yêu cầu của "
            f"Ông/Bà {nfc(data.applicant_name)}. Kết quả giải quyết thủ tục hành chính gồm:",
            gap=1.5,
        )
        names = data.result_names or [f"Kết quả giải quyết: {nfc(data.procedure_name)}"]
        for n, name in enumerate(names, start=1):
            pdf.paragraph(f"{n}. {nfc(name)}", indent=5, gap=0.8)
    else:
        pdf.paragraph(
            f"Sau khi thẩm định, {unit} không giải quyết yêu cầu của Ông/Bà "
            f"{nfc(data.applicant_name)} với lý do sau:",
            gap=1.5,
        )
        pdf.paragraph(nfc(data.reason) or "—", indent=5, gap=0.8)
    if data.reason and data.approved:
        pdf.ln(1)
        pdf.field("Ý kiến phê duyệt:", data.reason)


def render_result(data: ResultData) -> bytes:
    """A4 result: national header, the decision, the result documents, the e-signature block
    and the verification QR."""
    pdf = _FormPDF(RESULT_TEMPLATE, page_numbers=True)
    pdf.set_title(f"Kết quả giải quyết hồ sơ {data.dossier_code}")
    pdf.set_author(nfc(data.issuer.unit_name))
    pdf.add_page()
    pdf.national_header(
        data.issuer,
        place_date=_place_date(data.issuer, data.decided_at),
        number=f"Số: {nfc(data.number)}",
    )
    if data.approved and data.declared:
        _declared_result(pdf, data)
    else:
        _letter(pdf, data)
    pdf.ln(2)
    pdf.paragraph(
        "Văn bản này là văn bản điện tử được ký số; có giá trị pháp lý như bản giấy và được lưu "
        "trong kho dữ liệu cá nhân để tái sử dụng khi thực hiện các thủ tục khác.",
        muted=True,
        size=pdf.s.small + 0.5,
        gap=3,
    )
    _e_signature(pdf, data.signer_title, data.issuer.unit_name, data.decided_at, data.signer_name)
    pdf.ln(4)
    _qr_block(
        pdf,
        data.verify_url,
        "Quét mã QR hoặc truy cập địa chỉ dưới đây để kiểm tra tình trạng và mã băm SHA-256 "
        "của văn bản.",
        size=26,
    )
    return pdf.output_bytes()


@dataclass(frozen=True)
class ReceiptLine:
    description: str
    amount: int


@dataclass(frozen=True)
class ReceiptData:
    issuer: Issuer
    number: str
    reference: str  # MaThamChieu
    transaction_id: str  # MaGiaoDich
    channel: str
    dossier_code: str
    procedure_name: str
    payer_name: str
    payer_id_number: str
    paid_at: datetime
    total: int
    verify_url: str
    lines: Sequence[ReceiptLine] = field(default_factory=tuple)


def _vnd(amount: int) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,} đ".replace(",", ".")


def render_receipt(data: ReceiptData) -> bytes:
    """A5 e-receipt: payer, dossier, fee lines, total, transaction ids, QR."""
    pdf = _FormPDF(RECEIPT_TEMPLATE)
    pdf.set_title(f"Biên lai {data.number}")
    pdf.set_author(nfc(data.issuer.unit_name))
    pdf.add_page()
    pdf.national_header(
        data.issuer,
        place_date=_place_date(data.issuer, data.paid_at),
        number=f"Số: {nfc(data.number)}",
    )
    pdf.form_title(RECEIPT_TEMPLATE.title_vi, "(Thu qua Nền tảng thanh toán trực tuyến)")
    pdf.fields(
        ("Người nộp:", data.payer_name),
        ("Số định danh cá nhân:", data.payer_id_number),
        ("Mã hồ sơ:", data.dossier_code),
        ("Thủ tục:", data.procedure_name),
    )
    pdf.ln(1)
    rows = [(nfc(line.description), _vnd(line.amount)) for line in data.lines]
    rows.append(("Tổng cộng", _vnd(data.total)))
    pdf._table(
        ("Nội dung", "Số tiền"),
        rows,
        widths=(88, 34),
        aligns=("L", "R"),
    )
    pdf.fields(
        ("Hình thức thanh toán:", data.channel),
        ("Mã tham chiếu:", data.reference),
        ("Mã giao dịch:", data.transaction_id),
        ("Thời điểm thanh toán:", moment_text(data.paid_at)),
    )
    pdf.ln(2)
    _e_signature(pdf, "Đơn vị thu", data.issuer.unit_name, data.paid_at)
    pdf.ln(1)
    _qr_block(pdf, data.verify_url, "Quét mã QR để kiểm tra biên lai.", size=20)
    return pdf.output_bytes()
