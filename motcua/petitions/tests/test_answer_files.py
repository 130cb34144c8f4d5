"""Files on an answer (issue #18): images and PDFs checked by content and stored cleaned (no
EXIF/GPS, no PDF metadata); a bad file refuses the whole answer; the handling unit and the
petitioner (account or signed link) download them, nobody else."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfReader, PdfWriter

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.errors import ValidationFailed
from motcua.petitions.answers import do_answer_petition_with_files
from motcua.petitions.models import PetitionAnswerFile, PetitionState
from motcua.petitions.tests.conftest import file
from motcua.petitions.tests.test_open311 import _photo_with_gps
from motcua.petitions.tokens import make_token

pytestmark = pytest.mark.django_db
ANSWER = "Đã sửa đèn đường, xem ảnh và công văn đính kèm."


def _pdf_with_metadata() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Nguyễn Văn Bí Mật", "/Producer": "SecretScanner 3"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _read(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_answer_files_are_cleaned_and_only_the_parties_read_them(
    traveller: Any, pc_a: Unit, specialist_a: User, citizen: User, officer_b: User
) -> None:
    petition = file(pc_a, citizen=citizen)
    client = logged_in(specialist_a)
    response = client.post(
        f"/desk/petitions/{petition.code}/act/answer/",
        {
            "answer": ANSWER,
            "files": [
                SimpleUploadedFile("anh den.jpg", _photo_with_gps(), "image/jpeg"),
                SimpleUploadedFile("cong van.pdf", _pdf_with_metadata(), "application/pdf"),
            ],
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.state == PetitionState.ANSWERED
    photo, pdf = PetitionAnswerFile.objects.filter(petition=petition).order_by("id")
    assert (photo.content_type, pdf.content_type) == ("image/jpeg", "application/pdf")

    url = f"/phan-anh-kien-nghi/tep/{photo.pk}/"
    with Image.open(io.BytesIO(_read(client.get(url)))) as image:
        assert not image.getexif()
        assert max(image.size) <= 1600
    cleaned = PdfReader(io.BytesIO(_read(client.get(f"/phan-anh-kien-nghi/tep/{pdf.pk}/"))))
    assert len(cleaned.pages) == 1
    assert not cleaned.metadata  # no author, no producer
    root: Any = cleaned.trailer["/Root"].get_object()
    assert "/Metadata" not in root

    token = make_token(petition.pk)
    assert logged_in(citizen).get(url).status_code == 200  # the petitioner's account
    assert Client().get(url, {"t": token}).status_code == 200  # the signed link
    assert Client().get(url).status_code == 404
    assert Client().get(url, {"t": "forged"}).status_code == 404
    assert logged_in(officer_b).get(url).status_code == 404  # another commune
    link = Client().get(f"/phan-anh-kien-nghi/y-kien/{token}/").content.decode()
    assert f"/phan-anh-kien-nghi/tep/{photo.pk}/?t=" in link


def test_a_file_that_is_not_an_image_or_pdf_refuses_the_answer(
    traveller: Any, pc_a: Unit, specialist_a: User
) -> None:
    petition = file(pc_a)
    with pytest.raises(ValidationFailed):
        do_answer_petition_with_files(
            petition,
            answer=ANSWER,
            files=[("virus.pdf", b"MZ\x90\x00 not a pdf at all")],
            acting_user=specialist_a,
        )
    petition.refresh_from_db()
    assert petition.state == PetitionState.RECEIVED
    assert not PetitionAnswerFile.objects.exists()
    with pytest.raises(ValidationFailed):
        do_answer_petition_with_files(
            petition,
            answer=ANSWER,
            files=[("a.jpg", _photo_with_gps((50, 50)))] * 4,
            acting_user=specialist_a,
        )


def test_the_portal_form_takes_photos_and_a_place(
    traveller: Any, pc_a: Unit, specialist_a: User, officer_b: User
) -> None:
    """Photos from the citizen's form are stored cleaned, the address is routed to its commune,
    the unit's officers see them and the public does not; a non-image refuses the whole form."""
    from motcua.petitions.models import Petition, PetitionPhoto
    from motcua.petitions.tests.test_portal import _form

    refused = Client().post(
        "/phan-anh-kien-nghi/",
        {**_form(pc_a), "photos": [SimpleUploadedFile("a.jpg", b"not an image", "image/jpeg")]},
    )
    assert refused.status_code == 422
    assert not Petition.objects.exists()
    response = Client().post(
        "/phan-anh-kien-nghi/",
        {
            **_form(pc_a),
            "address": "12 Hai Bà Trưng, p. Ninh Kiều",
            "photos": [SimpleUploadedFile("o-ga.jpg", _photo_with_gps(), "image/jpeg")],
        },
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.commune is not None
    assert petition.commune.name == "Phường Ninh Kiều"
    photo = PetitionPhoto.objects.get(petition=petition)
    url = f"/phan-anh-kien-nghi/anh/{photo.pk}/"
    desk = logged_in(specialist_a).get(f"/desk/petitions/{petition.code}/").content.decode()
    assert url in desk
    with Image.open(io.BytesIO(_read(logged_in(specialist_a).get(url)))) as image:
        assert not image.getexif()
    assert Client().get(url).status_code == 404
    assert logged_in(officer_b).get(url).status_code == 404
    assert Client().get(f"/open311/v2/media/{photo.pk}.jpg").status_code == 404  # not public


def test_the_portal_form_takes_a_place_picked_on_the_map(
    traveller: Any, pc_a: Unit, settings: Any
) -> None:
    """Where a tile source is configured the form shows the map; a tap sets latitude and
    longitude, stored on the report; half a place or one off the globe changes nothing."""
    from motcua.petitions.models import Petition
    from motcua.petitions.tests.test_portal import _form

    settings.MOTCUA_MAP_TILE_URL = "/static/tiles/{z}/{x}/{y}.png"
    page = Client().get("/phan-anh-kien-nghi/").content.decode()
    assert 'id="place-map"' in page
    assert "petitions/pick.js" in page
    for place in ({"latitude": "10.033913"}, {"latitude": "91", "longitude": "105.78"}):
        refused = Client().post("/phan-anh-kien-nghi/", {**_form(pc_a), **place})
        assert refused.status_code == 422
    assert not Petition.objects.exists()
    response = Client().post(
        "/phan-anh-kien-nghi/", {**_form(pc_a), "latitude": "10.033913", "longitude": "105.787046"}
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert (str(petition.latitude), str(petition.longitude)) == ("10.033913", "105.787046")
    settings.MOTCUA_MAP_TILE_URL = ""
    assert 'id="place-map"' not in Client().get("/phan-anh-kien-nghi/").content.decode()


def test_the_portal_form_takes_pdf_files_cleaned_and_private(
    traveller: Any, pc_a: Unit, specialist_a: User, officer_b: User
) -> None:
    """PDF files (papers about the report) come with the form: rewritten without their
    metadata, shown to the unit's officers, never public; a non-PDF there refuses the form."""
    from motcua.petitions.models import Petition, PetitionPhoto
    from motcua.petitions.tests.test_portal import _form

    photo_as_document = SimpleUploadedFile("anh.jpg", _photo_with_gps((40, 30)), "image/jpeg")
    refused = Client().post(
        "/phan-anh-kien-nghi/", {**_form(pc_a), "documents": [photo_as_document]}
    )
    assert refused.status_code == 422
    assert "không phải PDF" in refused.content.decode()
    assert not Petition.objects.exists()
    response = Client().post(
        "/phan-anh-kien-nghi/",
        {
            **_form(pc_a),
            "photos": [SimpleUploadedFile("o-ga.jpg", _photo_with_gps((60, 40)), "image/jpeg")],
            "documents": [
                SimpleUploadedFile("giay-to.pdf", _pdf_with_metadata(), "application/pdf")
            ],
        },
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    photo, pdf = PetitionPhoto.objects.filter(petition=petition).order_by("id")
    assert (photo.content_type, pdf.content_type) == ("image/jpeg", "application/pdf")
    url = f"/phan-anh-kien-nghi/anh/{pdf.pk}/"
    desk = logged_in(specialist_a).get(f"/desk/petitions/{petition.code}/").content.decode()
    assert f'<a href="{url}">Tệp PDF 2</a>' in desk
    served = logged_in(specialist_a).get(url)
    assert served["Content-Type"] == "application/pdf"
    cleaned = PdfReader(io.BytesIO(_read(served)))
    assert len(cleaned.pages) == 1
    assert not cleaned.metadata  # no author, no producer
    assert Client().get(url).status_code == 404
    assert logged_in(officer_b).get(url).status_code == 404
    assert Client().get(f"/open311/v2/media/{pdf.pk}.jpg").status_code == 404
