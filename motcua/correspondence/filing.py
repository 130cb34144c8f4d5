"""Files and archiving (R-DOC-20; Decree 30/2020 Art. 28–31, summary): the body's yearly list
of files (danh mục hồ sơ), documents filed, files closed when the work ends, and the hand-over
to the body's archive (nộp lưu) with the archive's register number.

The rule's summary decides: files to keep five years or more are handed over within one year
after the work ends, construction files within three months; the system warns before that
deadline (``due_for_archive``). Files kept less than five years stay with the unit (no due
date). One transaction per action; the clerk (văn thư) keeps the list and the archive's
register, a leader may open files too, any officer of the body files its documents.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from motcua.accounts.models import Role, User
from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import local_today, now, to_local
from motcua.core.errors import Conflict, ValidationFailed
from motcua.core.outbox import enqueue
from motcua.core.text import nfc
from motcua.correspondence import numbering
from motcua.correspondence.actions import require_role
from motcua.correspondence.models import (
    ArchiveWarningKind,
    BodyProfile,
    CaseFile,
    CaseFileDocument,
    CaseFileState,
    CaseFileWarning,
    Document,
)
from motcua.correspondence.reminders import clerks_of
from motcua.correspondence.selectors import Register
from motcua.correspondence.states import State
from motcua.correspondence.trail import record

KEEPERS = (Role.CLERK, Role.UNIT_LEADER)
FILERS = (Role.CLERK, Role.UNIT_LEADER, Role.SPECIALIST, Role.ONE_STOP_OFFICER)
#: R-DOC-20: files kept this long or longer (or for ever) go to the archive
ARCHIVE_FROM_YEARS = 5
#: not filed: documents still being written or refused (R-DOC-09: a file holds issued ones)
NOT_FILED = frozenset({State.DRAFT, State.IN_REVIEW, State.APPROVED, State.SIGNED,
                       State.ARRIVED, State.REFUSED})  # fmt: skip
WARN_DAYS = 30


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def archive_due(closed_on: date, *, retention_years: int | None, construction: bool) -> date | None:
    """R-DOC-20: within one year after the work ends (three months for construction files) for
    files kept five years or more; None for files that stay with the unit."""
    if retention_years is not None and retention_years < ARCHIVE_FROM_YEARS:
        return None
    return add_months(closed_on, 3 if construction else 12)


@action
def do_open_case_file(
    unit: Unit,
    *,
    year: int,
    code: str,
    title: str,
    retention_years: int | None,
    acting_user: User,
    construction: bool = False,
    keeper: User | None = None,
) -> CaseFile:
    """A file of the body's yearly list (R-DOC-20)."""
    require_role(acting_user, unit, KEEPERS)
    code, title = nfc(code).strip(), nfc(title).strip()
    if not code or len(code) > 30 or not title or len(title) > 500:
        raise ValidationFailed(
            "Ký hiệu (tối đa 30 ký tự) và tiêu đề hồ sơ (tối đa 500 ký tự) là bắt buộc.",
            "A file code (at most 30 characters) and title (at most 500) are required.",
            field="code",
        )
    if retention_years is not None and not 1 <= retention_years <= 100:
        raise ValidationFailed(
            "Thời hạn bảo quản từ 1 đến 100 năm, hoặc vĩnh viễn.",
            "The retention is 1 to 100 years, or permanent.",
            field="retention_years",
        )
    if not 2000 <= year <= local_today().year + 1:
        raise ValidationFailed("Năm của danh mục không hợp lệ.", "Invalid year.", field="year")
    try:
        with transaction.atomic():
            return CaseFile.objects.create(
                owner_unit=unit, year=year, code=code, title=title,
                retention_years=retention_years, construction=construction,
                keeper=keeper or acting_user,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationFailed(
            "Ký hiệu hồ sơ đã có trong danh mục năm này.",
            "This file code is already in the year's list.",
            field="code",
        ) from None


@action
def do_file_document(case_file: CaseFile, document: Document, *, acting_user: User) -> None:
    """File an issued or registered document of the body in an open file of its list."""
    require_role(acting_user, case_file.owner_unit, FILERS)
    if document.owner_unit_id != case_file.owner_unit_id:
        raise ValidationFailed(
            "Chỉ lập hồ sơ văn bản của chính cơ quan.", "Only the body's own documents are filed.",
            field="document",
        )  # fmt: skip
    if document.state in NOT_FILED:
        raise ValidationFailed(
            "Chỉ đưa vào hồ sơ văn bản đã phát hành hoặc đã vào sổ (R-DOC-20).",
            "Only released or registered documents are filed (R-DOC-20).",
            field="document",
        )
    if not CaseFile.objects.filter(pk=case_file.pk, state=CaseFileState.OPEN).exists():
        raise Conflict("Hồ sơ đã kết thúc, không thêm văn bản.", "The file is closed.")
    try:
        with transaction.atomic():
            CaseFileDocument.objects.create(case_file=case_file, document=document,
                                            filed_at=now())  # fmt: skip
    except IntegrityError:
        raise ValidationFailed(
            "Văn bản đã có trong một hồ sơ.", "The document is already filed.", field="document"
        ) from None
    record(document, "document:filed", actor=acting_user,
           payload={"file": case_file.code, "year": case_file.year})  # fmt: skip


@action
def do_close_case_file(
    case_file: CaseFile, *, acting_user: User, closed_on: date | None = None
) -> CaseFile:
    """The work ends: the file is closed and, when it goes to the archive, gets its due date."""
    require_role(acting_user, case_file.owner_unit, KEEPERS)
    day = closed_on or local_today()
    if day > local_today() or day.year < case_file.year:
        raise ValidationFailed(
            "Ngày kết thúc công việc không hợp lệ.", "Invalid end date.", field="closed_on"
        )
    due = archive_due(day, retention_years=case_file.retention_years,
                      construction=case_file.construction)  # fmt: skip
    moved = CaseFile.objects.filter(pk=case_file.pk, state=CaseFileState.OPEN).update(
        state=CaseFileState.CLOSED, closed_on=day, archive_due=due, updated_at=now()
    )
    if not moved:
        raise Conflict("Hồ sơ không còn đang lập; hãy tải lại trang.", "The file is not open.")
    case_file.state, case_file.closed_on, case_file.archive_due = CaseFileState.CLOSED, day, due
    return case_file


@action
def do_archive_case_file(case_file: CaseFile, *, acting_user: User) -> CaseFile:
    """R-DOC-20: the closed file is handed to the body's archive; the archive's register gives
    it the next number of the year (gap-free, like the registers)."""
    require_role(acting_user, case_file.owner_unit, (Role.CLERK,))
    if case_file.state == CaseFileState.CLOSED and case_file.archive_due is None:
        raise ValidationFailed(
            "Hồ sơ bảo quản dưới 5 năm do đơn vị giữ, không nộp lưu (R-DOC-20).",
            "Files kept under five years stay with the unit (R-DOC-20).",
        )
    year = local_today().year
    moment = now()
    moved = CaseFile.objects.filter(pk=case_file.pk, state=CaseFileState.CLOSED).update(
        state=CaseFileState.ARCHIVED, archived_at=moment, updated_at=moment
    )
    if not moved:
        raise Conflict(
            "Chỉ nộp lưu hồ sơ đã kết thúc, chưa nộp; hãy tải lại trang.",
            "Only a closed file not yet handed over can be archived.",
        )
    number = numbering.next_archive_number(case_file.owner_unit_id, year)
    CaseFile.objects.filter(pk=case_file.pk).update(archive_number=number, archive_year=year)
    case_file.state, case_file.archived_at = CaseFileState.ARCHIVED, moment
    case_file.archive_number, case_file.archive_year = number, year
    return case_file


def due_for_archive(unit: Unit, today: date | None = None) -> list[tuple[CaseFile, bool]]:
    """R-DOC-20 warning: closed files due at the archive within ``WARN_DAYS`` days, with
    whether the deadline has passed, soonest first."""
    day = today or local_today()
    files = CaseFile.objects.filter(
        owner_unit=unit, state=CaseFileState.CLOSED,
        archive_due__isnull=False, archive_due__lte=day + timedelta(days=WARN_DAYS),
    ).order_by("archive_due", "code")  # fmt: skip
    return [(f, f.archive_due is not None and f.archive_due < day) for f in files]


WARNING_SUBJECTS = {
    ArchiveWarningKind.DUE_SOON: "Hồ sơ {code} sắp đến hạn nộp lưu ({due})",
    ArchiveWarningKind.OVERDUE: "Hồ sơ {code} đã quá hạn nộp lưu ({due})",
}


@action
def do_warn_archive_due(case_file: CaseFile, kind: str) -> CaseFileWarning | None:
    """R-DOC-20: raise the archive warning of ``kind`` about a closed file and e-mail the
    body's clerks through the outbox; None when it was raised before (one row per file and
    kind, whatever how often or on how many workers the job runs)."""
    assert case_file.archive_due is not None
    try:
        with transaction.atomic():
            warning = CaseFileWarning.objects.create(
                case_file=case_file, kind=kind, due=case_file.archive_due, created_at=now()
            )
    except IntegrityError:
        return None
    due = case_file.archive_due.strftime("%d/%m/%Y")
    subject = WARNING_SUBJECTS[ArchiveWarningKind(kind)].format(code=case_file.code, due=due)
    link = settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("desk:case-files")
    clerks = [c for c in clerks_of(case_file.owner_unit) if c.email]
    for clerk in clerks:
        enqueue(
            topic="email.send",
            key=f"case-file:{case_file.pk}",
            payload={
                "to": clerk.email,
                "subject": subject,
                "body": f"{subject}\n{case_file.title}\nXem danh mục hồ sơ: {link}",
                "kind": f"case_file_archive_{kind}",
            },
            idempotency_key=f"email:case-file-warning:{case_file.pk}:{kind}:{clerk.pk}",
        )
    CaseFileWarning.objects.filter(pk=warning.pk).update(emailed=len(clerks))
    warning.emailed = len(clerks)
    return warning


def run_archive_warnings(today: date | None = None) -> int:
    """R-DOC-20 "the system warns before that deadline" (scheduled in config/jobs.py): every
    closed file due at the archive within ``WARN_DAYS`` days is warned about once, and once
    more when its deadline has passed. Returns the warnings raised."""
    day = today or local_today()
    raised = 0
    for unit in Unit.objects.filter(pk__in=BodyProfile.objects.values("unit_id")):
        for case_file, late in due_for_archive(unit, day):
            kinds = [ArchiveWarningKind.DUE_SOON] + ([ArchiveWarningKind.OVERDUE] if late else [])
            for kind in kinds:
                if case_file.warnings.filter(kind=kind).exists():
                    continue
                if do_warn_archive_due(case_file, kind) is not None:
                    raised += 1
    return raised


FILE_LIST_COLUMNS = ["Ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Thời hạn bảo quản",
                     "Người lập hồ sơ", "Số văn bản", "Ghi chú"]  # fmt: skip
ARCHIVE_COLUMNS = ["Số thứ tự", "Ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Năm", "Ngày kết thúc",
                   "Thời hạn bảo quản", "Ngày nộp lưu"]  # fmt: skip


def _retention(f: CaseFile) -> str:
    return "Vĩnh viễn" if f.retention_years is None else f"{f.retention_years} năm"


def file_list(unit: Unit, year: int) -> Register:
    """The yearly list of files (danh mục hồ sơ), printable like the registers."""
    rows = []
    for f in CaseFile.objects.filter(owner_unit=unit, year=year).select_related("keeper"):
        keeper = (f.keeper.full_name or f.keeper.username) if f.keeper else ""
        note = {CaseFileState.CLOSED: "Đã kết thúc", CaseFileState.ARCHIVED: "Đã nộp lưu"}
        rows.append([f.code, f.title, _retention(f), keeper, str(f.entries.count()),
                     str(note.get(CaseFileState(f.state), ""))])  # fmt: skip
    rows.sort(key=lambda r: r[0])
    return Register(f"Danh mục hồ sơ năm {year}", FILE_LIST_COLUMNS, rows)


def archive_register(unit: Unit, year: int) -> Register:
    """The archive's register of files handed over in ``year``, in archive-number order."""
    files = CaseFile.objects.filter(owner_unit=unit, archive_year=year).order_by("archive_number")
    rows = [
        [f"{f.archive_number:02d}", f.code, f.title, str(f.year),
         f.closed_on.strftime("%d/%m/%Y") if f.closed_on else "", _retention(f),
         to_local(f.archived_at).strftime("%d/%m/%Y") if f.archived_at else ""]
        for f in files
    ]  # fmt: skip
    return Register(f"Sổ nộp lưu hồ sơ năm {year}", ARCHIVE_COLUMNS, rows)
