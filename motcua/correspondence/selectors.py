"""Reads, every one scoped to the units the user may see (DESIGN §2: missing and forbidden
look the same), and the registers of R-DOC-08."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from motcua.accounts.models import Role, User
from motcua.accounts.scope import CASEWORK_ROLES, units_in_scope
from motcua.agencies.models import Unit
from motcua.core.clock import local_today, to_local
from motcua.core.errors import NotFound
from motcua.core.text import fold, nfc
from motcua.correspondence.models import (
    Direction,
    Document,
    DocumentDossier,
    DocumentEvent,
    DocumentPetition,
    Urgency,
)
from motcua.correspondence.states import LABEL_VI, State
from motcua.correspondence.types import UnknownType, doc_type
from motcua.worktime.calc import next_working_day
from motcua.worktime.calendars import calendar_for


def visible(user: User) -> QuerySet[Document]:
    """Documents of the units where the user holds a casework role (the operations-centre
    viewer sees figures, never documents: least privilege, issue #12 item 7)."""
    return Document.objects.filter(owner_unit_id__in=units_in_scope(user, CASEWORK_ROLES))


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


def petition_letters(user: User, petition_code: str) -> list[Document]:
    """The official letters forwarding the petition ``petition_code`` (issue #18,
    :class:`DocumentPetition`) that the user may see, oldest first; none for anyone else."""
    links = DocumentPetition.objects.filter(
        petition_code=petition_code, document__in=visible(user)
    ).select_related("document")
    return [link.document for link in links.order_by("id")]


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


def _note(d: Document) -> str:
    """The register's notes column: revoked, replaced, or what this document replaces,
    corrects or copies (R-DOC-09, R-DOC-15, R-DOC-18: every entry stays)."""
    notes = []
    if d.state == State.REVOKED:
        notes.append("Đã thu hồi")
    if d.state == State.REPLACED:
        notes.append("Đã bị thay thế")
    if d.original_id is not None and d.original is not None:
        verb = {"replaces": "Thay thế", "corrects": "Đính chính", "copy": "Sao từ"}
        ref = d.original.number_and_symbol or d.original.symbol
        notes.append(f"{verb.get(d.relation, '')} văn bản {ref}".strip())
    return "; ".join(notes)


def outgoing_register(unit: Unit, year: int) -> Register:
    """R-DOC-08 outgoing register: every numbered document of the year, revoked ones too
    (R-DOC-09, R-DOC-15: entries stay); secret ones only as entries (R-DOC-12)."""
    documents = (
        Document.objects.filter(owner_unit=unit, direction=Direction.OUTGOING, year=year)
        .exclude(number=None)
        .prefetch_related("recipients")
        .select_related("original")
        .order_by("series", "number")
    )
    rows = []
    for d in documents:
        recipients = [r for r in d.recipients.all() if not r.for_filing]
        filing = [r.name for r in d.recipients.all() if r.for_filing]
        note = _note(d)
        rows.append([
            d.number_and_symbol, _d(d.issued_on), d.summary, d.signer_name,
            "; ".join(r.name for r in recipients), ", ".join(["VT", *filing]), "1",
            _d(to_local(d.released_at).date() if d.released_at else None), "", note,
        ])  # fmt: skip
    return Register(f"Sổ đăng ký văn bản đi năm {year}", OUTGOING_COLUMNS, rows)


def incoming_register(unit: Unit, year: int) -> Register:
    """R-DOC-08 incoming register, in arrival-number order."""
    documents = (
        Document.objects.filter(owner_unit=unit, direction=Direction.INCOMING, arrival_year=year)
        .select_related("original")
        .order_by("arrival_number")
    )
    rows = []
    for d in documents:
        arrived = to_local(d.arrived_at).date() if d.arrived_at else None
        number = f"{d.number:02d}/{d.symbol}" if d.number else d.symbol
        handler = str(d.handler) if d.handler_id else ""
        rows.append([
            _d(arrived), str(d.arrival_number), d.issuing_body_name, number, _d(d.issued_on),
            d.summary, handler, "", "", _note(d),
        ])  # fmt: skip
    return Register(f"Sổ đăng ký văn bản đến năm {year}", INCOMING_COLUMNS, rows)


FOLLOW_UP_COLUMNS = [
    "Số đến", "Tên loại, số và ký hiệu, ngày tháng, cơ quan ban hành và trích yếu nội dung",
    "Người xử lý", "Thời hạn giải quyết", "Tiến độ giải quyết", "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
]  # fmt: skip


def _type_name(d: Document) -> str:
    try:
        return doc_type(d.type_code, d.types_version).name
    except UnknownType:
        return d.type_code


def follow_up_register(unit: Unit, year: int, today: date | None = None) -> Register:
    """R-DOC-08 follow-up of incoming handling (sổ theo dõi giải quyết văn bản đến): every
    document of the year assigned to a handler, in arrival-number order — the document, its
    handler and deadline, the progress (done on which day, in hand, overdue) and the number and
    symbol of the reply this body released (ResponseFor, R-DOC-17)."""
    day = today or local_today()
    documents = (
        Document.objects.filter(owner_unit=unit, direction=Direction.INCOMING, arrival_year=year)
        .exclude(handler=None)
        .select_related("handler", "original")
        .order_by("arrival_number")
    )
    rows = []
    for d in documents:
        number = f"{d.number:02d}/{d.symbol}" if d.number else d.symbol
        what = ", ".join(
            part for part in (_type_name(d), f"số {number}" if number else "",
                              f"ngày {_d(d.issued_on)}" if d.issued_on else "",
                              d.issuing_body_name) if part
        )  # fmt: skip
        replies = Document.objects.filter(
            owner_unit=unit, direction=Direction.OUTGOING,
            response_for__in=[r for r in (d.exchange_id, str(d.pk)) if r],
        ).exclude(number=None).order_by("issued_on")  # fmt: skip
        done = d.events.filter(kind="document:state:completed").order_by("-seq").first()
        if d.state == State.COMPLETED and done is not None:
            progress = f"Hoàn thành ngày {_d(to_local(done.at).date())}"
            if d.handling_deadline and to_local(done.at).date() > d.handling_deadline:
                progress += " (quá hạn)"
        elif d.state in OPEN_STATES and d.handling_deadline and day > d.handling_deadline:
            progress = "Quá hạn, đang xử lý" if d.state == State.HANDLING else "Quá hạn"
        else:
            progress = LABEL_VI[State(d.state)]
        rows.append([
            str(d.arrival_number or ""), f"{what}: {d.summary}" if what else d.summary,
            str(d.handler) if d.handler_id else "", _d(d.handling_deadline), progress,
            "; ".join(r.number_and_symbol for r in replies), _note(d),
        ])  # fmt: skip
    return Register(f"Sổ theo dõi giải quyết văn bản đến năm {year}", FOLLOW_UP_COLUMNS, rows)


def register_xlsx(register: Register) -> bytes:
    """The register as a workbook with all its columns (R-DOC-08: printed and bound)."""
    from openpyxl import Workbook  # noqa: PLC0415 - spreadsheet library loads when a register is printed

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
    from fpdf import FPDF  # noqa: PLC0415 - PDF and font libraries load when a register is printed

    from motcua.correspondence.rendering import add_serif  # noqa: PLC0415 - as above

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


#: The desk's queues (issue #16 item 7): name -> (label, who works it).
QUEUES: dict[str, str] = {
    "to_register": "Chờ vào sổ",
    "to_assign": "Chờ phân công",
    "to_handle": "Cần xử lý",
    "to_review": "Chờ duyệt",
    "to_sign": "Chờ ký",
    "to_release": "Chờ phát hành",
    "overdue": "Quá hạn xử lý",
    "drafts": "Dự thảo của tôi",
    "all": "Tất cả",
}


def queue(user: User, name: str, today: date | None = None) -> QuerySet[Document]:
    """One queue of the desk, scoped by the units where the user holds the role that works it
    (the clerk registers and releases, the leader assigns, approves and signs, the handler
    handles). An unknown name is an empty queue."""
    clerk = units_in_scope(user, (Role.CLERK,))
    leader = units_in_scope(user, (Role.UNIT_LEADER,))
    rows = visible(user)
    incoming = rows.filter(direction=Direction.INCOMING)
    outgoing = rows.exclude(direction=Direction.INCOMING)
    if name == "overdue":
        return overdue(user, today)
    found = {
        "to_register": lambda: incoming.filter(state=State.ARRIVED, owner_unit_id__in=clerk)
        .order_by("arrived_at"),
        "to_assign": lambda: incoming.filter(state=State.REGISTERED, owner_unit_id__in=leader)
        .order_by("arrived_at"),
        "to_handle": lambda: incoming.filter(state__in=(State.ASSIGNED, State.HANDLING),
                                             handler=user).order_by("handling_deadline"),
        "to_review": lambda: outgoing.filter(state=State.IN_REVIEW, owner_unit_id__in=leader)
        .order_by("updated_at"),
        "to_sign": lambda: outgoing.filter(state=State.APPROVED, signer=user)
        .order_by("updated_at"),
        "to_release": lambda: outgoing.filter(state=State.SIGNED, owner_unit_id__in=clerk)
        .order_by("signed_at"),
        "drafts": lambda: outgoing.filter(state=State.DRAFT, created_by=user)
        .order_by("-updated_at"),
        "all": lambda: rows.order_by("-created_at"),
    }.get(name)  # fmt: skip
    return found() if found is not None else rows.none()


def search(rows: QuerySet[Document], text: str) -> QuerySet[Document]:
    """Search documents (already scoped) by number, symbol, summary or sender, with or without
    diacritics (R-DOC-08): every word must appear in one of them."""
    for token in fold(text).split()[:8]:
        # The folded column (accents removed, lower case, kept in step on every write) makes the
        # two databases alike on accents; on PostgreSQL a trigram GIN index serves the LIKE.
        condition = Q(search_folded__contains=token)
        if token.isdigit():
            condition |= Q(number=int(token)) | Q(arrival_number=int(token))
        rows = rows.filter(condition)
    return rows


def documents_of_dossier(
    user: User, dossier_id: uuid.UUID
) -> list[tuple[Document, str, int | None]]:
    """R-DOC-17: the visible documents of a dossier with their role (consultation, answer, …)
    and per-agency consultation; a secret one shows its register entry only (R-DOC-12)."""
    links = (
        DocumentDossier.objects.filter(dossier_id=dossier_id, document__in=visible(user))
        .select_related("document")
        .order_by("document__created_at")
    )
    return [(link.document, link.role, link.consultation_id) for link in links]


@dataclass(frozen=True)
class OnTime:
    unit_id: uuid.UUID
    unit_name: str
    completed: int
    on_time: int
    open_overdue: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.completed if self.completed else None


def handled_on_time_by_unit(
    unit_ids: frozenset[uuid.UUID] | set[uuid.UUID], start: date, end: date
) -> list[OnTime]:
    """For the operations centre (issue #16 item 7): per receiving body, the incoming documents
    completed between ``start`` and ``end`` (local days, inclusive), how many by their handling
    deadline (R-DOC-16), and how many are still open past it today. The caller passes the
    units its viewer may see (``accounts.scope.units_in_scope``)."""
    completed = DocumentEvent.objects.filter(
        kind="document:state:completed",
        document__owner_unit_id__in=unit_ids,
        document__direction=Direction.INCOMING,
    ).values_list("document__owner_unit_id", "at", "document__handling_deadline")
    stats: dict[uuid.UUID, list[int]] = {}
    for unit_id, at, deadline in completed:
        day = to_local(at).date()
        if not start <= day <= end:
            continue
        row = stats.setdefault(unit_id, [0, 0, 0])
        row[0] += 1
        row[1] += deadline is None or day <= deadline
    today = local_today()
    late = Document.objects.filter(
        owner_unit_id__in=unit_ids, direction=Direction.INCOMING, state__in=OPEN_STATES,
        handling_deadline__lt=today,
    ).values_list("owner_unit_id", flat=True)  # fmt: skip
    for unit_id in late:
        stats.setdefault(unit_id, [0, 0, 0])[2] += 1
    names = dict(Unit.objects.filter(pk__in=stats).values_list("pk", "name"))
    return sorted(
        (OnTime(pk, names.get(pk, ""), *row) for pk, row in stats.items()),
        key=lambda r: r.unit_name,
    )
