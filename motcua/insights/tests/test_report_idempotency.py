"""Issue #12 items 1 and 6: ``POST /api/v1/insights/reports`` accepts an ``Idempotency-Key``. A
client that lost the reply retries and gets the report generated the first time, never a
second one; the key is claimed in a short transaction of its own and the report is collected
and rendered outside any write transaction (the API opens none around it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.core import idempotency
from motcua.core.clock import now
from motcua.core.models import IdempotencyRecord
from motcua.insights import reports
from motcua.insights.api import REPORT_SCOPE
from motcua.insights.models import Report

pytestmark = pytest.mark.django_db
URL = "/api/v1/insights/reports"
BODY = {"scope": "province", "period": "2026-Q1", "fmt": "xlsx"}
KEY = "bao-cao-quy-1:lan-1"


def post(client: Client, body: dict[str, Any], key: str | None = KEY) -> Any:
    headers = {idempotency.HEADER: key} if key else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_a_retry_with_the_key_answers_the_report_generated_the_first_time(
    ioc_viewer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN an officer who generated a report with an Idempotency-Key and lost the reply WHEN
    the client sends the same request with the same key THEN it gets 200 and the same report,
    and only one report exists. The key was claimed before the report was collected, and the
    collection ran in no transaction the API opened."""
    client = logged_in(ioc_viewer)
    baseline = len(connection.atomic_blocks)  # the test's own transaction(s)
    seen: list[tuple[int, int]] = []
    collect = reports.collect

    def watched(*args: Any, **kwargs: Any) -> Any:
        claims = IdempotencyRecord.objects.filter(scope=REPORT_SCOPE, key=KEY).count()
        seen.append((len(connection.atomic_blocks) - baseline, claims))
        return collect(*args, **kwargs)

    monkeypatch.setattr(reports, "collect", watched)
    first = post(client, BODY)
    assert first.status_code == 201, first.content
    assert seen == [(0, 1)]  # claimed first, then read outside any write transaction
    again = post(client, BODY)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Report.objects.count() == 1
    assert seen == [(0, 1)]  # the retry generated nothing
    record = IdempotencyRecord.objects.get(scope=REPORT_SCOPE, key=KEY)
    assert record.object_id == str(first.json()["id"])


def test_without_a_key_every_request_generates_a_report(ioc_viewer: User) -> None:
    client = logged_in(ioc_viewer)
    assert post(client, BODY, key=None).status_code == 201
    assert post(client, BODY, key=None).status_code == 201
    assert Report.objects.count() == 2
    assert not IdempotencyRecord.objects.filter(scope=REPORT_SCOPE).exists()


def test_the_same_key_with_another_body_is_refused_in_vietnamese(ioc_viewer: User) -> None:
    client = logged_in(ioc_viewer)
    assert post(client, BODY).status_code == 201
    other = post(client, {**BODY, "fmt": "pdf"})
    assert other.status_code == 422
    body = other.json()
    assert body["code"] == "idempotency_key_reused"
    assert body["message"] == "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác."
    assert Report.objects.count() == 1


def test_a_malformed_key_is_refused_and_nothing_is_claimed(ioc_viewer: User) -> None:
    response = post(logged_in(ioc_viewer), BODY, key="ngắn")
    assert response.status_code == 422
    assert response.json()["message"].startswith("Khóa Idempotency-Key phải dài 8–100 ký tự")
    assert not IdempotencyRecord.objects.exists()
    assert not Report.objects.exists()


def test_a_retry_while_the_first_request_generates_answers_202_then_takes_over_a_dead_claim(
    ioc_viewer: User,
) -> None:
    """GIVEN the key claimed by a request still generating its report (the claim has no report
    yet) WHEN the client retries THEN 202 with Retry-After and nothing generated; WHEN the claim
    is older than CLAIM_TTL (its process died, e.g. a restart) THEN the retry takes it over and
    generates the report once."""
    client = logged_in(ioc_viewer)
    idempotency.claim(actor=f"user:{ioc_viewer.pk}", scope=REPORT_SCOPE, key=KEY, body=BODY)
    pending = post(client, BODY)
    assert pending.status_code == 202, pending.content
    assert pending["Retry-After"] == "5"
    assert pending.json()["code"] == "report_pending"
    assert pending.json()["message"].startswith("Báo cáo đang được lập")
    assert not Report.objects.exists()
    with time_machine.travel(now() + idempotency.CLAIM_TTL + timedelta(seconds=1)):
        taken = post(client, BODY)
        assert taken.status_code == 201, taken.content
        assert post(client, BODY).status_code == 200
    assert Report.objects.count() == 1


def test_a_refused_request_releases_its_claim(ioc_viewer: User) -> None:
    """A create that fails (an unknown format) writes nothing and keeps no claim: the retry
    meets the same refusal, not a 202 for a report nobody generates."""
    client = logged_in(ioc_viewer)
    for _ in range(2):
        refused = post(client, {**BODY, "fmt": "doc"})
        assert refused.status_code == 422, refused.content
        assert refused.json()["message"] == "Định dạng không hợp lệ."
    assert not IdempotencyRecord.objects.exists()
    assert not Report.objects.exists()


def test_a_request_that_lost_its_claim_to_a_takeover_answers_the_other_report(
    ioc_viewer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a slow first request whose claim another request took over and settled WHEN the
    first one stores its report THEN its report is rolled back and it answers the other's:
    one report per key."""
    client = logged_in(ioc_viewer)
    other = Report.objects.create(
        scope="province",
        scope_name="Tỉnh",
        period_kind="quarter",
        period_start=now().date(),
        period_end=now().date(),
        fmt="xlsx",
        content=b"x",
        size=1,
        formula_version="766-2026.5",
        created_at=now(),
    )
    collect = reports.collect

    def overtaken(*args: Any, **kwargs: Any) -> Any:
        IdempotencyRecord.objects.filter(scope=REPORT_SCOPE, key=KEY).update(object_id=other.pk)
        return collect(*args, **kwargs)

    monkeypatch.setattr(reports, "collect", overtaken)
    answer = post(client, BODY)
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == other.pk
    assert list(Report.objects.values_list("pk", flat=True)) == [other.pk]


def test_a_late_failure_of_the_first_request_leaves_the_claim_it_lost_to_a_takeover(
    ioc_viewer: User,
) -> None:
    """GIVEN a claim taken over after CLAIM_TTL by a retry WHEN the first request finally fails
    and releases THEN the retry's claim stays (only its owner releases it)."""
    actor = f"user:{ioc_viewer.pk}"
    first = idempotency.claim(actor=actor, scope=REPORT_SCOPE, key=KEY, body=BODY)
    with time_machine.travel(now() + idempotency.CLAIM_TTL + timedelta(seconds=1)):
        second = idempotency.claim(actor=actor, scope=REPORT_SCOPE, key=KEY, body=BODY)
    assert first.mine
    assert second.mine
    idempotency.release(first)
    assert IdempotencyRecord.objects.filter(scope=REPORT_SCOPE, key=KEY).exists()
    idempotency.release(second)
    assert not IdempotencyRecord.objects.filter(scope=REPORT_SCOPE, key=KEY).exists()
