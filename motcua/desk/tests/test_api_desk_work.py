"""Issue #14 item 6 over HTTP: assignment, "assigned to me", consultation with a deadline per
agency and its answer by the consulted agency — the same actions as the desk pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import do_forward_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import received
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def post(client: Client, path: str, body: dict[str, object]) -> tuple[int, object]:
    response = client.post(path, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def in_appraisal(officer_b: User, psc_b: Unit, pc_a: Unit) -> Dossier:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    dossier.refresh_from_db()
    return dossier


def test_assignment_and_the_assigned_to_me_queue(
    officer_b: User, specialist_a: User, leader_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = in_appraisal(officer_b, psc_b, pc_a)
    status, body = post(
        logged_in(leader_a, verified=True),
        f"/api/v1/dossiers/{dossier.code}/assignment",
        {"specialist": specialist_a.username},
    )
    assert status == 200, body
    assert isinstance(body, dict)
    assert body["events"][-1]["kind"] == "dossier:assignee:changed"
    mine = logged_in(specialist_a).get("/api/v1/dossiers?queue_name=mine").json()
    assert [d["code"] for d in mine] == [dossier.code]


def test_a_specialist_cannot_assign_and_another_unit_sees_nothing(
    officer_b: User, specialist_a: User, officer_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = in_appraisal(officer_b, psc_b, pc_a)
    status, _ = post(
        logged_in(specialist_a),
        f"/api/v1/dossiers/{dossier.code}/assignment",
        {"specialist": specialist_a.username},
    )
    assert status == 403
    status, _ = post(
        logged_in(officer_a),
        f"/api/v1/dossiers/{dossier.code}/assignment",
        {"specialist": specialist_a.username},
    )
    assert status == 404
    dossier.refresh_from_db()
    assert dossier.assigned_to is None


def test_consultation_per_agency_and_the_answer(
    officer_b: User, specialist_a: User, dept_specialist: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = in_appraisal(officer_b, psc_b, pc_a)
    dept = dept_specialist.role_assignments.get().unit
    status, body = post(
        logged_in(specialist_a),
        f"/api/v1/dossiers/{dossier.code}/consultations",
        {"requests": [{"agency_id": str(dept.pk), "question": "Xác minh", "days": 2}]},
    )
    assert status == 201, body
    assert isinstance(body, list)
    assert body[0]["agency"] == dept.name
    listed = logged_in(specialist_a).get(f"/api/v1/dossiers/{dossier.code}/consultations").json()
    assert listed[0]["deadline"] == body[0]["deadline"]
    asked = logged_in(dept_specialist).get("/api/v1/consultations").json()
    assert [c["id"] for c in asked] == [body[0]["id"]]
    status, _ = post(
        logged_in(specialist_a), f"/api/v1/consultations/{body[0]['id']}/answer", {"answer": "x"}
    )
    assert status == 404  # only the consulted agency answers
    status, answered = post(
        logged_in(dept_specialist),
        f"/api/v1/consultations/{body[0]['id']}/answer",
        {"answer": "Hợp lệ"},
    )
    assert status == 200, answered
    dossier.refresh_from_db()
    assert dossier.state == "in_appraisal"


def test_a_consultation_without_days_is_refused(
    officer_b: User, specialist_a: User, dept_specialist: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = in_appraisal(officer_b, psc_b, pc_a)
    dept = dept_specialist.role_assignments.get().unit
    status, _ = post(
        logged_in(specialist_a),
        f"/api/v1/dossiers/{dossier.code}/consultations",
        {"requests": [{"agency_id": str(dept.pk), "question": "Xác minh", "days": 0}]},
    )
    assert status == 422
    dossier.refresh_from_db()
    assert dossier.state == "in_appraisal"
    assert Client().get("/api/v1/consultations").status_code == 401


def test_a_consultation_retried_with_the_same_key_asks_once(
    officer_b: User, specialist_a: User, dept_specialist: User, psc_b: Unit, pc_a: Unit
) -> None:
    """Issue #12 item 6: the specialist's client lost the reply and sends the request again."""
    dossier = in_appraisal(officer_b, psc_b, pc_a)
    dept = dept_specialist.role_assignments.get().unit
    client = logged_in(specialist_a)
    path = f"/api/v1/dossiers/{dossier.code}/consultations"
    body = {"requests": [{"agency_id": str(dept.pk), "question": "Xác minh", "days": 2}]}
    key = {"Idempotency-Key": "consult-20260310-0001"}

    def send(data: object) -> tuple[int, object]:
        response = client.post(path, json.dumps(data), content_type="application/json", headers=key)
        return response.status_code, response.json()

    first = send(body)
    assert first[0] == 201, first
    assert send(body) == first
    assert dossier.consultations.count() == 1
    other = {"requests": [{"agency_id": str(dept.pk), "question": "Khác", "days": 2}]}
    status, refused = send(other)
    assert status == 422
    assert isinstance(refused, dict)
    assert refused["code"] == "idempotency_key_reused"
    assert dossier.consultations.count() == 1
