"""/api/v1/dossiers: the same services as the desk, with the error envelope documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import logged_in, totp_code
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.dossiers.actions.core import time_limit
from motcua.dossiers.tests.factories import BIRTH, CITIZEN_ID, all_components
from motcua.dossiers.tests.test_declarations import units_for, version_of
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def post(client: Client, path: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = client.post(path, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def one_step_body(at: Unit, competent: Unit, **extra: object) -> dict[str, object]:
    """A complete birth registration, registered and received in one call."""
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


def test_a_dossier_goes_from_counter_to_return_through_the_api(
    officer_b: User, specialist_a: User, leader_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    counter = logged_in(officer_b)
    status, body = post(
        counter,
        "/api/v1/dossiers",
        {
            "procedure_code": BIRTH,
            "receiving_unit_id": str(psc_b.pk),
            "competent_unit_id": str(pc_a.pk),
            "applicant_name": "Võ Minh Khang",
            "applicant_id_number": CITIZEN_ID,
            "components": [
                {"component_id": c.component_id, "pages": 1} for c in all_components(BIRTH)
            ],
        },
    )
    assert status == 201, body
    key = str(body["id"])
    assert body["allowed_actions"] == ["receive", "request_supplement", "refuse", "withdraw"]
    status, body = post(counter, f"/api/v1/dossiers/{key}/receive", {})
    assert (status, body["state"], body["national_status"]) == (200, "received", 2)
    post(counter, f"/api/v1/dossiers/{key}/forward", {})
    status, body = post(
        logged_in(specialist_a),
        f"/api/v1/dossiers/{key}/submit",
        {"proposal": "approved", "opinion": "Đủ điều kiện"},
    )
    assert body["state"] == "awaiting_signature"
    leader = logged_in(leader_a, verified=True)
    approve = f"/api/v1/dossiers/{key}/approve"
    # Approving signs the result: an explicit confirmation and a fresh code (issue #14 item 1).
    status, body = post(leader, approve, {})
    assert (status, body["code"], body["details"]) == (422, "invalid", {"field": "confirm"})
    status, body = post(leader, approve, {"confirm": True, "otp": "000000"})
    assert (status, body["details"]) == (422, {"field": "otp"})
    # django-otp throttles the device after a wrong code; the leader waits it out.
    TOTPDevice.objects.get(user=leader_a, confirmed=True).throttle_reset()
    status, body = post(leader, approve, {"confirm": True, "otp": totp_code(leader_a)})
    assert (status, body.get("state")) == (200, "result_ready"), body
    status, body = post(counter, f"/api/v1/dossiers/{key}/return", {})
    assert body["state"] == "returned"
    events: list[dict[str, str]] = body["events"]  # type: ignore[assignment]
    assert [e["kind"].split(":")[-1] for e in events] == [
        "submitted",
        "received",
        "in_appraisal",
        "awaiting_signature",
        "result_ready",
        "signed",  # dossier:result:signed, the electronic result (R-RES-05)
        "returned",
    ]


def test_errors_use_the_envelope_and_change_nothing(
    officer_a: User, officer_b: User, specialist_a: User, psc_b: Unit, pc_a: Unit, pc_b: Unit
) -> None:
    from motcua.dossiers.tests.factories import received

    mine = received(officer_b, at=psc_b, competent=pc_b)
    other = logged_in(officer_a)
    status, body = post(other, f"/api/v1/dossiers/{mine.pk}/forward", {})
    assert status == 404
    assert body["code"] == "not_found"
    status, missing = post(
        other, "/api/v1/dossiers/00000000-0000-0000-0000-000000000000/forward", {}
    )
    assert (status, missing) == (404, body)
    counter = logged_in(officer_b)
    status, body = post(counter, f"/api/v1/dossiers/{mine.pk}/return", {})
    assert status == 409
    assert str(body["message"]).startswith("Không thể chuyển hồ sơ")
    assert body["message_en"]
    status, body = post(counter, f"/api/v1/dossiers/{mine.pk}/refuse", {"reason": ""})
    assert status == 422  # the reason is checked first (Form 03 states it)
    status, body = post(counter, f"/api/v1/dossiers/{mine.pk}/refuse", {"reason": "Trùng"})
    assert status == 409  # received: refusal at receipt is no longer an edge
    status, body = post(counter, f"/api/v1/dossiers/{mine.pk}/nonsense", {})
    assert status == 422
    mine.refresh_from_db()
    assert mine.state == "received"


def test_a_role_the_officer_lacks_gives_403_with_the_role_named(
    officer_b: User, psc_b: Unit, pc_b: Unit
) -> None:
    from motcua.dossiers.tests.factories import received

    dossier = received(officer_b, at=psc_b, competent=pc_b)
    counter = logged_in(officer_b)
    post(counter, f"/api/v1/dossiers/{dossier.pk}/forward", {})
    status, body = post(counter, f"/api/v1/dossiers/{dossier.pk}/submit", {"opinion": "x"})
    assert status == 403
    assert "Chuyên viên xử lý" in str(body["message"])


def test_citizens_and_anonymous_callers_are_refused(citizen: User) -> None:
    assert Client().get("/api/v1/dossiers").status_code == 401
    assert logged_in(citizen).get("/api/v1/dossiers").status_code == 403


def test_the_openapi_document_lists_every_error_response() -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    act = doc["paths"]["/api/v1/dossiers/{key}/{action}"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(act["responses"])


def test_the_counter_can_register_and_receive_in_one_call(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    status, body = post(
        logged_in(officer_b),
        "/api/v1/dossiers",
        one_step_body(psc_b, pc_a),
    )
    assert status == 201
    assert body["state"] == "received"
    assert str(body["code"]).startswith(psc_b.eid_code)


def test_an_incomplete_one_step_receipt_creates_nothing(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    from motcua.dossiers.models import Dossier

    before = Dossier.objects.count()
    status, body = post(
        logged_in(officer_b),
        "/api/v1/dossiers",
        {
            "procedure_code": BIRTH,
            "receiving_unit_id": str(psc_b.pk),
            "competent_unit_id": str(pc_a.pk),
            "applicant_name": "Đỗ Thị Lan",
            "applicant_id_number": CITIZEN_ID,
            "receive": True,
        },
    )
    assert status == 422
    assert "Hồ sơ còn thiếu" in str(body["message"])
    assert Dossier.objects.count() == before


def test_the_one_call_receipt_answers_what_is_stored_without_reading_it_back(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """The answer is built from what the receipt wrote (issue #5 item 10): it must equal a
    later GET, trail included; and the receipt is one transaction that reads nothing twice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.core.models import OutboxMessage

    client = logged_in(officer_b)
    assert client.get("/api/v1/dossiers?limit=1").status_code == 200  # session renewed here
    with CaptureQueriesContext(connection) as captured:
        status, body = post(
            client,
            "/api/v1/dossiers",
            one_step_body(psc_b, pc_a, applicant_phone="0901234567"),
        )
    assert status == 201
    # Read now: the captured list is a window on the connection's log, which the next
    # request clears.
    sql = [q["sql"] for q in captured]
    assert sql
    stored = client.get(f"/api/v1/dossiers/{body['id']}").json()
    assert body == stored
    events = body["events"]
    assert isinstance(events, list)
    assert [(e["seq"], e["to_state"]) for e in events] == [(1, "submitted"), (2, "received")]
    # The portal step and the applicant's notification were written with it.
    assert sorted(
        OutboxMessage.objects.filter(key=body["code"]).values_list("topic", flat=True)
    ) == ["portal.step", "sms.send"]
    # One transaction: the test's own transaction turns it into one savepoint, no nested ones.
    assert len([s for s in sql if s.startswith("SAVEPOINT")]) == 1
    assert not [s for s in sql if 'MAX("dossiers_dossierevent"."seq")' in s]
    assert not [s for s in sql if s.startswith("UPDATE") and "django_session" in s]
    assert len([s for s in sql if s.startswith("SELECT") and 'FROM "dossiers_dossier" ' in s]) == 0
    # Registered and received in one step, the dossier is written once, already received
    # (no claim UPDATE), and both events go in one INSERT; the units come from the process copy.
    # On PostgreSQL the dossier, its events and its checklist rows are one statement.
    assert not [s for s in sql if s.startswith('UPDATE "dossiers_dossier" SET "state"')]
    dossier = [s for s in sql if 'INSERT INTO "dossiers_dossier" ' in s]
    assert len(dossier) == 1
    assert len([s for s in sql if 'INSERT INTO "dossiers_dossierevent" ' in s]) == 1
    if connection.vendor == "postgresql":
        assert 'INSERT INTO "dossiers_dossiercomponent" ' in dossier[0]
        assert 'INSERT INTO "dossiers_dossierevent" ' in dossier[0]
    # The unit's day counter is taken last: after it only the code and the outbox rows are
    # written before the COMMIT (every other receipt of the unit that day waits meanwhile).
    counter = [i for i, s in enumerate(sql) if "dossiers_dossiersequence" in s]
    assert len(counter) == 1
    after = sql[counter[0] :]
    if connection.vendor == "postgresql":  # count, code and rollup counters in one statement
        assert "UPDATE dossiers_dossier SET code" in after[0]
        assert "INSERT INTO insights_rollup" in after[0]
        after = after[1:]
    else:
        assert after[1].startswith('UPDATE "dossiers_dossier" SET "code"')
        after = after[2:]
    assert [s.split("(")[0].strip() for s in after if not s.startswith("RELEASE")] == [
        'INSERT INTO "core_outboxmessage"'
    ]
    assert not [s for s in sql if 'FROM "agencies_unit" WHERE "agencies_unit"."id" IN' in s]


def test_a_calendar_change_reaches_the_next_one_call_receipt(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """The calendar comes with the catalogue read and is kept per process while unchanged:
    a day off added between two receipts moves the second one's deadline (R-TIME-07)."""
    from motcua.worktime.calendars import do_add_calendar_entry
    from motcua.worktime.models import EntryKind, WorkingCalendar

    client = logged_in(officer_b)
    body = one_step_body(psc_b, pc_a)
    status, first = post(client, "/api/v1/dossiers", body)
    assert status == 201
    do_add_calendar_entry(
        WorkingCalendar.objects.get(province_id=pc_a.province_id),
        day=date(2026, 3, 10),
        kind=EntryKind.HOLIDAY,
        name="Ngày nghỉ thử",
        legal_basis="Quyết định thử",
        acting_user=None,
    )
    status, second = post(client, "/api/v1/dossiers", body)
    assert status == 201
    due_first = datetime.fromisoformat(str(first["due_at_original"])).astimezone(TZ)
    due_second = datetime.fromisoformat(str(second["due_at_original"])).astimezone(TZ)
    assert due_first.date() == date(2026, 3, 10)
    assert due_second.date() > due_first.date()


def test_the_one_step_receipt_numbers_past_9999_as_r_id_11_says(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """R-ID-11: four digits at least, more when the day needs them. On PostgreSQL the code is
    built in SQL next to the counter (number_dossier), and must read as format_unit_code."""
    from motcua.dossiers.models import DossierSequence

    DossierSequence.objects.create(unit=psc_b, day=date(2026, 3, 10), last=9999)
    status, body = post(
        logged_in(officer_b),
        "/api/v1/dossiers",
        one_step_body(psc_b, pc_a),
    )
    assert status == 201, body
    assert body["code"] == f"{psc_b.eid_code}-260310-10000"


def test_a_dossier_of_a_procedure_without_time_limit_is_received_with_an_appointment(
    officer_a: User, psc_a: Unit
) -> None:
    """GIVEN a submitted dossier of a procedure that publishes no time limit WHEN the counter
    receives it over the API THEN it must give the appointment, which becomes the due time
    (the browser walk of every declaration, issue #14, receives online dossiers so)."""
    code = "1.001022"  # no time-limit unit published (2.000720's came with the portal records)
    version = version_of(code)
    assert time_limit(version) is None
    receiving, competent = units_for(version, psc_a)
    RoleAssignment.objects.get_or_create(user=officer_a, unit=receiving, role=Role.ONE_STOP_OFFICER)
    counter = logged_in(officer_a)
    status, body = post(
        counter,
        "/api/v1/dossiers",
        {
            "procedure_code": code,
            "receiving_unit_id": str(receiving.pk),
            "competent_unit_id": str(competent.pk),
            "applicant_name": "Võ Minh Khang",
            "applicant_id_number": CITIZEN_ID,
            "components": [{"component_id": c.component_id} for c in all_components(code)],
        },
    )
    assert status == 201, body
    receive = f"/api/v1/dossiers/{body['id']}/receive"
    status, body = post(counter, receive, {})
    assert (status, body["details"]) == (422, {"field": "appointment_at"})
    status, body = post(counter, receive, {"appointment_at": "2026-03-20T09:00:00+07:00"})
    assert (status, body["state"]) == (200, "received"), body
    due = datetime.fromisoformat(str(body["due_at_current"]))
    assert due == datetime(2026, 3, 20, 9, 0, tzinfo=TZ)
