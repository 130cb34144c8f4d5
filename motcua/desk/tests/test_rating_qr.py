"""The counter's rating QR (R-SAT-01, issue #6 point 8): after the result is returned, the
dossier page shows a QR the applicant scans to rate the service once, with channel counter_qr."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
import zxingcpp
from django.test import Client
from PIL import Image

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import (
    do_approve_dossier,
    do_forward_dossier,
    do_return_result,
    do_submit_for_approval,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import received
from motcua.feedback.models import Rating
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> Iterator[Dossier]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        dossier = received(officer_a, at=psc_a, competent=pc_a)
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
        do_approve_dossier(dossier, acting_user=leader_a)
        do_return_result(dossier, acting_user=officer_a, at_unit=psc_a)
        dossier.refresh_from_db()
        yield dossier


def _scan(png: bytes) -> str:
    """The one QR code on the image. zxing may report the same symbol twice (found by two of its
    detectors); what matters is that every reading says the same thing."""
    [code] = {
        b.text
        for b in zxingcpp.read_barcodes(
            Image.open(io.BytesIO(png)),
            formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        )
    }
    return code


def test_the_counter_qr_decodes_to_a_link_that_rates_the_dossier_once(
    returned: Dossier, officer_a: User
) -> None:
    officer = logged_in(officer_a)
    page = officer.get(f"/desk/dossiers/{returned.pk}/").content.decode()
    assert f"/desk/dossiers/{returned.pk}/rating-qr.png" in page
    image = officer.get(f"/desk/dossiers/{returned.pk}/rating-qr.png")
    assert (image.status_code, image["Content-Type"]) == (200, "image/png")

    path = urlsplit(_scan(image.content)).path
    assert path.startswith("/danh-gia/")
    applicant = Client()
    assert applicant.post(path, {"score": "5"}).status_code == 200
    rating = Rating.objects.get(dossier=returned)
    assert (rating.score, rating.channel) == (5, "counter_qr")
    assert applicant.post(path, {"score": "1"}).status_code == 409

    # Rated: the page no longer offers the QR, and the image is gone.
    assert "rating-qr.png" not in officer.get(f"/desk/dossiers/{returned.pk}/").content.decode()
    assert officer.get(f"/desk/dossiers/{returned.pk}/rating-qr.png").status_code == 404


def test_no_rating_qr_before_the_result_is_returned(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        dossier = received(officer_a, at=psc_a, competent=pc_a)
    officer = logged_in(officer_a)
    assert "rating-qr.png" not in officer.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert officer.get(f"/desk/dossiers/{dossier.pk}/rating-qr.png").status_code == 404


def test_another_commune_cannot_get_the_rating_qr(returned: Dossier, officer_b: User) -> None:
    assert (
        logged_in(officer_b).get(f"/desk/dossiers/{returned.pk}/rating-qr.png").status_code == 404
    )
