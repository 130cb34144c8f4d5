"""Issue #16 item 7: the desk's document pages and the API, for every action, scoped by the owner
unit (missing and forbidden look the same); R-DOC-17: a dossier's consultation letter and the
consulted body's answer, linked to the dossier and shown in its trail."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import logged_in, totp_code
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.correspondence import actions as a
from motcua.correspondence import incoming
from motcua.correspondence.models import BodyProfile, Document, DocumentDossier
from motcua.correspondence.tests.factories import draft, to_released, to_signed
from motcua.correspondence.trail import record
from motcua.dossiers.actions import do_forward_dossier, do_request_consultation
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received

pytestmark = pytest.mark.django_db
API = "/api/v1/documents"


def person(username: str, unit: Unit, role: str) -> User:
    user = User.objects.create_user(username, full_name=username, kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_api_walks_an_outgoing_document_and_approval_needs_a_fresh_code(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User, clerk_a: User
) -> None:
    """Draft → submit → approve (confirm + fresh TOTP, as for a dossier) → sign → release
    (the clerk numbers it, R-DOC-05); each error in the API's envelope."""
    drafter = logged_in(specialist_a)
    answer = post(drafter, API, {
        "unit_id": str(pc_a.pk), "type_code": "cong_van", "summary": "V/v họp giao ban",
        "content": "Kính mời dự họp.", "signer_id": leader_a.pk, "signer_position": "Chủ tịch",
        "drafting_unit_abbreviation": "VP",
        "recipients": [{"name": "Sở Tư pháp", "agency_code": "000.00.12.H13"}],
    })  # fmt: skip
    assert answer.status_code == 201, answer.content
    pk = answer.json()["id"]
    assert post(drafter, f"{API}/{pk}/submit").json()["state"] == "in_review"
    leader = logged_in(leader_a, verified=True)
    refused = post(leader, f"{API}/{pk}/approve", {"otp": totp_code(leader_a)})
    assert refused.status_code == 422
    assert set(refused.json()) >= {"code", "message", "message_en"}
    assert refused.json()["details"]["field"] == "confirm"
    approved = post(leader, f"{API}/{pk}/approve", {"confirm": True, "otp": totp_code(leader_a)})
    assert approved.json()["state"] == "approved", approved.content
    assert post(logged_in(clerk_a), f"{API}/{pk}/release").status_code == 409  # not signed
    assert post(leader, f"{API}/{pk}/sign").json()["state"] == "signed"
    assert post(leader, f"{API}/{pk}/release").status_code == 403  # the clerk releases
    released = post(logged_in(clerk_a), f"{API}/{pk}/release").json()
    assert (released["state"], released["number_and_symbol"]) == ("released", "01/UBND-VP")
    kinds = [e["kind"] for e in released["events"]]
    assert kinds[-1] == "document:state:released"
    queue = logged_in(clerk_a).get(API, {"queue_name": "all", "q": "hop giao ban"}).json()
    assert [d["id"] for d in queue] == [pk]  # searched without diacritics (R-DOC-08)


def test_the_api_walks_an_incoming_document(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User, clerk_a: User
) -> None:
    """Paper registration (R-DOC-06), assignment with a deadline (R-DOC-16), handling,
    forwarding to another handler, completion."""
    other = person("chuyenvien2.ninhkieu", pc_a, Role.SPECIALIST)
    registered = post(logged_in(clerk_a), f"{API}/incoming", {
        "unit_id": str(pc_a.pk), "type_code": "cong_van", "summary": "V/v báo cáo số liệu",
        "issuing_body_name": "Sở Nội vụ", "number": 7, "symbol": "SNV-VP",
    })  # fmt: skip
    assert registered.status_code == 201, registered.content
    pk, arrival = registered.json()["id"], registered.json()["arrival_number"]
    assert arrival == 1
    leader = logged_in(leader_a, verified=True)
    assigned = post(leader, f"{API}/{pk}/assign", {"handler_id": specialist_a.pk, "days": 3})
    assert assigned.json()["state"] == "assigned"
    handler = logged_in(specialist_a)
    assert post(handler, f"{API}/{pk}/handle", {"note": "Đang tổng hợp"}).json()["state"] == (
        "handling"
    )
    assert post(handler, f"{API}/{pk}/forward", {"handler_id": other.pk}).status_code == 422
    forwarded = post(
        handler, f"{API}/{pk}/forward", {"handler_id": other.pk, "reason": "Đúng mảng"}
    )
    assert forwarded.json()["state"] == "assigned"
    assert post(handler, f"{API}/{pk}/complete").status_code == 422  # no longer the handler
    assert post(logged_in(other), f"{API}/{pk}/complete").json()["state"] == "completed"
    queues = {q: len(leader.get(API, {"queue_name": q}).json()) for q in ("to_assign", "all")}
    assert queues == {"to_assign": 0, "all": 1}


