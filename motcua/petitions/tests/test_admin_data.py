"""Admin data of issue #18: routing rules decide where Open311 reports go; answer templates
start the officer's answer; the admin pages of services, rules, keys and templates open."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.petitions.models import (
    Open311RoutingRule,
    Open311Service,
    Petition,
    ResponseTemplate,
)
from motcua.petitions.open311.keys import do_issue_key
from motcua.petitions.tests.conftest import file
from motcua.petitions.tests.test_open311 import _post

pytestmark = pytest.mark.django_db


def test_a_routing_rule_sends_a_service_to_a_department(
    traveller: Any, pc_a: Unit, dept_specialist: User
) -> None:
    justice = Unit.objects.get(name__endswith="Sở Tư pháp", role_assignments__user=dept_specialist)
    key = do_issue_key("Ứng dụng Cần Thơ Xanh")[1]
    assert _post(Client(), key).status_code == 201  # no rule: the commune's People's Committee
    Open311RoutingRule.objects.create(
        service=Open311Service.objects.get(code="ha-tang-do-thi"), unit=justice
    )
    assert _post(Client(), key).status_code == 201
    first, second = Petition.objects.order_by("received_at", "code")
    assert first.unit == pc_a
    assert second.unit == justice
    assert second.open311.routed_by == "rule"
    assert second.commune == first.commune  # the place is kept


def test_an_answer_starts_from_a_template(traveller: Any, pc_a: Unit, specialist_a: User) -> None:
    template = ResponseTemplate.objects.create(
        name="Đã khắc phục", body="Đơn vị đã kiểm tra và khắc phục sự cố. Cảm ơn ông/bà."
    )
    petition = file(pc_a)
    client = logged_in(specialist_a)
    page = client.get(f"/desk/petitions/{petition.code}/").content.decode()
    assert f'href="?mau={template.pk}#answer"' in page
    filled = client.get(f"/desk/petitions/{petition.code}/", {"mau": template.pk})
    assert template.body in filled.content.decode()


def test_the_admin_pages_open() -> None:
    admin = User.objects.create_superuser("sieuquantri", "a@example.vn", "Mat-khau-thu-2026")
    client = logged_in(admin, verified=True)  # the admin site needs the second factor
    for model in (
        "open311service",
        "open311routingrule",
        "open311client",
        "responsetemplate",
        "petitionforward",
        "petitionalert",
    ):
        listing = client.get(f"/admin/petitions/{model}/")
        assert listing.status_code == 200, model
    added = client.get("/admin/petitions/open311client/add/").content.decode()
    assert 'name="channel"' in added


def test_the_public_list_shows_reports_without_personal_data(
    traveller: Any, specialist_a: User
) -> None:
    from motcua.petitions.tests.test_open311 import EMAIL, PHONE

    key = do_issue_key("Ứng dụng Cần Thơ Xanh")[1]
    assert _post(Client(), key).status_code == 201
    petition = Petition.objects.get()
    page = Client().get("/phan-anh-kien-nghi/cong-khai/")
    html = page.content.decode()
    assert page.status_code == 200
    assert petition.code in html
    assert "Phường Ninh Kiều" in html
    for secret in ("Trần Văn", "Bình", PHONE, EMAIL, "Hai Bà Trưng", "10.0339127"):
        assert secret not in html, secret
    closed = Client().get("/phan-anh-kien-nghi/cong-khai/", {"trang-thai": "closed"})
    assert petition.code not in closed.content.decode()


def test_the_map_is_served_locally_only_when_a_tile_source_is_set(
    traveller: Any, settings: Any
) -> None:
    from django.contrib.staticfiles import finders

    key = do_issue_key("Ứng dụng Cần Thơ Xanh")[1]
    assert _post(Client(), key).status_code == 201
    settings.MOTCUA_MAP_TILE_URL = ""
    plain = Client().get("/phan-anh-kien-nghi/cong-khai/").content.decode()
    assert 'id="report-map"' not in plain
    assert "leaflet" not in plain
    settings.MOTCUA_MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    html = Client().get("/phan-anh-kien-nghi/cong-khai/").content.decode()
    assert 'id="report-map"' in html
    assert 'src="/static/petitions/leaflet/leaflet.js"' in html
    assert 'data-lat="10.034"' in html  # rounded to 3 decimals
    assert "unpkg" not in html
    assert "cdn" not in html.lower()
    assert finders.find("petitions/leaflet/leaflet.js")  # installed from npm by make install
    assert finders.find("petitions/map.js")
