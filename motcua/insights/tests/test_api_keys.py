"""Machine keys of the reporting API (issue #8 item 4): the provincial electronic reporting system
reads the indicators with a bearer key, stored hashed, read-only, scoped to the province."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.insights.keys import do_create_key, do_revoke_key
from motcua.insights.models import ReportingClient

pytestmark = pytest.mark.django_db
PROVINCE = 92
URL = "/api/v1/insights/indicators"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_an_active_key_reads_the_indicators_and_is_stored_hashed() -> None:
    client, key = do_create_key("Hệ thống báo cáo tỉnh", PROVINCE)
    response = Client().get(URL, {"period": "2026-Q1"}, headers=bearer(key))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "province"
    assert body["formula_version"] == "766-2026.5"
    assert Client().get("/api/v1/insights/ranking", headers=bearer(key)).status_code == 200
    assert Client().get("/api/v1/insights/reports", headers=bearer(key)).status_code == 200
    stored = ReportingClient.objects.get(pk=client.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.prefix, stored.key_hash, stored.name}
    assert stored.last_used_at is not None


def test_a_wrong_key_or_no_key_is_refused() -> None:
    client, key = do_create_key("Hệ thống báo cáo tỉnh", PROVINCE)
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert Client().get(URL, headers=bearer(wrong)).status_code == 401
    assert Client().get(URL, headers=bearer(f"mcr_{client.prefix}_")).status_code == 401
    assert Client().get(URL, headers=bearer("mcr_000000000000_x")).status_code == 401
    assert Client().get(URL).status_code == 401


def test_a_revoked_key_is_refused() -> None:
    client, key = do_create_key("Hệ thống báo cáo tỉnh", PROVINCE)
    assert Client().get(URL, headers=bearer(key)).status_code == 200
    assert do_revoke_key(client.prefix)
    assert Client().get(URL, headers=bearer(key)).status_code == 401
    assert not do_revoke_key(client.prefix)  # once


def test_a_key_only_reads() -> None:
    """Generating a report writes: the officer's session only."""
    _, key = do_create_key("Hệ thống báo cáo tỉnh", PROVINCE)
    response = Client().post(
        "/api/v1/insights/reports",
        {"scope": "province", "period": "2026-Q1", "fmt": "xlsx"},
        content_type="application/json",
        headers=bearer(key),
    )
    assert response.status_code == 401


def test_a_key_of_another_province_is_refused() -> None:
    _, key = do_create_key("Hệ thống báo cáo tỉnh khác", 1)  # Hà Nội
    assert Client().get(URL, headers=bearer(key)).status_code == 401


def test_the_command_creates_lists_and_revokes() -> None:
    out = StringIO()
    call_command("reporting_keys", "create", "Hệ thống báo cáo tỉnh", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
    key = lines["key"]
    prefix = key.split("_")[1]
    assert Client().get(URL, headers=bearer(key)).status_code == 200
    listing = StringIO()
    call_command("reporting_keys", "list", stdout=listing)
    assert prefix in listing.getvalue()
    assert key not in listing.getvalue()
    call_command("reporting_keys", "revoke", prefix, stdout=StringIO())
    assert Client().get(URL, headers=bearer(key)).status_code == 401