def test_another_bodys_clerk_and_anonymous_see_nothing(
    profile_a: BodyProfile,
    pc_a: Unit,
    body_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    ioc_viewer: User,
) -> None:
    """DESIGN §2: every page and operation reads through the scoped selector — another body's
    clerk and the operations-centre viewer get 404 as for a missing document, anonymous is
    sent to log in (pages) or gets 401 (API); nothing changes."""
    letter = to_signed(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a)
    clerk_b = person("vanthu.caikhe", body_b, Role.CLERK)
    missing = uuid.uuid4()
    for user in (clerk_b, ioc_viewer):
        client = logged_in(user)
        for pk in (letter.pk, missing):
            assert client.get(reverse("desk:document", args=[pk])).status_code == 404
            assert client.get(reverse("desk:document-file", args=[pk])).status_code == 404
            assert client.post(reverse("desk:document-act", args=[pk, "release"])).status_code == (
                404
            )
            assert client.get(f"{API}/{pk}").status_code == 404
            assert post(client, f"{API}/{pk}/release").status_code == 404
        listed = client.get(reverse("desk:documents"), {"queue": "all"})
        assert str(letter.pk) not in listed.content.decode()
    anonymous = Client()
    page = anonymous.get(reverse("desk:document", args=[letter.pk]))
    assert page.status_code == 302
    assert "login" in page["Location"]
    assert anonymous.get(f"{API}/{letter.pk}").status_code == 401
    letter.refresh_from_db()
    assert letter.state == "signed"
    # the owner's clerk sees it in the queue to release and releases it from the page
    clerk = logged_in(clerk_a)
    queue = clerk.get(reverse("desk:documents"), {"queue": "to_release"}).content.decode()
    assert str(letter.pk) in queue
    assert clerk.get(reverse("desk:document", args=[letter.pk])).status_code == 200
    assert clerk.get(reverse("desk:document-file", args=[letter.pk]))["Content-Type"] == (
        "application/pdf"
    )
    clerk.post(reverse("desk:document-act", args=[letter.pk, "release"]))
    letter.refresh_from_db()
    assert letter.state == "released"


def test_the_leader_approves_on_the_desk_with_confirmation_and_a_fresh_code(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User
) -> None:
    document = draft(pc_a, specialist_a, leader_a)
    a.do_submit_document(document, acting_user=specialist_a)
    leader = logged_in(leader_a, verified=True)
    url = reverse("desk:document-act", args=[document.pk, "approve"])
    leader.post(url, {"otp": totp_code(leader_a)})  # no confirmation
    document.refresh_from_db()
    assert document.state == "in_review"
    leader.post(url, {"confirm": "on", "otp": totp_code(leader_a)})
    document.refresh_from_db()
    assert document.state == "approved"
    # The trail speaks the officer's words, never the recorded event kinds or state values.
    html = leader.get(reverse("desk:document", args=[document.pk])).content.decode()
    page = re.sub(r"<[^>]+>", "", html)
    assert "Trình duyệt → Chờ duyệt" in page
    assert "Phê duyệt → Đã duyệt, chờ ký" in page
    assert ">document:state:" not in html
    assert "→ approved" not in page


