"""Issue #12 items 2 and 6: a create retried with the same Idempotency-Key creates one dossier;
the same key with another body is refused; an e-form submitted twice creates one dossier and
the second submission lands on its page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import IdempotencyRecord
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import BIRTH, CITIZEN_ID, all_components
from motcua.worktime.calc import TZ

KEY = "counter-7-20260310-0001"


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def body(at: Unit, competent: Unit, name: str = "Đỗ Thị Lan") -> dict[str, Any]:
    return {
        "procedure_code": BIRTH,
        "receiving_unit_id": str(at.pk),
        "competent_unit_id": str(competent.pk),
        "applicant_name": name,
        "applicant_id_number": CITIZEN_ID,
        "components": [{"component_id": c.component_id} for c in all_components(BIRTH)],
        "receive": True,
    }


def post(client: Client, data: dict[str, Any], key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/dossiers", json.dumps(data), content_type="application/json", headers=headers
    )


def test_a_retry_with_the_same_key_answers_the_first_dossier(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    client = logged_in(officer_b)
    before = Dossier.objects.count()
    first = post(client, body(psc_b, pc_a), KEY)
    assert first.status_code == 201, first.content[:300]
    again = post(client, body(psc_b, pc_a), KEY)
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == before + 1
    # Without a key, the same body is a new dossier (the header is what makes it a retry).
    assert post(client, body(psc_b, pc_a), None).json()["id"] != first.json()["id"]
    assert Dossier.objects.count() == before + 2


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    client = logged_in(officer_b)
    assert post(client, body(psc_b, pc_a), KEY).status_code == 201
    before = Dossier.objects.count()
    other = post(client, body(psc_b, pc_a, name="Trần Văn Bình"), KEY)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert "đã được dùng cho một yêu cầu khác" in other.json()["message"]
    assert Dossier.objects.count() == before


def test_keys_belong_to_their_officer(
    officer_b: User, officer_a: User, psc_b: Unit, psc_a: Unit, pc_a: Unit
) -> None:
    first = post(logged_in(officer_b), body(psc_b, pc_a), KEY)
    second = post(logged_in(officer_a), body(psc_a, pc_a), KEY)
    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]
    assert IdempotencyRecord.objects.filter(key=KEY).count() == 2


@pytest.mark.parametrize("key", ["short", "x" * 101, "có dấu tiếng Việt 123"])
def test_a_malformed_key_is_refused(officer_b: User, psc_b: Unit, pc_a: Unit, key: str) -> None:
    before = Dossier.objects.count()
    response = post(logged_in(officer_b), body(psc_b, pc_a), key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["message"]
    assert Dossier.objects.count() == before


def test_a_failed_create_keeps_no_key(officer_b: User, psc_b: Unit, pc_a: Unit) -> None:
    incomplete = {**body(psc_b, pc_a), "components": []}
    assert post(logged_in(officer_b), incomplete, KEY).status_code == 422
    assert not IdempotencyRecord.objects.filter(key=KEY).exists()
    assert post(logged_in(officer_b), body(psc_b, pc_a), KEY).status_code == 201


def test_the_openapi_document_names_the_header() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/dossiers"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
