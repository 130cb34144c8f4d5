"""/api/v1/procedures: list, detail, and the error envelope for an unknown code."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_list_searches_and_counts(client: Client) -> None:
    body = client.get("/api/v1/procedures", {"q": "ly lich tu phap", "limit": "5"}).json()
    assert body["total"] > 0
    assert body["limit"] == 5
    assert len(body["items"]) == 5
    assert body["items"][0]["code"] == "3.000333"


def test_the_list_filters_and_pages(client: Client) -> None:
    body = client.get(
        "/api/v1/procedures", {"level": "commune", "limit": "10", "offset": "10"}
    ).json()
    assert body["offset"] == 10
    assert {item["competent_level"] for item in body["items"]} == {"commune"}
    everything = client.get("/api/v1/procedures", {"limit": "1"}).json()
    assert everything["total"] == 3103
    assert body["total"] < everything["total"]


def test_the_detail_has_components_fees_time_limit_and_units(client: Client) -> None:
    response = client.get("/api/v1/procedures/1.001193")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Thủ tục đăng ký khai sinh"
    assert body["time_limit"]["unit"] == "same_day"
    assert body["time_limit"]["cutoff_1500"] is True
    assert any("Giấy chứng sinh" in c["name"] for c in body["components"])
    assert body["fee_rules"][0]["kind"] == "free"
    assert len(body["implementing_units"]) == 103
    assert set(body["implementing_units"][0]) == {"id", "name", "eid_code"}


def test_an_unknown_code_gets_the_error_envelope(client: Client) -> None:
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["message"].startswith("Không tìm thấy thủ tục")
    assert set(body) == {"code", "message", "message_en", "details"}


def test_the_endpoints_are_documented(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/procedures" in paths
    detail = paths["/api/v1/procedures/{code}"]["get"]
    assert {"200", "404"} <= set(detail["responses"])


def test_the_list_names_the_ministry_and_whether_the_province_implements_it(
    client: Client,
) -> None:
    """Issue #19: each procedure carries the ministry responsible for its field."""
    body = client.get("/api/v1/procedures", {"q": "ly lich tu phap", "limit": "1"}).json()
    assert body["items"][0]["ministry"] == "Bộ Công an"
    assert body["items"][0]["implemented"] is True
