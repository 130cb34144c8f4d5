"""Registers (R-DOC-08), late releases (R-DOC-07), dossier links (R-DOC-17) and scoped reads."""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.errors import NotFound
from motcua.correspondence import actions as a
from motcua.correspondence import incoming
from motcua.correspondence import selectors as s
from motcua.correspondence.models import BodyProfile, Document, DocumentDossier, Urgency
from motcua.correspondence.tests.factories import draft, to_released, to_signed
from motcua.dossiers.tests.factories import submitted
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


def test_outgoing_register_keeps_revoked_entries_and_exports_every_column(
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    tmp_path: Path,
) -> None:
    """R-DOC-08 columns; R-DOC-09/15: a revoked document stays in the register."""
    with time_machine.travel(datetime(2026, 2, 3, 9, 0, tzinfo=TZ), tick=False):
        first = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
        to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
        a.do_revoke_document(first, reason="Ban hành sai thể thức", acting_user=leader_a)
    register = s.outgoing_register(pc_a, 2026)
    assert [row[0] for row in register.rows] == ["01/QĐ-UBND", "02/QĐ-UBND"]
    assert register.rows[0][1] == "03/02/2026"
    assert register.rows[0][9] == "Đã thu hồi"
    assert register.rows[0][5] == "VT, VP"
    sheet = load_workbook(io.BytesIO(s.register_xlsx(register))).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[1] == s.OUTGOING_COLUMNS
    assert values[2][0] == "01/QĐ-UBND"
    assert s.outgoing_register(pc_a, 2025).rows == []
    printed = tmp_path / "register.pdf"
    printed.write_bytes(s.register_pdf(register))
    text = subprocess.run(
        ["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM 2026" in text
    assert "02/QĐ-UBND" in text
    assert "Ký nhận" in text


def test_overdue_handling_for_the_handler_and_the_leader(
    pc_a: Unit, clerk_a: User, leader_a: User, specialist_a: User, officer_b: User
) -> None:
    """R-DOC-16: past its working-day deadline, the handler and the leader see it; an officer
    of another commune does not."""
    data = a.IncomingInput(
        type_code="cong_van", summary="Về việc rà soát hồ sơ tồn đọng",
        issuing_body_code="000.00.12.H13", issuing_body_name="Sở Tư pháp",
        number=3, symbol="STP-VP", issued_on=date(2026, 3, 2),
    )  # fmt: skip
    with time_machine.travel(datetime(2026, 3, 6, 9, 0, tzinfo=TZ), tick=False):
        doc = a.do_register_incoming_document(pc_a, data, acting_user=clerk_a)
        incoming.do_assign_document(doc, handler=specialist_a, days=2, acting_user=leader_a)
    assert doc.handling_deadline == date(2026, 3, 10)
    assert list(s.overdue(specialist_a, date(2026, 3, 10))) == []
    assert list(s.overdue(specialist_a, date(2026, 3, 11))) == [doc]
    assert list(s.overdue(leader_a, date(2026, 3, 11))) == [doc]
    assert list(s.overdue(officer_b, date(2026, 3, 11))) == []


def test_a_signed_document_is_late_after_the_next_working_day(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User
) -> None:
    """R-DOC-07: signed on Friday 6 March 2026, due Monday 9 March; an urgent one at once."""
    with time_machine.travel(datetime(2026, 3, 6, 16, 0, tzinfo=TZ), tick=False):
        normal = to_signed(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a)
        urgent_draft = draft(pc_a, specialist_a, leader_a)
        urgent_draft.urgency = Urgency.FLASH
        urgent_draft.save(update_fields=["urgency"])
        urgent = to_signed(urgent_draft, specialist_a, leader_a)
    assert s.release_due(normal) == date(2026, 3, 9)
    assert [d.pk for d in s.late_releases(pc_a, date(2026, 3, 6))] == [urgent.pk]
    assert [d.pk for d in s.late_releases(pc_a, date(2026, 3, 9))] == [urgent.pk]
    late = {d.pk for d in s.late_releases(pc_a, date(2026, 3, 10))}
    assert late == {normal.pk, urgent.pk}


def test_one_document_belongs_to_several_dossiers_without_copy(
    profile_a: BodyProfile,
    pc_a: Unit,
    psc_a: Unit,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
) -> None:
    """R-DOC-17: linked, not copied (Appendix VI III.4.e)."""
    one = submitted(officer_a, at=psc_a, competent=pc_a)
    two = submitted(officer_a, at=psc_a, competent=pc_a, name="Trần Thị Hai")
    data = a.OutgoingInput(
        type_code="cong_van", summary="Về việc lấy ý kiến phối hợp giải quyết hồ sơ",
        content="Đề nghị quý cơ quan cho ý kiến.", signer=leader_a,
        signer_position="Chủ tịch", drafting_unit_abbreviation="VP", dossiers=[one, two],
    )  # fmt: skip
    letter = a.do_create_outgoing_document(pc_a, data, acting_user=specialist_a)
    links = DocumentDossier.objects.filter(document=letter)
    assert sorted(str(d) for d in links.values_list("dossier_id", flat=True)) == sorted(
        [str(one.pk), str(two.pk)]
    )
    assert set(letter.dossiers.all()) == {one, two}


def test_reads_are_scoped_and_missing_equals_forbidden(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User, officer_b: User
) -> None:
    doc = draft(pc_a, specialist_a, leader_a)
    assert s.document_for(specialist_a, doc.pk) == doc
    with pytest.raises(NotFound) as forbidden:
        s.document_for(officer_b, doc.pk)
    with pytest.raises(NotFound) as missing:
        s.document_for(officer_b, "00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFound):
        s.document_for(officer_b, "not-an-id")
    assert forbidden.value.as_dict() == missing.value.as_dict()


def test_the_follow_up_register_of_incoming_handling_prints_every_column(
    profile_a: BodyProfile,
    pc_a: Unit,
    clerk_a: User,
    leader_a: User,
    specialist_a: User,
    tmp_path: Path,
) -> None:
    """R-DOC-08 follow-up of incoming handling: arrival number, document, handler, handling
    deadline, progress, number and symbol of the reply, notes — for the documents assigned a
    handler, in arrival order; printable as XLSX and PDF with all its columns."""

    def arrived(number: int, summary: str) -> Document:
        data = a.IncomingInput(
            type_code="cong_van", summary=summary, issuing_body_code="000.00.12.H13",
            issuing_body_name="Sở Tư pháp", number=number, symbol="STP-VP",
            issued_on=date(2026, 3, 2),
        )  # fmt: skip
        return a.do_register_incoming_document(pc_a, data, acting_user=clerk_a)

    with time_machine.travel(datetime(2026, 3, 6, 9, 0, tzinfo=TZ), tick=False):
        asked = arrived(3, "Về việc rà soát hồ sơ tồn đọng")
        late = arrived(4, "Về việc báo cáo số liệu quý I")
        arrived(5, "Giấy mời dự hội nghị")  # never assigned: not followed up
        incoming.do_assign_document(asked, handler=specialist_a, days=2, acting_user=leader_a)
        incoming.do_assign_document(late, handler=specialist_a, days=2, acting_user=leader_a)
        incoming.do_handle_document(late, acting_user=specialist_a)
    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=TZ), tick=False):
        reply = a.do_create_outgoing_document(
            pc_a,
            a.OutgoingInput(
                type_code="cong_van", summary="Về việc báo cáo hồ sơ tồn đọng",
                content="Kính gửi Sở Tư pháp.", signer=leader_a, signer_position="Chủ tịch",
                recipients=[a.RecipientInput("Sở Tư pháp", "000.00.12.H13")],
                drafting_unit_abbreviation="VP", response_to=asked,
            ),
            acting_user=specialist_a,
        )  # fmt: skip
        to_released(reply, specialist_a, leader_a, clerk_a)
        incoming.do_complete_document(asked, acting_user=specialist_a)
    register = s.follow_up_register(pc_a, 2026, today=date(2026, 3, 12))
    assert register.columns == s.FOLLOW_UP_COLUMNS
    assert [row[0] for row in register.rows] == ["1", "2"]
    first, second = register.rows
    assert first[1] == (
        "Công văn, số 03/STP-VP, ngày 02/03/2026, Sở Tư pháp: Về việc rà soát hồ sơ tồn đọng"
    )
    assert first[2:6] == [specialist_a.full_name, "10/03/2026", "Hoàn thành ngày 09/03/2026",
                          "01/UBND-VP"]  # fmt: skip
    assert second[3:6] == ["10/03/2026", "Quá hạn, đang xử lý", ""]
    assert s.follow_up_register(pc_a, 2025).rows == []
    sheet = load_workbook(io.BytesIO(s.register_xlsx(register))).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[1] == s.FOLLOW_UP_COLUMNS
    assert values[2][5] == "01/UBND-VP"
    printed = tmp_path / "follow-up.pdf"
    printed.write_bytes(s.register_pdf(register))
    text = subprocess.run(
        ["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN NĂM 2026" in text
    assert "Quá hạn, đang xử lý" in text
