"""Forms printed from the desk: real text, the right data, a QR that opens the tracking page."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import do_extend_deadline, do_forward_dossier, do_withdraw_dossier
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 5, tzinfo=TZ), tick=False):
        yield


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return unicodedata.normalize(
        "NFC", "\n".join(page.extract_text() or "" for page in reader.pages)
    )


def test_form_01_carries_the_code_the_times_and_a_qr_to_the_tracking_page(
    officer_b: User, psc_b: Unit, pc_a: Unit, tmp_path: Path
) -> None:
    """GIVEN a dossier received Tue 10/3/2026 09:05 WHEN Form 01 is printed THEN it shows the
    code, the receipt and appointment as "giờ … phút, ngày …" and its QR decodes to the
    tracking URL (R-FORM-05, R-ID-13)."""
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    response = logged_in(officer_b).get(f"/desk/dossiers/{dossier.pk}/forms/01.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert str(dossier.code) in text.replace("\n", "")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()
    assert "9 giờ 05 phút" in text or "09 giờ 05 phút" in text
    assert "17 giờ 00 phút" in text
    assert "Nguyễn Văn Bé" in text
    pdf_path = tmp_path / "form01.pdf"
    pdf_path.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    codes = [
        b.text
        for b in zxingcpp.read_barcodes(
            Image.open(png), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
    ]
    assert f"http://127.0.0.1:8000/tra-cuu/?ma={dossier.code}" in codes


def test_only_the_forms_the_trail_justifies_are_offered(
    officer_b: User, specialist_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a, code=TRANSACTION_CERT)
    client = logged_in(officer_b)
    assert client.get(f"/desk/dossiers/{dossier.pk}/forms/04.pdf").status_code == 404
    assert client.get(f"/desk/dossiers/{dossier.pk}/forms/05.pdf").status_code == 404
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    do_extend_deadline(
        dossier,
        acting_user=specialist_a,
        new_due_at=datetime(2026, 3, 16, 17, 0, tzinfo=TZ),
        reason="Chờ kết quả xác minh",
    )
    form04 = logged_in(specialist_a).get(f"/desk/dossiers/{dossier.pk}/forms/04.pdf")
    assert form04.status_code == 200
    text = pdf_text(form04.content)
    assert "Chờ kết quả xác minh" in text
    assert "16" in text
    form06 = client.get(f"/desk/dossiers/{dossier.pk}/forms/06.pdf")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in pdf_text(form06.content).upper()
    do_withdraw_dossier(dossier, acting_user=officer_b, at_unit=psc_b, reason="Công dân xin rút")
    form05 = client.get(f"/desk/dossiers/{dossier.pk}/forms/05.pdf")
    assert "Công dân xin rút" in pdf_text(form05.content)


def test_another_commune_cannot_print_the_forms(
    officer_a: User, officer_b: User, psc_b: Unit, pc_b: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_b)
    assert logged_in(officer_a).get(f"/desk/dossiers/{dossier.pk}/forms/01.pdf").status_code == 404


def test_the_tracking_book_lists_the_days_receipts(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    first = received(officer_b, at=psc_b, competent=pc_a, name="Lý Thị Một")
    second = received(officer_b, at=psc_b, competent=pc_a, name="Lý Văn Hai")
    response = logged_in(officer_b).get("/desk/dossiers/book.pdf?day=2026-03-10")
    assert response.status_code == 200
    text = pdf_text(response.content).replace("\n", " ")
    assert "SỔ THEO DÕI HỒ SƠ" in text.upper()
    for dossier in (first, second):
        assert str(dossier.code) in text.replace(" ", "")
