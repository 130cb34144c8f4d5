"""Issue #12 item 8: schemathesis over the whole OpenAPI document, anonymous and as an officer:
no server error and no response outside the documented schema (every status an operation can
answer is documented). Deterministic: Hypothesis runs derandomized with a fixed budget."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
)

from config.wsgi import application

#: A request can be schema-valid and still break a legal rule (an unknown procedure code, a
#: dossier in another state): 409 and 422 are correct answers to valid data, besides 2xx and
#: the not-found/denied ones schemathesis expects by default; and a string with a NUL byte is
#: schema-valid but never valid text (400).
CONFIG = SchemathesisConfig.from_str(
    """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "422"]
"""
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
BUDGET = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Like Django's test client: the in-process WSGI calls must not close the connection that
    holds the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _health_exclusions(case: Any) -> list[Any]:
    """The health endpoint answers 503 (documented) when no worker beats, which is its purpose,
    not a server error; its status is still checked against the document."""
    if case.operation.path == "/api/v1/health":
        return [not_a_server_error, positive_data_acceptance]
    return []


def _officer(username: str) -> dict[str, Any]:
    """Keyword arguments of ``Case.call``: the officer's session and CSRF cookies and header."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from motcua.accounts.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token = _get_new_csrf_string()
    return {
        "headers": {"X-CSRFToken": token},
        "cookies": {"sessionid": session.session_key, "csrftoken": token},
    }


@pytest.mark.django_db
@schema.parametrize()
@BUDGET
def test_the_api_anonymous(case: Any) -> None:
    case.call_and_validate(excluded_checks=_health_exclusions(case))


@pytest.mark.django_db
@schema.parametrize()
@BUDGET
def test_the_api_as_an_officer(case: Any) -> None:
    # The officer's cookies go with every request, including the ones schemathesis sends to
    # probe missing or broken authentication, so those two probes run in the anonymous test.
    case.call_and_validate(
        **_officer("motcua.ninhkieu"),
        excluded_checks=[ignored_auth, negative_data_rejection, *_health_exclusions(case)],
    )


@pytest.mark.django_db
def test_the_officer_session_is_really_authenticated() -> None:
    """Guards the officer run above: its requests are an officer's, not anonymous ones."""
    case = schema["/api/v1/me"]["GET"].Case()
    response = case.call(**_officer("motcua.ninhkieu"))
    assert response.status_code == 200
    assert response.json()["username"] == "motcua.ninhkieu"
