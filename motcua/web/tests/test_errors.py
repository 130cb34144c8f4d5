"""Issue #12 item 3: every error page is the product's, Vietnamese first, English second, as HTML
for people and as the API's envelope under /api/; never a traceback or a URL list."""

from __future__ import annotations

import json

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.models import Dossier
from motcua.web import errors

ENVELOPE = {"code", "message", "message_en", "details"}
LEAKS = ("Traceback", "URLconf", "Using the URLconf", "DEBUG = True", "django.urls")


def _html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined,no-any-return]


def test_debug_is_off_unless_asked_for() -> None:
    """The demo (no MOTCUA_DEBUG) runs like production: DEBUG off."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "MOTCUA_DEBUG"}
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


@pytest.mark.django_db
def test_an_unknown_page_is_the_products_404() -> None:
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = _html(response)
    assert "Không tìm thấy trang" in page
    assert "Về trang chủ" in page
    assert not any(leak in page for leak in LEAKS)


@pytest.mark.django_db
def test_an_unknown_page_in_english() -> None:
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    page = _html(client.get("/khong-co-trang-nay/"))
    assert "Page not found" in page


@pytest.mark.django_db
def test_an_unknown_api_path_answers_the_envelope() -> None:
    response = Client().get("/api/v1/khong-co")
    assert response.status_code == 404
    body = response.json()
    assert set(body) == ENVELOPE
    assert body["code"] == "not_found"


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_the_products_403() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = _html(response)
    assert "Phiên làm việc đã hết hạn" in page
    assert "CSRF verification failed" not in page


def test_the_api_answers_a_csrf_failure_in_its_envelope(officer_b: User, psc_b: Unit) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_b)
    before = Dossier.objects.count()
    response = client.post("/api/v1/dossiers", "{}", content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert set(body) == ENVELOPE
    assert body["code"] == "csrf_failed"
    assert "CSRF" in body["message"]
    assert Dossier.objects.count() == before


def test_an_unparseable_api_body_answers_the_envelope_in_vietnamese(officer_b: User) -> None:
    client = logged_in(officer_b)
    before = Dossier.objects.count()
    response = client.post("/api/v1/dossiers", "{not json", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ENVELOPE
    assert body["message"].startswith("Không đọc được nội dung yêu cầu")
    assert Dossier.objects.count() == before


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom)]
handler500 = "motcua.web.errors.server_error"


@pytest.mark.django_db
@pytest.mark.urls("motcua.web.tests.test_errors")
def test_a_crash_shows_the_products_500_without_a_traceback() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = _html(response)
    assert "Hệ thống đang gặp sự cố" in page
    assert "Something went wrong" in page
    assert "a bug" not in page
    assert not any(leak in page for leak in LEAKS)
    api = client.get("/api/v1/boom/")
    assert api.status_code == 500
    assert set(json.loads(api.content)) == ENVELOPE


@pytest.mark.django_db
def test_a_bad_request_and_too_many_requests_pages() -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert errors.bad_request(request).status_code == 400
    response = errors.too_many_requests(request)
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in _html(response)
    api = errors.too_many_requests(RequestFactory().get("/api/v1/dossiers"))
    assert json.loads(api.content)["code"] == "too_many_requests"


@pytest.mark.django_db
def test_an_officer_of_another_unit_gets_403_or_404_from_the_product(
    officer_b: User,
) -> None:
    response = logged_in(officer_b).get("/ioc/")
    assert response.status_code in {403, 404}
    page = _html(response)
    assert "Không có quyền truy cập" in page or "Không tìm thấy trang" in page


@pytest.mark.django_db
def test_a_nul_byte_in_the_query_is_a_bad_request_everywhere() -> None:
    """Found by schemathesis on PostgreSQL (a NUL in a catalogue filter was a 500)."""
    api = Client().get("/api/v1/procedures?online=%00")
    assert api.status_code == 400
    assert set(api.json()) == ENVELOPE
    page = Client().get("/thu-tuc/?q=a%00b")
    assert page.status_code == 400
