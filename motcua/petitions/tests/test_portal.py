"""The citizen's side through the Django test client: the form (Vietnamese errors), the
confirmation with the reference code, the lookup by code + phone, the response by signed link
and by account, the late-handling complaint."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.petitions.actions import do_answer_petition
from motcua.petitions.models import Petition
from motcua.petitions.tests.conftest import file, local
from motcua.petitions.tokens import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the lookup's failure counter


def _form(pc: Unit, **overrides: str) -> dict[str, str]:
    return {
        "kind": "phan_anh",
        "unit": str(pc.pk),
        "dossier_code": "",
        "subject": "Hướng dẫn chưa rõ",
        "content": "Công chức hướng dẫn thành phần hồ sơ chưa rõ ràng, phải đi lại nhiều lần.",
        "name": "Lý Văn Cường",
        "phone": "0987654321",
        "email": "",
        **overrides,
    }


def test_the_form_is_linked_from_every_page_and_lists_competent_units(pc_a: Unit) -> None:
    home = Client().get("/").content.decode()
    assert 'href="/phan-anh-kien-nghi/"' in home
    page = Client().get("/phan-anh-kien-nghi/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Gửi phản ánh, kiến nghị" in html
    assert str(pc_a.pk) in html
    assert 'for="id_subject"' in html  # labelled fields


def test_anonymous_filing_confirmation_and_lookup(traveller: Any, pc_a: Unit) -> None:
    client = Client()
    response = client.post("/phan-anh-kien-nghi/", _form(pc_a))
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert response["Location"] == f"/phan-anh-kien-nghi/da-gui/{petition.code}/"
    assert (petition.unit, petition.channel, petition.citizen) == (pc_a, "portal", None)
    done = client.get(response["Location"]).content.decode()
    assert petition.code in done
    assert "24/03/2026" in done  # the answer is due in 10 working days
    # Another browser cannot open the confirmation by guessing codes.
    assert Client().get(response["Location"]).status_code == 404
    wrong = Client().post("/phan-anh-kien-nghi/tra-cuu/", {"ma": petition.code, "so": "0000"})
    assert wrong.status_code == 404
    assert "Không tìm thấy phản ánh" in wrong.content.decode()
    found = Client().post(
        "/phan-anh-kien-nghi/tra-cuu/", {"ma": petition.code.lower(), "so": "4321"}
    )
    assert found.status_code == 200
    assert "Đã tiếp nhận, chờ xử lý" in found.content.decode()


def test_a_resent_form_files_one_petition_and_lands_on_its_confirmation(
    traveller: Any, pc_a: Unit
) -> None:
    """Issue #12 item 2: the form's hidden key makes a double click or a resend one petition."""
    client = Client()
    page = client.get("/phan-anh-kien-nghi/").content.decode()
    found = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)
    assert found is not None
    form = {**_form(pc_a), "idempotency_key": found.group(1)}
    first = client.post("/phan-anh-kien-nghi/", form)
    again = client.post("/phan-anh-kien-nghi/", form)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Petition.objects.count() == 1
    assert client.get(again["Location"]).status_code == 200
    # The same key with other content is refused in Vietnamese and files nothing.
    changed = client.post("/phan-anh-kien-nghi/", {**form, "subject": "Chủ đề khác"})
    assert changed.status_code == 422
    assert "đã được dùng cho một yêu cầu khác" in changed.content.decode()
    assert Petition.objects.count() == 1
    # A failed attempt keeps no key: corrected, the same showing of the form files it.
    fresh = {**_form(pc_a, phone=""), "idempotency_key": "a" * 32}
    assert client.post("/phan-anh-kien-nghi/", fresh).status_code == 422
    fixed = client.post("/phan-anh-kien-nghi/", {**fresh, "phone": "0987654321"})
    assert fixed.status_code == 302
    assert Petition.objects.count() == 2


