"""Counter digitisation (R-RCV-04..06): one image page per paper page, confirmed by the officer."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.models import DossierComponent
from motcua.dossiers.tests.factories import received
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def pdf_bytes(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, format="PNG")
    return out.getvalue()


def scan(
    client: object,
    dossier_pk: object,
    component: DossierComponent,
    data: bytes,
    name: str,
    pages: int,
    confirm: bool = True,
) -> str:
    from django.test import Client

    assert isinstance(client, Client)
    body = {"scan": SimpleUploadedFile(name, data), "paper_pages": str(pages)}
    if confirm:
        body["confirmed"] = "on"
    response = client.post(
        f"/desk/dossiers/{dossier_pk}/components/{component.pk}/scan/", body, follow=True
    )
    return response.content.decode()


def paper(dossier_pk: uuid.UUID) -> DossierComponent:
    component = (
        DossierComponent.objects.filter(dossier_id=dossier_pk)
        .exclude(requirement="present")
        .first()
    )
    assert component is not None
    return component


def test_a_matching_scan_is_stored_and_recorded(officer_b: User, psc_b: Unit, pc_a: Unit) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    component = paper(dossier.pk)
    page = scan(logged_in(officer_b), dossier.pk, component, pdf_bytes(2), "to-khai.pdf", 2)
    assert "Đã số hóa thành phần hồ sơ" in page
    component.refresh_from_db()
    assert (component.digitization, component.pages, component.source) == (1, 2, "scan")
    assert component.confirmed_by == officer_b
    assert component.file.name.endswith(".pdf")
    assert dossier.events.filter(kind="dossier:component:digitized").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "pages", "confirm", "message"),
    [
        (pdf_bytes(1), "a.pdf", 2, True, "Bản quét có 1 trang nhưng bản giấy có 2 trang"),
        (b"%PDF-1.7 not really", "b.pdf", 1, True, "bị hỏng hoặc không đọc được"),
        (b"MZ\x90\x00 an exe renamed", "c.pdf", 1, True, "không phải PDF, JPEG hay PNG"),
        (png_bytes(), "d.png", 1, False, "Cán bộ phải xác nhận"),
    ],
)
def test_a_bad_scan_is_refused_with_the_reason_and_nothing_is_stored(
    officer_b: User,
    psc_b: Unit,
    pc_a: Unit,
    data: bytes,
    name: str,
    pages: int,
    confirm: bool,
    message: str,
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    component = paper(dossier.pk)
    page = scan(logged_in(officer_b), dossier.pk, component, data, name, pages, confirm)
    assert message in page
    component.refresh_from_db()
    assert component.digitization == 0
    assert not component.file
    assert not dossier.events.filter(kind="dossier:component:digitized").exists()


def test_a_document_only_presented_is_not_scanned(officer_b: User, psc_b: Unit, pc_a: Unit) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    presented = DossierComponent.objects.get(dossier=dossier, requirement="present")
    page = scan(logged_in(officer_b), dossier.pk, presented, png_bytes(), "cccd.png", 1)
    assert "chỉ xuất trình" in page


def test_another_commune_cannot_upload(
    officer_a: User, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    component = paper(dossier.pk)
    response = logged_in(officer_a).post(
        f"/desk/dossiers/{dossier.pk}/components/{component.pk}/scan/",
        {"scan": SimpleUploadedFile("x.pdf", pdf_bytes(1)), "paper_pages": "1", "confirmed": "on"},
    )
    assert response.status_code == 404
