"""The UI shell: Vietnamese first, an English switch, accessible structure, the province's home."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_provinces_service_centres(client: Client) -> None:
    page = client.get("/").content.decode()
    assert "Dịch vụ công Thành phố Cần Thơ" in page
    assert "Trung tâm Phục vụ hành chính công thành phố Cần Thơ" in page
    assert "Trung tâm Phục vụ hành chính công phường Ninh Kiều" in page
    assert "106 trung tâm" in page  # 1 city centre, 2 branches, 103 commune centres
    assert page.index("thành phố Cần Thơ") < page.index("Chi nhánh")


def test_a_search_without_diacritics_narrows_the_centres_for_htmx(client: Client) -> None:
    response = client.get("/?q=ninh+kieu", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body  # the fragment only
    assert "phường Ninh Kiều" in body
    assert "Cái Khế" not in body


def test_vietnamese_is_the_default_whatever_the_browser_asks(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_the_language_switch_turns_the_shell_english(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page["Content-Language"] == "en"
    body = page.content.decode()
    assert '<html lang="en">' in body
    assert "Skip to main content" in body


def test_every_page_has_a_skip_link_a_main_landmark_and_labelled_search(client: Client) -> None:
    body = client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in body
    assert '<main id="main"' in body
    assert '<label for="centre-q">' in body
    assert 'name="viewport"' in body


def test_navigation_follows_the_roles(
    officer_a: User, ioc_viewer: User, provincial_admin: User, citizen: User
) -> None:
    assert "/desk/" in logged_in(officer_a).get("/").content.decode()
    assert "/ioc/" not in logged_in(officer_a).get("/").content.decode()
    assert "/ioc/" in logged_in(ioc_viewer).get("/").content.decode()
    admin_home = logged_in(provincial_admin, verified=True).get("/").content.decode()
    assert "/desk/calendar/" in admin_home
    assert "/admin/" in admin_home
    assert "/desk/" not in logged_in(citizen).get("/").content.decode()


def test_the_admin_is_there_for_operators(provincial_admin: User) -> None:
    client = logged_in(provincial_admin, verified=True)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/agencies/unit/").status_code == 200