def test_errors_are_in_vietnamese_and_nothing_is_filed(traveller: Any, pc_a: Unit) -> None:
    missing = Client().post("/phan-anh-kien-nghi/", _form(pc_a, phone="", subject=""))
    html = missing.content.decode()
    assert missing.status_code == 422
    assert "Hãy điền thông tin này." in html
    bad_phone = Client().post("/phan-anh-kien-nghi/", _form(pc_a, phone="123"))
    assert "Số điện thoại chưa đúng" in bad_phone.content.decode()
    no_dossier = Client().post("/phan-anh-kien-nghi/", _form(pc_a, dossier_code="KHONG-CO"))
    assert "Không tìm thấy hồ sơ với mã này" in no_dossier.content.decode()
    assert not Petition.objects.exists()


def test_the_lookup_is_rate_limited(settings: Any, traveller: Any, pc_a: Unit) -> None:
    settings.MOTCUA_TRACKING_ATTEMPTS = 2
    client = Client()
    for _ in range(2):
        assert (
            client.post("/phan-anh-kien-nghi/tra-cuu/", {"ma": "X", "so": "1"}).status_code == 404
        )
    assert client.post("/phan-anh-kien-nghi/tra-cuu/", {"ma": "X", "so": "1"}).status_code == 429


def test_response_through_the_signed_link(traveller: Any, pc_a: Unit, specialist_a: User) -> None:
    petition = file(pc_a)
    url = f"/phan-anh-kien-nghi/y-kien/{make_token(petition.pk)}/"
    early = Client().post(url, {"y-kien": "khong-hai-long"})
    assert early.status_code == 409  # not answered yet
    do_answer_petition(
        petition, answer="Đã chấn chỉnh công chức tiếp nhận.", acting_user=specialist_a
    )
    page = Client().get(url).content.decode()
    assert "Đã chấn chỉnh công chức tiếp nhận." in page
    assert "Bạn có hài lòng với kết quả xử lý?" in page
    done = Client().post(url, {"y-kien": "khong-hai-long", "gop-y": "Chưa thỏa đáng"})
    assert done.status_code == 200
    petition.refresh_from_db()
    assert (petition.response, petition.response_comment) == ("not_satisfied", "Chưa thỏa đáng")
    assert Client().post(url, {"y-kien": "hai-long"}).status_code == 409  # once
    assert Client().get("/phan-anh-kien-nghi/y-kien/gia-mao/").status_code == 404


def test_a_lookup_leads_to_the_late_complaint(traveller: Any, pc_a: Unit) -> None:
    petition = file(pc_a)
    traveller.move_to(local(3, 25))
    found = Client().post("/phan-anh-kien-nghi/tra-cuu/", {"ma": petition.code, "so": "4567"})
    html = found.content.decode()
    assert "Khiếu nại về xử lý chậm" in html
    link = html.split('href="/phan-anh-kien-nghi/y-kien/')[1].split('"')[0]
    response = Client().post(f"/phan-anh-kien-nghi/y-kien/{link}", {"y-kien": "cham"})
    assert response.status_code == 200
    petition.refresh_from_db()
    assert petition.late_complaint


def test_a_citizen_files_and_responds_with_their_account(
    traveller: Any, pc_a: Unit, citizen: User, specialist_a: User
) -> None:
    client = logged_in(citizen)
    assert client.post("/phan-anh-kien-nghi/", _form(pc_a, phone="")).status_code == 302
    petition = Petition.objects.get()
    assert petition.citizen == citizen
    listing = client.get("/phan-anh-kien-nghi/cua-toi/").content.decode()
    assert petition.code in listing
    do_answer_petition(petition, answer="Đã hướng dẫn lại đầy đủ.", acting_user=specialist_a)
    url = f"/phan-anh-kien-nghi/cua-toi/{petition.code}/"
    assert client.post(url, {"y-kien": "hai-long"}).status_code == 200
    petition.refresh_from_db()
    assert petition.response == "satisfied"
    # Nobody else sees it through an account.
    other = logged_in(User.objects.get(username="motcua.caikhe"))
    assert other.get(url).status_code == 404
