from __future__ import annotations

import json
import logging
import time

import pytest
from django.test import Client

from motcua.core import health, pgcheck
from motcua.core.clock import now
from motcua.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_a_missing_worker(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "PROCESS_STARTED", time.monotonic() - 10_000)  # grace over
    response = client.get("/healthz")
    assert response.status_code == 503  # no worker: nothing reaches the national systems
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["worker"] == "never seen"


def test_healthz_sees_a_fresh_worker_heartbeat(client: Client) -> None:
    WorkerHeartbeat.objects.create(name="w1", beat_at=now(), pid=1)
    assert client.get("/healthz").json()["worker"] == "ok"


def test_every_response_carries_a_request_id_and_keeps_a_sane_incoming_one(client: Client) -> None:
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"]
    assert kept == "abc-123"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    assert replaced != "bad id with spaces"


def test_logs_are_json_lines_with_the_request_id(client: Client) -> None:
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    handler = logging.getLogger().handlers[0]
    record = logging.LogRecord(
        "motcua.test", logging.INFO, __file__, 1, "hello %s", ("world",), None
    )
    from motcua.core.logging import request_id_var

    token = request_id_var.set("req-42")
    try:
        for f in handler.filters:
            f.filter(record)  # type: ignore[union-attr]
        line = handler.format(record)
    finally:
        request_id_var.reset(token)
    payload = json.loads(line)
    assert payload["message"] == "hello world"
    assert payload["request_id"] == "req-42"
    assert payload["level"] == "INFO"


def test_openapi_document_is_served(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/communes" in doc["paths"]


def test_pgcheck_fails_loudly_when_postgres_is_unreachable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert pgcheck.main("postgresql://postgres@127.0.0.1:1/postgres") == 1
    assert "PostgreSQL is not reachable" in capsys.readouterr().err
