"""Issue #12 items 4-5: bad input is refused at the edge with a precise Vietnamese message and
changes nothing, on SQLite and PostgreSQL; and the raw-SQL writer never stores a value other
than the one sent (a value its column cannot hold is refused, not wrapped)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.db import DataError, transaction
from django.db.models import Model
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.rawsql import INTEGER_RANGES, check_ranges
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.tests.factories import BIRTH, CITIZEN_ID, all_components
from motcua.worktime.calc import TZ


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def body(at: Unit, competent: Unit, **extra: Any) -> dict[str, Any]:
    return {
        "procedure_code": BIRTH,
        "receiving_unit_id": str(at.pk),
        "competent_unit_id": str(competent.pk),
        "applicant_name": "Đỗ Thị Lan",
        "applicant_id_number": CITIZEN_ID,
        "components": [{"component_id": c.component_id} for c in all_components(BIRTH)],
        "receive": True,
        **extra,
    }


def post(client: Client, data: Any, content_type: str = "application/json") -> Any:
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post("/api/v1/dossiers", raw, content_type=content_type)


def with_pages(data: dict[str, Any], pages: int) -> dict[str, Any]:
    data["components"][0]["pages"] = pages
    return data


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: with_pages(d, 4294967301), "components.0.pages", "nhỏ hơn hoặc bằng 10000"),
        (lambda d: with_pages(d, 10**20), "components.0.pages", "nhỏ hơn hoặc bằng 10000"),
        (lambda d: with_pages(d, -5), "components.0.pages", "lớn hơn hoặc bằng 0"),
        (lambda d: {**d, "applicant_name": "A" * 100_000}, "applicant_name", "dài quá 200"),
        (lambda d: {**d, "applicant_name": ""}, "applicant_name", "ít nhất 1 ký tự"),
        (lambda d: {**d, "applicant_name": "Lan\x00"}, "applicant_name", "ký tự NUL"),
        (lambda d: {**d, "applicant_phone": "12345"}, "applicant_phone", "10 chữ số"),
        (lambda d: {**d, "applicant_email": "khong-phai-email"}, "applicant_email", "thư điện tử"),
        (lambda d: {**d, "applicant_address": "x" * 301}, "applicant_address", "dài quá 300"),
        (lambda d: {**d, "receiving_unit_id": "abc"}, "receiving_unit_id", "UUID"),
        (lambda d: {**d, "components": "abc"}, "components", "danh sách"),
    ],
)
def test_bad_input_is_refused_precisely_and_writes_nothing(
    officer_b: User, psc_b: Unit, pc_a: Unit, change: Any, field: str, words: str
) -> None:
    before = (Dossier.objects.count(), DossierComponent.objects.count())
    response = post(logged_in(officer_b), change(body(psc_b, pc_a)))
    assert response.status_code == 422, response.content[:500]
    answer = response.json()
    assert answer["code"] == "invalid"
    assert f"“{field}”" in answer["message"]
    assert words in answer["message"]
    assert answer["message_en"].startswith(f"Invalid input at {field}")
    assert (Dossier.objects.count(), DossierComponent.objects.count()) == before


def test_an_amount_beyond_any_fee_is_refused(officer_b: User) -> None:
    client = logged_in(officer_b)
    response = client.post(
        "/api/v1/dossiers/H92.00000.01-260310-0001/request_payment",
        json.dumps({"amount": 10**20}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "amount" in response.json()["message"]


def test_a_multipart_body_without_a_boundary_is_a_400_envelope(officer_b: User) -> None:
    before = Dossier.objects.count()
    response = post(logged_in(officer_b), b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code in {400, 422}
    assert set(response.json()) == {"code", "message", "message_en", "details"}
    assert Dossier.objects.count() == before


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_it_is_read(settings: Any) -> None:
    settings.MOTCUA_REQUEST_MAX_BYTES = 1024
    client = Client()
    page = client.post(
        "/accounts/login/", "x" * 2048, content_type="application/x-www-form-urlencoded"
    )
    assert page.status_code == 413
    assert "Dung lượng gửi lên quá lớn" in page.content.decode()
    api = client.post("/api/v1/dossiers", "x" * 2048, content_type="application/json")
    assert api.status_code == 413
    assert api.json()["code"] == "too_large"


def test_the_one_step_receipt_stores_exactly_the_pages_sent(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """At the top of the range the value goes through the raw-SQL writer unchanged."""
    response = post(logged_in(officer_b), with_pages(body(psc_b, pc_a), 10_000))
    assert response.status_code == 201, response.content[:500]
    dossier = Dossier.objects.get(pk=response.json()["id"])
    pages = sorted(dossier.components.values_list("pages", flat=True))
    assert pages[-1] == 10_000


def _hot_integer_columns() -> list[tuple[type[Model], str, str]]:
    """Every integer column of the models the raw-SQL writer inserts (core.rawsql callers)."""
    from motcua.core.models import OutboxMessage
    from motcua.dossiers.models import DossierEvent

    return [
        (model, field.attname, field.get_internal_type())
        for model in (Dossier, DossierEvent, DossierComponent, OutboxMessage)
        for field in model._meta.concrete_fields
        if field.get_internal_type() in INTEGER_RANGES
    ]


@pytest.mark.parametrize(
    ("model", "attname", "kind"),
    _hot_integer_columns(),
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_the_raw_writer_keeps_each_columns_limits_and_refuses_beyond(
    model: type[Model], attname: str, kind: str
) -> None:
    """At and beyond each integer column's range (the same on SQLite and PostgreSQL: a wrapped
    4294967301 → 5 is impossible)."""
    low, high = INTEGER_RANGES[kind]
    for value in (low, high):
        check_ranges([model(**{attname: value})])
    for value in (low - 1, high + 1):
        with pytest.raises(DataError, match="out of range"):
            check_ranges([model(**{attname: value})])


def test_the_raw_writer_refuses_text_longer_than_its_column(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    from motcua.core.models import OutboxMessage
    from motcua.core.rawsql import insert_together

    field = OutboxMessage._meta.get_field("topic")
    limit = field.max_length
    assert limit
    before = OutboxMessage.objects.count()
    with pytest.raises(DataError, match="characters"), transaction.atomic():
        insert_together([OutboxMessage(topic="t" * (limit + 1), key="k", idempotency_key="x")])
    assert OutboxMessage.objects.count() == before
