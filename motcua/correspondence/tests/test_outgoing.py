"""An outgoing document from draft to release and revocation (R-DOC-01, 03, 04, 05, 07, 09, 10,
12, 15), the trail, and who may do what."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.db import DatabaseError, transaction
from fpdf import FPDF
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.correspondence import actions as a
from motcua.correspondence import signing
from motcua.correspondence.models import BodyProfile, Document, DocumentEvent, Security
from motcua.correspondence.tests.factories import draft, to_released, to_signed
from motcua.documents import ca
from motcua.documents.signing import validation_context
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


def pdfsig(pdf: Path) -> str:
    assert shutil.which("pdfsig"), "poppler-utils (pdfsig) is required"
    run = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, check=False)
    return run.stdout


def test_draft_to_release_two_signatures_verified_by_pdfsig(
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    tmp_path: Path,
) -> None:
    """GIVEN a decision drafted, approved and signed by the leader WHEN the clerk releases it
    THEN it gets number 01 of the year (R-DOC-05), the date line with leading zeros (R-DOC-04),
    and pdfsig verifies two signatures: the signer's, then the body's (R-DOC-10)."""
    with time_machine.travel(datetime(2026, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        doc = draft(pc_a, specialist_a, leader_a)
        assert doc.symbol == "QĐ-UBND"
        assert doc.number is None
        to_released(doc, specialist_a, leader_a, clerk_a)
    doc = Document.objects.get(pk=doc.pk)
    assert doc.state == "released"
    assert (doc.number, doc.year) == (1, 2026)
    assert doc.number_and_symbol == "01/QĐ-UBND"
    out = tmp_path / "doc.pdf"
    out.write_bytes(doc.pdf.read())
    report = pdfsig(out)
    assert report.count("Signature is Valid.") == 2, report
    assert report.index("ChuKyNguoiKy") < report.index("ChuKyCoQuan")
    assert "CN=Phạm Minh Dũng" in report  # the signer's own certificate first
    # pyHanko's strict diff analysis: the clerk's number and date (FreeText annotations) and the
    # body's signature are allowed changes after the signer's approval signature (R-DOC-10)
    signatures = PdfFileReader(io.BytesIO(doc.pdf.open("rb").read()), strict=False)
    context = validation_context(ca.ensure_root_ca()[1])
    signer_status, body_status = (
        validate_pdf_signature(sig, context) for sig in signatures.embedded_signatures
    )
    assert signer_status.docmdp_ok is True, signer_status.summary()
    assert signer_status.modification_level == ModificationLevel.FORM_FILLING
    assert signer_status.bottom_line
    assert body_status.bottom_line
    assert body_status.modification_level == ModificationLevel.NONE
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Số: 01/QĐ-UBND" in text
    assert "Cần Thơ, ngày 05 tháng 01 năm 2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nơi nhận:" in text
    kinds = list(doc.events.values_list("kind", flat=True))
    assert kinds == [
        "document:created",
        "document:state:in_review",
        "document:state:approved",
        "document:state:signed",
        "document:state:released",
    ]


def test_numbers_follow_in_order_and_a_letter_takes_the_unit_symbol(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User, clerk_a: User
) -> None:
    """R-DOC-05: one series per body and year, in order of issue, across types; R-DOC-03: a
    công văn is ``UBND-VP``. A new year starts again at 01."""
    with time_machine.travel(datetime(2026, 12, 31, 9, 0, tzinfo=TZ), tick=False):
        first = to_signed(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a)
        letter = draft(pc_a, specialist_a, leader_a, type_code="cong_van", drafting="VP")
        to_signed(letter, specialist_a, leader_a)
        a.do_release_document(first, acting_user=clerk_a)
        a.do_release_document(letter, acting_user=clerk_a)
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=TZ), tick=False):
        third = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    assert (first.number_and_symbol, letter.number_and_symbol) == ("01/QĐ-UBND", "02/UBND-VP")
    assert (third.number, third.year) == (1, 2027)


def test_who_may_do_what_and_missing_equals_forbidden(
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    officer_b: User,
) -> None:
    """Only the leader approves and signs, only the clerk releases (R-DOC-10); an officer of
    another commune gets the same answer as for a missing document (DESIGN §2)."""
    doc = draft(pc_a, specialist_a, leader_a)
    with pytest.raises(NotFound):
        a.do_submit_document(doc, acting_user=officer_b)
    a.do_submit_document(doc, acting_user=specialist_a)
    with pytest.raises(PermissionDenied):
        a.do_approve_document(doc, acting_user=specialist_a)
    a.do_approve_document(doc, acting_user=leader_a)
    with pytest.raises(Conflict):  # approved twice: nothing changes
        a.do_approve_document(doc, acting_user=leader_a)
    a.do_sign_document(doc, acting_user=leader_a)
    with pytest.raises(PermissionDenied):
        a.do_release_document(doc, acting_user=leader_a)
    assert Document.objects.get(pk=doc.pk).number is None


def test_signer_must_be_a_leader_and_bad_input_changes_nothing(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User
) -> None:
    before = Document.objects.count()
    with pytest.raises(ValidationFailed):
        draft(pc_a, specialist_a, specialist_a)  # R-DOC-10: the competent person signs
    with pytest.raises(ValidationFailed):
        draft(pc_a, specialist_a, leader_a, type_code="GN")  # R-DOC-02: 2011 abbreviation
    with pytest.raises(ValidationFailed):
        draft(pc_a, specialist_a, leader_a, type_code="cong_van")  # R-DOC-03: unit needed
    assert Document.objects.count() == before


def test_secret_documents_keep_no_content_and_are_not_signed_electronically(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User
) -> None:
    """R-DOC-12: only the register entry; never signed or sent electronically."""
    doc = draft(pc_a, specialist_a, leader_a, security=Security.SECRET)
    assert doc.content == ""
    assert doc.series == "secret"
    a.do_submit_document(doc, acting_user=specialist_a)
    a.do_approve_document(doc, acting_user=leader_a)
    with pytest.raises(ValidationFailed):
        a.do_sign_document(doc, acting_user=leader_a)
    assert Document.objects.get(pk=doc.pk).state == "approved"


def test_revocation_keeps_the_register_entry_and_the_trail_is_immutable(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User, clerk_a: User
) -> None:
    """R-DOC-15: revoked, the number stays; R-DOC-09: the trail cannot be edited or erased."""
    doc = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    with pytest.raises(ValidationFailed):
        a.do_revoke_document(doc, reason=" ", acting_user=leader_a)
    a.do_revoke_document(doc, reason="Sai thẩm quyền ban hành", acting_user=leader_a)
    doc.refresh_from_db()
    assert (doc.state, doc.number) == ("revoked", 1)
    event = DocumentEvent.objects.filter(document=doc).last()
    assert event is not None
    assert event.reason == "Sai thẩm quyền ban hành"
    with pytest.raises(DatabaseError), transaction.atomic():
        DocumentEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        DocumentEvent.objects.filter(pk=event.pk).delete()


def test_a_separate_attachment_is_signed_by_the_body_with_the_main_number(
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    tmp_path: Path,
) -> None:
    """R-DOC-11: body signature only, top right, no image, the main number and the time."""
    appendix = FPDF()
    appendix.add_page()
    appendix.set_font("helvetica", size=12)
    appendix.cell(0, 10, "Phu luc: danh sach thanh vien")
    doc = draft(pc_a, specialist_a, leader_a)
    with pytest.raises(ValidationFailed):
        a.do_attach_file(doc, name="x", pdf=b"not a pdf", acting_user=specialist_a)
    attachment = a.do_attach_file(
        doc, name="Phụ lục", pdf=bytes(appendix.output()), acting_user=specialist_a
    )
    to_signed(doc, specialist_a, leader_a)
    with time_machine.travel(datetime(2026, 4, 1, 14, 5, 9, tzinfo=TZ), tick=False):
        a.do_release_document(doc, acting_user=clerk_a)
    attachment.refresh_from_db()
    out = tmp_path / "appendix.pdf"
    out.write_bytes(attachment.file.read())
    report = pdfsig(out)
    assert report.count("Signature is Valid.") == 1
    assert "ChuKyCoQuanPhuLuc" in report
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Kèm theo văn bản số 01/QĐ-UBND" in text
    assert "2026-04-01T14:05:09+07:00" in text


def test_a_document_signed_before_the_number_fields_is_still_numbered(
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A document the signer signed before the blank number and date fields existed: the
    clerk's release still writes them (into the page, the old way) and pdfsig verifies both
    signatures (R-DOC-05, R-DOC-10)."""
    doc = draft(pc_a, specialist_a, leader_a)
    with monkeypatch.context() as patched:
        patched.setattr(signing, "_add_blank_field", lambda *args, **kwargs: None)
        to_signed(doc, specialist_a, leader_a)
    a.do_release_document(doc, acting_user=clerk_a)
    doc = Document.objects.get(pk=doc.pk)
    out = tmp_path / "doc.pdf"
    out.write_bytes(doc.pdf.read())
    assert pdfsig(out).count("Signature is Valid.") == 2
    form = PdfFileReader(io.BytesIO(out.read_bytes()), strict=False).root["/AcroForm"]
    names = [str(ref.get_object()["/T"]) for ref in form["/Fields"]]
    assert names == ["ChuKyNguoiKy", "ChuKyCoQuan"]  # really the old way: no number field
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Số: {doc.number_and_symbol}" in text
