"""Reads, every one scoped to the units the user may see (DESIGN §2: missing and forbidden
look the same), and the registers of R-DOC-08."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from fpdf import FPDF
from openpyxl import Workbook

from motcua.accounts.models import Role, User
from motcua.accounts.scope import units_in_scope
from motcua.agencies.models import Unit
from motcua.core.clock import local_today, to_local
from motcua.core.errors import NotFound
from motcua.core.text import nfc
from motcua.correspondence.models import Direction, Document, Urgency
from motcua.correspondence.rendering import add_serif
from motcua.correspondence.states import State
from motcua.worktime.calc import next_working_day
from motcua.worktime.calendars import calendar_for


def visible(user: User) -> QuerySet[Document]:
    return Document.objects.filter(owner_unit_id__in=units_in_scope(user))


def document_for(user: User, pk: uuid.UUID | str) -> Document:
    """One document the user may see, else :class:`NotFound` (also for a malformed id)."""
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise NotFound("Không tìm thấy văn bản", "Document not found") from None
    document = visible(user).filter(pk=key).first()
    if document is None:
        raise NotFound("Không tìm thấy văn bản", "Document not found")
    return document


def release_due(document: Document) -> date | None:
    """R-DOC-07: released on the day signed, at the latest the next working day; urgent ones
    immediately (due the day signed)."""
    if document.signed_at is None:
        return None
    signed_day = to_local(document.signed_at).date()
    if document.urgency != Urgency.NORMAL:
        return signed_day
    return next_working_day(signed_day, calendar_for(document.owner_unit.province_id))


def late_releases(unit: Unit, today: date | None = None) -> list[Document]:
    """Signed documents of ``unit`` not released by their due day (the clerk's reminder)."""
    day = today or local_today()
    signed = Document.objects.filter(owner_unit=unit, state=State.SIGNED).select_related(
        "owner_unit"
    )
    late = []
    for document in signed.order_by("signed_at"):
        due = release_due(document)
        urgent = document.urgency != Urgency.NORMAL
        if due is not None and (day > due or (urgent and day >= due)):
            late.append(document)
    return late


@dataclass(frozen=True)
class Register:
    title: str
    columns: list[str]
    rows: list[list[str]]


OUTGOING_COLUMNS = [
    "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
    "Người ký", "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản",
    "Ngày chuyển", "Ký nhận", "Ghi chú",
]  # fmt: skip
INCOMING_COLUMNS = [
    "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú",
]  # fmt: skip


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def outgoing_register(unit: Unit, year: int) -> Register:
    """R-DOC-08 outgoing register: every numbered document of the year, revoked ones too
    (R-DOC-09, R-DOC-15: entries stay); secret ones only as entries (R-DOC-12)."""
    documents = (
        Document.objects.filter(owner_unit=unit, direction=Direction.OUTGOING, year=year)
        .exclude(number=None)
        .prefetch_related("recipients")
        .order_by("series", "number")
    )
    rows = []
    for d in documents:
        recipients = [r for r in d.recipients.all() if not r.for_filing]
        filing = [r.name for r in d.recipients.all() if r.for_filing]
        note = "Đã thu hồi" if d.state == State.REVOKED else ""
        rows.append([
            d.number_and_symbol, _d(d.issued_on), d.summary, d.signer_name,
            "; ".join(r.name for r in recipients), ", ".join(["VT", *filing]), "1",
            _d(to_local(d.released_at).date() if d.released_at else None), "", note,
        ])  # fmt: skip
    return Register(f"Sổ đăng ký văn bản đi năm {year}", OUTGOING_COLUMNS, rows)


def incoming_register(unit: Unit, year: int) -> Register:
    """R-DOC-08 incoming register, in arrival-number order."""
    documents = Document.objects.filter(
        owner_unit=unit, direction=Direction.INCOMING, arrival_year=year
    ).order_by("arrival_number")
    rows = []
    for d in documents:
        arrived = to_local(d.arrived_at).date() if d.arrived_at else None
        number = f"{d.number:02d}/{d.symbol}" if d.number else d.symbol
        handler = str(d.handler) if d.handler_id else ""
        rows.append([
            _d(arrived), str(d.arrival_number), d.issuing_body_name, number, _d(d.issued_on),
            d.summary, handler, "", "", "Đã thu hồi" if d.state == State.REVOKED else "",
        ])  # fmt: skip
    return Register(f"Sổ đăng ký văn bản đến năm {year}", INCOMING_COLUMNS, rows)


def register_xlsx(register: Register) -> bytes:
    """The register as a workbook with all its columns (R-DOC-08: printed and bound)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "So"
    sheet.append([register.title])
    sheet.append(register.columns)
    for row in register.rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def register_pdf(register: Register) -> bytes:
    """The register printed with all its columns (R-DOC-08), A4 landscape, the header row
    repeated on every page."""
    pdf = FPDF(orientation="L", format="A4", unit="mm")
    pdf.set_margins(10, 12, 10)
    pdf.set_auto_page_break(True, margin=12)
    family = add_serif(pdf)
    pdf.add_page()
    pdf.set_font(family, "B", 13)
    pdf.cell(0, 8, nfc(register.title.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "", 8.5)
    with pdf.table(repeat_headings=1, text_align="LEFT", line_height=4.5) as table:
        header = table.row()
        for column in register.columns:
            header.cell(nfc(column))
        for values in register.rows:
            row = table.row()
            for value in values:
                row.cell(nfc(value))
    return bytes(pdf.output())


OPEN_STATES = (State.REGISTERED, State.ASSIGNED, State.HANDLING)


def overdue(user: User, today: date | None = None) -> QuerySet[Document]:
    """R-DOC-16: incoming documents past their handling deadline — a handler sees those
    assigned to them; a leader every one of the units they lead."""
    day = today or local_today()
    late = visible(user).filter(
        direction=Direction.INCOMING, state__in=OPEN_STATES, handling_deadline__lt=day
    )
    led = units_in_scope(user, (Role.UNIT_LEADER,))
    return late.filter(Q(handler=user) | Q(owner_unit_id__in=led)).order_by("handling_deadline")
