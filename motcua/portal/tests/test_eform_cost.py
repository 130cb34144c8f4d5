"""What opening an e-form costs (issue #14 item 9, speed as felt): a bounded number of queries,
whatever the length of its lists (implementing units, service centres, checklist, files). The
time itself is measured by ``motcua bench felt``, never asserted here."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Procedure
from motcua.core.text import vi_sorted
from motcua.portal.tests.test_apply import BIRTH, start_draft
from motcua.portal.tests.test_forms_that_help import _options

pytestmark = pytest.mark.django_db

#: The e-form's page: session, user and roles; the draft; the version with its components and
#: units (communes joined); the centres; the draft's files; the personal data store; the
#: identity; the calendar (one check, two more the first time in a process); the page shell
#: (province, unread notifications, permissions). 27 over the two requests before item 9.
MAX_EFORM_QUERIES = 19
#: Starting or resuming a draft: session, user and roles, the version, the open draft.
MAX_START_QUERIES = 6


def test_opening_the_e_form_takes_a_bounded_number_of_queries(
    citizen: User, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(citizen)
    url = start_draft(client)  # creates the draft
    with django_assert_max_num_queries(MAX_START_QUERIES):
        assert start_draft(client) == url  # resumes it
    with django_assert_max_num_queries(MAX_EFORM_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_the_e_form_queries_do_not_grow_with_its_unit_list(citizen: User) -> None:
    """No query per unit (N+1): twice as many implementing units, the same queries; the list
    is still complete and in Vietnamese order (issue #14 item 4)."""
    client = logged_in(citizen)
    url = start_draft(client)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    version = Procedure.objects.get(province_id=92, code_national=BIRTH).current
    assert version is not None
    present = set(version.implementing_units.values_list("pk", flat=True))
    more = Unit.objects.filter(province_id=92).exclude(pk__in=present)[: max(len(present), 1)]
    version.implementing_units.add(*more)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
    names = [text for value, text, _ in _options(page, "competent_unit") if value]
    assert len(names) == version.implementing_units.count() > len(present)
    assert names == vi_sorted(names)
