"""The idle timeout without a session write per request (SessionRenewalMiddleware)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import TEST_PASSWORD
from motcua.accounts.models import User

pytestmark = pytest.mark.django_db

AGE = settings.SESSION_COOKIE_AGE


def _log_in(user: User) -> Client:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return client


def _expiry(client: Client) -> object:
    return Session.objects.get(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    ).expire_date


def _session_writes(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return sum("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in captured)


def test_an_active_officer_is_not_written_on_every_request(officer_a: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = _log_in(officer_a)
        saved = _expiry(client)
        clock.shift(timedelta(seconds=AGE * 0.05))
        assert _session_writes(client, "/desk/") == 0
        assert _expiry(client) == saved
        # A tenth of the window later the session is renewed from now.
        clock.shift(timedelta(seconds=AGE * 0.06))
        assert _session_writes(client, "/desk/") == 1
        assert _expiry(client) == timezone.now() + timedelta(seconds=AGE)


def test_the_session_still_ends_after_the_idle_window(officer_a: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = _log_in(officer_a)
        # Active at 0.09 of the window (no write) and again just before the end: still in.
        clock.shift(timedelta(seconds=AGE * 0.09))
        assert client.get("/desk/").status_code == 200
        clock.shift(timedelta(seconds=AGE * 0.5))
        assert client.get("/desk/").status_code == 200  # renewed here
        # Idle for the whole window after the last renewal: logged out.
        clock.shift(timedelta(seconds=AGE + 1))
        response = client.get("/desk/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
