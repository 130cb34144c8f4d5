"""Files and archiving (R-DOC-20): the yearly list of files, filing, closing and the hand-over
to the archive with its register and the warning before the deadline."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.correspondence import filing
from motcua.correspondence.models import BodyProfile, CaseFile
from motcua.correspondence.tests.factories import draft, to_released
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


def test_archive_due_dates() -> None:
    """R-DOC-20: within one year after the work ends, three months for construction files;
    files kept under five years stay with the unit."""
    due = filing.archive_due
    assert due(date(2026, 3, 31), retention_years=10, construction=False) == date(2027, 3, 31)
    assert due(date(2026, 11, 30), retention_years=None, construction=True) == date(2027, 2, 28)
    assert due(date(2026, 3, 31), retention_years=5, construction=False) is not None
    assert due(date(2026, 3, 31), retention_years=2, construction=False) is None


def test_a_file_is_listed_filled_closed_and_handed_to_the_archive(
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    pc_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-20: the clerk opens a file in the year's list; an officer files a released
    document (not a draft, not twice); closing sets the archive deadline; the list warns 30
    days before it; the hand-over numbers the file in the archive's register."""
    with pytest.raises(PermissionDenied):
        filing.do_open_case_file(pc_a, year=2026, code="01.HC", title="x", retention_years=10,
                                 acting_user=specialist_a)  # fmt: skip
    case_file = filing.do_open_case_file(
        pc_a, year=2026, code="01.HC", title="Hồ sơ kiện toàn Tổ công tác một cửa",
        retention_years=10, acting_user=clerk_a,
    )  # fmt: skip
    with pytest.raises(ValidationFailed, match="đã có"):
        filing.do_open_case_file(pc_a, year=2026, code="01.HC", title="Trùng",
                                 retention_years=None, acting_user=clerk_a)  # fmt: skip
    short = filing.do_open_case_file(pc_a, year=2026, code="02.HC", title="Giấy mời họp",
                                     retention_years=2, acting_user=leader_a)  # fmt: skip
    doc = draft(pc_a, specialist_a, leader_a)
    with pytest.raises(ValidationFailed, match="đã phát hành"):
        filing.do_file_document(case_file, doc, acting_user=specialist_a)
    to_released(doc, specialist_a, leader_a, clerk_a)
    filing.do_file_document(case_file, doc, acting_user=specialist_a)
    with pytest.raises(ValidationFailed, match="đã có trong một hồ sơ"):
        filing.do_file_document(short, doc, acting_user=specialist_a)
    assert doc.events.filter(kind="document:filed").count() == 1
    other_body = CaseFile(owner_unit=pc_b, year=2026, code="X", title="X")
    with pytest.raises(NotFound):  # another body's file: not seen
        filing.do_file_document(other_body, doc, acting_user=specialist_a)
    with pytest.raises(PermissionDenied):
        filing.do_close_case_file(case_file, acting_user=specialist_a)
    filing.do_close_case_file(case_file, acting_user=clerk_a, closed_on=date(2026, 3, 9))
    assert case_file.archive_due == date(2027, 3, 9)
    with pytest.raises(Conflict):  # closed: nothing more is filed
        filing.do_file_document(case_file, doc, acting_user=specialist_a)
    filing.do_close_case_file(short, acting_user=clerk_a)
    with pytest.raises(ValidationFailed, match="dưới 5 năm"):
        filing.do_archive_case_file(short, acting_user=clerk_a)
    assert filing.due_for_archive(pc_a) == []
    clock.move_to(datetime(2027, 2, 10, 9, 0, tzinfo=TZ))  # 27 days before
    assert filing.due_for_archive(pc_a) == [(case_file, False)]
    clock.move_to(datetime(2027, 3, 10, 9, 0, tzinfo=TZ))
    assert filing.due_for_archive(pc_a) == [(case_file, True)]
    with pytest.raises(PermissionDenied):
        filing.do_archive_case_file(case_file, acting_user=leader_a)
    filing.do_archive_case_file(case_file, acting_user=clerk_a)
    with pytest.raises(Conflict):
        filing.do_archive_case_file(case_file, acting_user=clerk_a)
    assert (case_file.archive_number, case_file.archive_year) == (1, 2027)
    assert filing.due_for_archive(pc_a) == []
    listed = filing.file_list(pc_a, 2026)
    assert [row[0] for row in listed.rows] == ["01.HC", "02.HC"]
    assert listed.rows[0][2:] == ["10 năm", clerk_a.full_name, "1", "Đã nộp lưu"]
    [entry] = filing.archive_register(pc_a, 2027).rows
    assert entry == ["01", "01.HC", "Hồ sơ kiện toàn Tổ công tác một cửa", "2026", "09/03/2026",
                     "10 năm", "10/03/2027"]  # fmt: skip


def test_the_archive_warning_job_warns_the_clerks_once_before_and_once_after_the_deadline(
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    clerk_a: User,
) -> None:
    """R-DOC-20 "the system warns before that deadline": the scheduled job e-mails the body's
    clerks through the outbox 30 days before a closed file is due at the archive and once more
    when the deadline passed; running it again (or on another worker) raises nothing twice;
    a file handed over is no longer warned about."""
    clerk_a.email = "vanthu@ninhkieu.example"
    clerk_a.save(update_fields=["email"])
    case_file = filing.do_open_case_file(
        pc_a, year=2026, code="05.TC", title="Hồ sơ quyết toán ngân sách năm 2025",
        retention_years=None, acting_user=clerk_a,
    )  # fmt: skip
    filing.do_close_case_file(case_file, acting_user=clerk_a, closed_on=date(2026, 3, 9))
    assert filing.run_archive_warnings() == 0  # due 09/03/2027: too early
    clock.move_to(datetime(2027, 2, 10, 9, 0, tzinfo=TZ))
    assert filing.run_archive_warnings() == 1
    assert filing.run_archive_warnings() == 0
    [mail] = OutboxMessage.objects.filter(topic="email.send", key=f"case-file:{case_file.pk}")
    assert mail.payload["to"] == "vanthu@ninhkieu.example"
    assert mail.payload["subject"] == "Hồ sơ 05.TC sắp đến hạn nộp lưu (09/03/2027)"
    assert "/desk/documents/files/" in mail.payload["body"]
    clock.move_to(datetime(2027, 3, 10, 9, 0, tzinfo=TZ))
    assert filing.run_archive_warnings() == 1
    assert filing.run_archive_warnings() == 0
    assert sorted(case_file.warnings.values_list("kind", flat=True)) == ["due_soon", "overdue"]
    assert sorted(w.emailed for w in case_file.warnings.all()) == [1, 1]
    filing.do_archive_case_file(case_file, acting_user=clerk_a)
    other = filing.do_open_case_file(
        pc_a, year=2027, code="06.TC", title="Hồ sơ khác", retention_years=10,
        acting_user=clerk_a,
    )  # fmt: skip
    filing.do_close_case_file(other, acting_user=clerk_a, closed_on=date(2027, 3, 1))
    assert filing.run_archive_warnings() == 0  # handed over; the other is due in 2028
