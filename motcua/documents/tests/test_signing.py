"""Signed results: PAdES signatures checked by poppler's pdfsig and pyHanko's validator, the
public verification page, revocation and the citizen's document store."""

from __future__ import annotations

import io
import stat
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

from motcua.agencies.models import Unit
from motcua.documents import ca, signing
from motcua.documents.forms import Issuer
from motcua.documents.issuing import DocumentRequest, do_issue_signed_document, do_revoke_document
from motcua.documents.models import DocumentKind, DocumentStatus, SignedDocument
from motcua.documents.result_pdf import ResultData, render_result
from motcua.documents.selectors import documents_of_citizen
from motcua.documents.tests.pdftools import render_png, text_of

pytestmark = pytest.mark.django_db

CITIZEN_ID = "092190000001"
PDFSIG = "/usr/bin/pdfsig"


def _data(unit: Unit, url: str, code: str = "000.00.01.H26-260310-0001") -> ResultData:
    return ResultData(
        issuer=Issuer(unit.name, unit.province.name, unit.parent.name if unit.parent else ""),
        number=f"KQ-{code}",
        dossier_code=code,
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        applicant_name="Nguyễn Thị An",
        applicant_id_number=CITIZEN_ID,
        applicant_address="Số 12 đường Hai Bà Trưng, Phường Ninh Kiều, Thành phố Cần Thơ",
        received_at=datetime(2026, 3, 10, 2, 0, tzinfo=UTC),
        decided_at=datetime(2026, 3, 10, 8, 30, tzinfo=UTC),
        approved=True,
        result_names=["Giấy khai sinh (bản chính)", "Trích lục khai sinh (bản sao)"],
        reason="Đồng ý",
        signer_title="Chủ tịch",
        verify_url=url,
    )


def _issue(unit: Unit, code: str = "000.00.01.H26-260310-0001") -> SignedDocument:
    request = DocumentRequest(
        kind=DocumentKind.RESULT,
        owner_unit=unit,
        subject_id_number=CITIZEN_ID,
        subject_name="Nguyễn Thị An",
        reference=code,
        procedure_code="1.001193",
        title="Giấy khai sinh (bản chính)",
    )
    return do_issue_signed_document(request, lambda url: render_result(_data(unit, url, code)))