def test_a_consultation_letter_and_its_answer_are_linked_to_the_dossier(
    profile_a: BodyProfile,
    pc_a: Unit,
    psc_a: Unit,
    body_b: Unit,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-17: the officer drafts the consultation letter from the dossier; released, it
    reaches the consulted body; its answer (ResponseFor) arrives linked to the same dossier
    and consultation; the dossier's trail shows both, and its page shows them under the
    per-agency deadline."""
    dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    [ask] = do_request_consultation(
        dossier, acting_user=specialist_a, requests=[(body_b, "Xác nhận nơi cư trú", 2)]
    )
    page = logged_in(specialist_a).get(reverse("desk:document-new"), {"consultation": ask.pk})
    assert page.status_code == 200
    assert logged_in(clerk_a).get(
        reverse("desk:document-new"), {"consultation": ask.pk}
    ).status_code in {200, 404}
    response = logged_in(specialist_a).post(
        reverse("desk:document-new"),
        {"consultation": ask.pk, "unit": str(pc_a.pk), "signer": leader_a.pk,
         "signer_position": "Chủ tịch", "drafting_unit_abbreviation": "VP"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = Document.objects.get(owner_unit=pc_a, direction="out")
    assert DocumentDossier.objects.filter(document=letter, role="consultation",
                                          consultation=ask).exists()  # fmt: skip
    assert [r.agency_code for r in letter.recipients.all() if not r.for_filing] == [body_b.eid_code]
    to_released(letter, specialist_a, leader_a, clerk_a)
    # B receives the letter, registers it, assigns it and answers with a reply
    clerk_b = person("vanthu.caikhe", body_b, Role.CLERK)
    leader_b = person("lanhdao.caikhe", body_b, Role.UNIT_LEADER)
    handler_b = person("chuyenvien.caikhe", body_b, Role.SPECIALIST)
    got = incoming.do_receive_document(body_b, letter.package.read(), acting_user=None)
    incoming.do_register_document(got, acting_user=clerk_b)
    incoming.do_assign_document(got, handler=handler_b, days=2, acting_user=leader_b)
    reply = a.do_create_outgoing_document(
        body_b,
        a.OutgoingInput(
            type_code="cong_van", summary="V/v trả lời lấy ý kiến", content="Đúng nơi cư trú.",
            signer=leader_b, signer_position="Chủ tịch", drafting_unit_abbreviation="VP",
            recipients=[a.RecipientInput(pc_a.name, pc_a.eid_code)], response_to=got,
        ),
        acting_user=handler_b,
    )  # fmt: skip
    assert reply.response_for == str(letter.pk)
    to_released(reply, handler_b, leader_b, clerk_b)
    answer = incoming.do_receive_document(pc_a, reply.package.read(), acting_user=None)
    assert answer.response_for == str(letter.pk)
    link = DocumentDossier.objects.get(document=answer)
    assert (link.dossier_id, link.role, link.consultation_id) == (dossier.pk, "answer", ask.pk)
    trail = list(
        DossierEvent.objects.filter(dossier=dossier, kind__startswith="dossier:document:")
        .order_by("seq")
        .values_list("kind", "payload")
    )
    assert [(k, p["document"], p["role"]) for k, p in trail] == [
        ("dossier:document:sent", str(letter.pk), "consultation"),
        ("dossier:document:received", str(answer.pk), "answer"),
    ]
    page = logged_in(specialist_a).get(reverse("desk:dossier", args=[dossier.code]))
    html = page.content.decode()
    assert str(letter.pk) in html
    assert str(answer.pk) in html
    assert 'data-role="answer"' in html
    assert f"?consultation={ask.pk}" not in html  # a letter exists: no second draft offered
    # R-PROC-04: the axis answer closes the consultation (recorded by the system, no officer of
    # the consulted body acts here) and, the only one open, appraisal resumes
    ask.refresh_from_db()
    dossier.refresh_from_db()
    assert ask.answered_at is not None
    assert reply.number_and_symbol in ask.answer
    assert dossier.state == "in_appraisal"
    answered = DossierEvent.objects.get(dossier=dossier, kind="dossier:consultation:answered")
    assert answered.actor_id is None
    assert answered.unit_id == body_b.pk
    assert (answered.payload["document"], answered.payload["via"]) == (str(answer.pk), "docaxis")
    assert "trục liên thông" in answered.reason
    resumed = DossierEvent.objects.filter(dossier=dossier, kind="dossier:state:in_appraisal")
    assert resumed.order_by("-seq").first().actor_id is None  # type: ignore[union-attr]
    # delivered again after a lost acknowledgement: nothing recorded twice
    reply.package.seek(0)
    incoming.do_receive_document(pc_a, reply.package.read(), acting_user=None)
    answered_events = DossierEvent.objects.filter(kind="dossier:consultation:answered")
    assert answered_events.filter(dossier=dossier).count() == 1


@pytest.mark.parametrize(
    ("sender", "exchange_id", "closes"),
    [("consulted", "axis-1", True), ("other", "axis-2", False), ("consulted", "", False)],
)
def test_only_the_consulted_bodys_axis_answer_closes_the_consultation(
    profile_a: BodyProfile,
    pc_a: Unit,
    psc_a: Unit,
    body_b: Unit,
    officer_a: User,
    specialist_a: User,
    sender: str,
    exchange_id: str,
    closes: bool,
) -> None:
    """R-DOC-17, R-PROC-04: an arrived answer linked to the consultation closes it only when it
    came over the axis (an exchange id) from the consulted agency's own code; a paper answer or
    one from another body only stays linked, for the officer to record."""
    dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    [ask] = do_request_consultation(
        dossier, acting_user=specialist_a, requests=[(body_b, "Xác nhận nơi cư trú", 2)]
    )
    code = body_b.eid_code if sender == "consulted" else "000.00.00.G10"
    answer = Document.objects.create(
        direction="in", state="arrived", owner_unit=pc_a, type_code="cong_van",
        summary="V/v trả lời lấy ý kiến", issuing_body_code=code, issuing_body_name="Cơ quan B",
        exchange_id=exchange_id,
    )  # fmt: skip
    DocumentDossier.objects.create(document=answer, dossier=dossier, role="answer",
                                   consultation=ask)  # fmt: skip
    record(answer, "document:state:arrived", actor=None, to_state="arrived")
    ask.refresh_from_db()
    dossier.refresh_from_db()
    assert (ask.answered_at is not None) is closes
    assert (dossier.state == "in_appraisal") is closes
    assert dossier.state == ("in_appraisal" if closes else "in_consultation")
