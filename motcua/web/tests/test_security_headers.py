"""Issue #12 item 7: security headers, and no third-party origin anywhere (the API docs work
on an offline intranet)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_page_has_a_content_security_policy_of_its_own_origin_only() -> None:
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
    assert not re.search(r"https?://", policy)  # no third-party origin


def test_the_api_docs_load_swagger_ui_from_the_product() -> None:
    page = Client().get("/api/v1/docs").content.decode()
    assert "cdn" not in page.lower()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts
    assert all(src.startswith("/static/") for src in scripts), scripts
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)
    assert inline == []  # the policy forbids inline scripts; the docs have none


def test_the_swagger_assets_are_served() -> None:
    client = Client()
    page = client.get("/api/v1/docs").content.decode()
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        response = client.get(src)
        assert response.status_code == 200, src
