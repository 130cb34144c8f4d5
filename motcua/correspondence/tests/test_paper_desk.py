"""The clerk's desk form for a scanned paper incoming document (R-DOC-06): no script, errors in
Vietnamese with nothing written, and another body's clerk cannot register for this body."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF

from conftest import logged_in
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.correspondence.models import BodyProfile, Document

pytestmark = pytest.mark.django_db


def scan() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Cong van so 12/STP-VP (ban quet)")
    return bytes(pdf.output())


SCAN = scan()  # once: fpdf2 writes the creation time into the file


def fields(unit: Unit, **over: object) -> dict[str, object]:
    return {
        "unit": str(unit.pk), "issuing_body_name": "Sở Tư pháp thành phố Cần Thơ",
        "issuing_body_code": "000.00.12.H13", "type_code": "cong_van", "number": "12",
        "symbol": "STP-VP", "issued_on": "2026-03-02", "summary": "Về việc góp ý dự thảo quy chế",
        "pages": "2", "urgency": "normal", "security": "",
        "scan": SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf"), **over,
    }  # fmt: skip


def test_the_clerk_registers_a_scanned_paper_document_from_the_desk(
    profile_a: BodyProfile, pc_a: Unit, clerk_a: User, specialist_a: User
) -> None:
    """R-DOC-06: the form gives the next arrival number (1, then 2) and keeps the scan; a bad
    field answers 422 in Vietnamese and writes nothing; no JavaScript is needed (a plain
    multipart form)."""
    client = logged_in(clerk_a)
    url = reverse("desk:document-paper")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert url in client.get(reverse("desk:documents")).content.decode()
    bad = client.post(url, fields(pc_a, number="mười hai"))
    assert bad.status_code == 422
    assert "Số văn bản phải là số nguyên dương." in bad.content.decode()
    bad = client.post(url, fields(pc_a, scan=SimpleUploadedFile("a.pdf", b"not a pdf")))
    assert "Bản quét phải là tệp PDF, không quá 20 MB." in bad.content.decode()
    bad = client.post(url, fields(pc_a, issued_on="2026-02-30"))
    assert "Ngày văn bản không hợp lệ" in bad.content.decode()
    bad = client.post(url, fields(pc_a, summary=" "))
    assert "cơ quan ban hành là bắt buộc (R-DOC-08)" in bad.content.decode()
    assert not Document.objects.exists()
    done = client.post(url, fields(pc_a))
    assert done.status_code == 302
    document = Document.objects.get()
    assert (document.direction, document.state, document.arrival_number) == ("in", "registered", 1)
    assert (document.number, document.symbol, document.pages) == (12, "STP-VP", 2)
    assert document.pdf.read() == SCAN
    follow = client.get(done["Location"])
    assert "số đến 1" in follow.content.decode()
    client.post(url, fields(pc_a, number="13"))
    assert set(Document.objects.values_list("arrival_number", flat=True)) == {1, 2}
    assert logged_in(specialist_a).get(url).status_code == 404  # not a clerk


def test_another_bodys_clerk_cannot_register_for_this_body(
    profile_a: BodyProfile, pc_a: Unit, pc_b: Unit
) -> None:
    """DESIGN §2: the form lists only the clerk's own bodies; posting another body answers 404
    and writes nothing."""
    BodyProfile.objects.create(unit=pc_b, abbreviation="UBND", place="Thành phố Cần Thơ")
    clerk_b = User.objects.create_user("vanthu.caikhe", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=clerk_b, unit=pc_b, role=Role.CLERK)
    client = logged_in(clerk_b)
    page = client.get(reverse("desk:document-paper")).content.decode()
    assert str(pc_a.pk) not in page
    assert client.post(reverse("desk:document-paper"), fields(pc_a)).status_code == 404
    assert not Document.objects.exists()