def pdfsig(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        run = subprocess.run([PDFSIG, handle.name], capture_output=True, text=True, check=False)
    return run.stdout + run.stderr


def pyhanko_status(pdf: bytes) -> Any:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    root = ca.ensure_root_ca()[1]
    return validate_pdf_signature(reader.embedded_signatures[0], signing.validation_context(root))


def flip_a_byte_in_signed_content(pdf: bytes) -> bytes:
    """Change one byte inside the first signed range (a page content stream)."""
    at = pdf.index(b"stream", 1000) + 20
    data = bytearray(pdf)
    data[at] ^= 0x01
    return bytes(data)


def append_text_incrementally(pdf: bytes) -> bytes:
    """An incremental update that adds text to the page: the signed bytes stay as they were."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    page = writer.pages[0]
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 18 Tf 40 40 Td (DA SUA NOI DUNG) Tj ET")
    ref = writer._add_object(stream)
    page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), ref])
    out = io.BytesIO()
    writer.write(out)
    changed = out.getvalue()
    assert changed.startswith(pdf)
    return changed


def test_the_demo_ca_is_created_once_outside_the_repository_with_private_keys_0600(
    pc_a: Unit,
) -> None:
    first = ca.ensure_unit_credentials(pc_a)
    again = ca.ensure_unit_credentials(pc_a)
    assert first == again
    assert Path(settings.MOTCUA_PKI_DIR) in first.key_path.parents
    for key in (first.key_path, ca.ensure_root_ca()[0]):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    cert = first.load_certificate()
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == pc_a.name
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value == (
        pc_a.eid_code
    )
    root = x509.load_pem_x509_certificate(ca.root_certificate_pem())
    assert cert.issuer == root.subject


def test_a_signed_result_is_valid_for_pdfsig_and_pyhanko(pc_a: Unit) -> None:
    document = _issue(pc_a)
    pdf = document.file.read()
    out = pdfsig(pdf)
    assert "Signature is Valid." in out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out
    assert f"Signer Certificate Common Name: {pc_a.name}" in out
    status = pyhanko_status(pdf)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line
    assert signing.validate_pdf(pdf, ca.ensure_root_ca()[1]).ok


def test_changing_one_signed_byte_breaks_the_signature(pc_a: Unit) -> None:
    pdf = flip_a_byte_in_signed_content(_issue(pc_a).file.read())
    out = pdfsig(pdf)
    assert "Signature is Valid." not in out
    assert "Digest Mismatch" in out or "Signature is Invalid" in out
    assert not pyhanko_status(pdf).intact
    assert not signing.validate_pdf(pdf, ca.ensure_root_ca()[1]).ok


def test_an_incremental_update_that_changes_text_is_detected(pc_a: Unit) -> None:
    pdf = append_text_incrementally(_issue(pc_a).file.read())
    out = pdfsig(pdf)
    # The signed revision is untouched (poppler still says the signature matches) but it no
    # longer covers the whole file; pyHanko's difference analysis rejects the new content.
    assert "Not total document signed" in out
    status = pyhanko_status(pdf)
    assert status.intact
    assert not status.bottom_line
    assert not signing.validate_pdf(pdf, ca.ensure_root_ca()[1]).ok


def test_a_pdf_signed_by_another_ca_is_not_trusted(pc_a: Unit, tmp_path: Path) -> None:
    pdf = _issue(pc_a).file.read()
    other_root = tmp_path / "other"
    settings_dir = settings.MOTCUA_PKI_DIR
    settings.MOTCUA_PKI_DIR = other_root
    try:
        check = signing.validate_pdf(pdf, ca.ensure_root_ca()[1])
    finally:
        settings.MOTCUA_PKI_DIR = settings_dir
    assert check.intact
    assert check.valid
    assert not check.trusted
    assert not check.ok


def test_the_result_is_real_vietnamese_text_with_a_qr_to_the_verification_page(
    pc_a: Unit,
) -> None:
    import zxingcpp

    document = _issue(pc_a)
    pdf = document.file.read()
    text = text_of(pdf)
    for expected in (
        "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Nguyễn Thị An",
        "Đăng ký khai sinh",
        "Giấy khai sinh (bản chính)",
        f"Đã ký số bởi: {pc_a.name}",
        f"/xac-minh/{document.token}/",
    ):
        assert expected in text
    codes = zxingcpp.read_barcodes(
        render_png(pdf, dpi=200), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert [c.text for c in codes] == [
        f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}/xac-minh/{document.token}/"
    ]


def test_issuing_twice_returns_the_same_document(pc_a: Unit) -> None:
    assert _issue(pc_a).pk == _issue(pc_a).pk
    assert SignedDocument.objects.count() == 1


def test_the_verification_page_shows_status_unit_time_and_hash(pc_a: Unit) -> None:
    document = _issue(pc_a)
    page = Client().get(f"/xac-minh/{document.token}/")
    assert page.status_code == 200
    html = page.content.decode()
    for expected in ("Tình trạng: hợp lệ", document.title, pc_a.name, document.sha256):
        assert expected in html
    assert CITIZEN_ID not in html  # nobody's personal data on a public page
    assert Client().get("/xac-minh/khong-ton-tai/").status_code == 404


def test_uploading_the_issued_file_matches_and_a_modified_one_does_not(pc_a: Unit) -> None:
    document = _issue(pc_a)
    pdf = document.file.read()
    url = f"/xac-minh/{document.token}/"
    same = Client().post(url, {"file": SimpleUploadedFile("kq.pdf", pdf, "application/pdf")})
    assert "Trùng khớp" in same.content.decode()
    assert "Hợp lệ, toàn vẹn" in same.content.decode()
    forged = flip_a_byte_in_signed_content(pdf)
    other = Client().post(url, {"file": SimpleUploadedFile("kq.pdf", forged, "application/pdf")})
    html = other.content.decode()
    assert "Không trùng khớp" in html
    assert "Nội dung đã bị thay đổi sau khi ký" in html


def test_a_revoked_document_says_so_and_leaves_the_citizens_store(pc_a: Unit) -> None:
    document = _issue(pc_a)
    assert list(documents_of_citizen(CITIZEN_ID)) == [document]
    do_revoke_document(document, reason="Cấp lại do sai sót họ tên (R-RES-04)")
    assert document.status == DocumentStatus.REVOKED
    html = Client().get(f"/xac-minh/{document.token}/").content.decode()
    assert "Tình trạng: đã thu hồi" in html
    assert "sai sót họ tên" in html
    assert list(documents_of_citizen(CITIZEN_ID)) == []
    assert list(documents_of_citizen(CITIZEN_ID, include_revoked=True)) == [document]
    # A corrected result can now be issued for the same dossier.
    assert _issue(pc_a).pk != document.pk


def test_the_root_certificate_can_be_downloaded() -> None:
    response = Client().get("/xac-minh/ca-goc.pem")
    assert response.status_code == 200
    assert b"BEGIN CERTIFICATE" in response.content
    assert b"PRIVATE" not in response.content
