"""Photos and files of petitions go through the operator's virus scanner (issue #18 item 3,
``MOTCUA_VIRUS_SCAN_COMMAND``), on every way in: an Open311 app's photo, the portal form's
photo, an officer's answer file. An infected file refuses the whole report or answer, with the
scanner's message, and nothing is written. The scanner is the stand-in of
``core/tests/test_virus_scan.py`` that flags the EICAR test string, as a real scanner does."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.errors import ValidationFailed
from motcua.core.tests.test_virus_scan import EICAR, FLAGS_EICAR
from motcua.petitions.answers import do_answer_petition_with_files
from motcua.petitions.models import Petition, PetitionAnswerFile, PetitionPhoto, PetitionState
from motcua.petitions.tests.conftest import file
from motcua.petitions.tests.test_open311 import _errors, _photo_with_gps, _post, key  # noqa: F401
from motcua.petitions.tests.test_portal import _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanner(settings: Any) -> None:
    settings.MOTCUA_VIRUS_SCAN_COMMAND = FLAGS_EICAR


def _infected() -> bytes:
    return _photo_with_gps((40, 30)) + EICAR  # a JPEG that opens, with the test string after


def test_an_infected_photo_refuses_an_open311_report(
    scanner: None,
    traveller: Any,
    client: Client,
    key: str,  # noqa: F811
) -> None:
    clean = SimpleUploadedFile("den.jpg", _photo_with_gps((40, 30)), "image/jpeg")
    assert _post(client, key, media=clean).status_code == 201  # the scanner passes a clean one
    infected = SimpleUploadedFile("den.jpg", _infected(), "image/jpeg")
    response = _post(client, key, media=infected)
    assert response.status_code == 400
    assert "mã độc" in _errors(response)[0]["description"]
    assert Petition.objects.count() == 1
    assert PetitionPhoto.objects.count() == 1


def test_an_infected_photo_refuses_the_portal_form(
    scanner: None, traveller: Any, pc_a: Unit
) -> None:
    response = Client().post(
        "/phan-anh-kien-nghi/",
        {**_form(pc_a), "photos": [SimpleUploadedFile("o-ga.jpg", _infected(), "image/jpeg")]},
    )
    assert response.status_code == 422
    assert "mã độc" in response.content.decode()
    assert not Petition.objects.exists()


def test_an_infected_answer_file_refuses_the_answer(
    scanner: None, traveller: Any, pc_a: Unit, specialist_a: User
) -> None:
    petition = file(pc_a)
    with pytest.raises(ValidationFailed) as refused:
        do_answer_petition_with_files(
            petition,
            answer="Đã sửa đèn đường, xem ảnh đính kèm.",
            files=[("da-sua.jpg", _infected())],
            acting_user=specialist_a,
        )
    assert "mã độc" in refused.value.message_vi
    petition.refresh_from_db()
    assert petition.state == PetitionState.RECEIVED
    assert not PetitionAnswerFile.objects.exists()
