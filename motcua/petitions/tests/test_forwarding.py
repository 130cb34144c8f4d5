"""Forwarding (issue #18): to a real unit of the province — a new petition with its own code and
deadline, the old one leaves the unit's R-IDX-02 denominator — or to an outside body by agency
code; the forwarding's own deadline (R-TRF-03 via R-TIME-10); the petitioner is told at each
step and answers satisfied / not satisfied."""

from __future__ import annotations

from typing import Any

import pytest

from contracts import docaxis
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.correspondence import edxml
from motcua.correspondence.models import BodyProfile, Document, DocumentPetition
from motcua.correspondence.tests.factories import to_released
from motcua.petitions.actions import do_accept_petition, do_answer_petition, do_record_response
from motcua.petitions.forwarding import do_forward_petition
from motcua.petitions.models import PetitionEvent, PetitionState
from motcua.petitions.tests.conftest import file, local

pytestmark = pytest.mark.django_db


def _texts(code: str) -> list[str]:
    return [
        m.payload["text"]
        for m in OutboxMessage.objects.filter(topic="sms.send", key=code).order_by("id")
    ]


def test_forwarding_to_a_unit_files_a_new_petition_with_its_own_deadline(
    traveller: Any, pc_a: Unit, specialist_a: User, dept_specialist: User, citizen: User
) -> None:
    justice = Unit.objects.get(name__endswith="Sở Tư pháp", role_assignments__user=dept_specialist)
    petition = file(pc_a, citizen=citizen)  # Tue 10/3 09:00
    do_accept_petition(petition, acting_user=specialist_a)
    traveller.move_to(local(3, 11, 10))  # forwarded the next day: late (due 10/3 17:00)
    forward = do_forward_petition(
        petition,
        reason="Việc chứng thực bản sao do Sở Tư pháp hướng dẫn.",
        to_unit_id=justice.pk,
        acting_user=specialist_a,
    )
    petition.refresh_from_db()
    new = forward.new_petition
    assert new is not None
    assert petition.state == PetitionState.NOT_COMPETENT
    assert petition.forwarded_to == justice.name
    assert forward.to_unit == justice
    assert forward.in_time is False
    assert f"{forward.forward_due_at:%d/%m %H:%M}" in ("10/03 10:00", "10/03 17:00")
    assert new.unit == justice
    assert new.code != petition.code
    assert new.received_on.isoformat() == "2026-03-11"
    assert new.due_on.isoformat() == "2026-03-25"  # 10 working days from the forwarding
    assert new.petitioner_phone == petition.petitioner_phone
    assert new.citizen == citizen
    assert new.state == PetitionState.RECEIVED
    first = PetitionEvent.objects.get(petition=new, seq=1)
    assert first.payload["forwarded_from"] == petition.code
    texts = _texts(petition.code)
    assert texts[1].startswith(f"PAKN {petition.code} dang duoc xu ly")
    assert new.code in texts[-1]
    assert "ma moi" in texts[-1]
    # The new unit answers; the petitioner responds on the new petition.
    with pytest.raises(NotFound):  # no longer the first unit's to answer
        do_answer_petition(new, answer="Đã xử lý theo quy định.", acting_user=specialist_a)
    do_answer_petition(new, answer="Sở đã hướng dẫn theo quy định.", acting_user=dept_specialist)
    do_record_response(new, satisfied=False, comment="Chậm", acting_user=citizen)
    new.refresh_from_db()
    assert new.response == "not_satisfied"


@pytest.fixture
def letters_a(pc_a: Unit) -> BodyProfile:
    """Commune A issues official documents (R-DOC-03): what a letter to an outside body needs."""
    return BodyProfile.objects.create(unit=pc_a, abbreviation="UBND", place="Thành phố Cần Thơ")


def test_forwarding_in_time_and_to_an_outside_body(
    traveller: Any, pc_a: Unit, specialist_a: User, letters_a: BodyProfile
) -> None:
    petition = file(pc_a)
    forward = do_forward_petition(
        petition,
        reason="Thuộc thẩm quyền của Bộ Tư pháp.",
        agency_code="000.00.00.G10",
        agency_name="Bộ Tư pháp",
        acting_user=specialist_a,
    )
    assert forward.in_time is True
    assert forward.new_petition is None
    assert forward.to_unit is None
    petition.refresh_from_db()
    assert petition.forwarded_to == "Bộ Tư pháp (000.00.00.G10)"
    assert _texts(petition.code)[-1].startswith(f"PAKN {petition.code} khong thuoc tham quyen")


def test_forwarding_to_an_outside_body_drafts_the_official_letter_sent_over_the_axis(
    pc_a: Unit, specialist_a: User, leader_a: User, letters_a: BodyProfile
) -> None:
    """Issue #18 item 4 (R-DOC-13, R-DOC-10): the forwarding writes, in its transaction, the
    unit's draft forwarding slip to the agency code, linked to the petition; after approval and
    the two signatures the clerk's release sends it over the axis through the outbox, as the
    docaxis contract's SendRequest."""
    petition = file(pc_a)
    do_forward_petition(
        petition,
        reason="Thuộc thẩm quyền của Bộ Tư pháp.",
        agency_code="000.00.00.g10 ",
        agency_name="Bộ Tư pháp",
        acting_user=specialist_a,
    )
    link = DocumentPetition.objects.get(petition_code=petition.code)
    letter = Document.objects.get(pk=link.document_id)
    assert (letter.direction, letter.state, letter.type_code) == ("out", "draft", "phieu_chuyen")
    assert (letter.owner_unit, letter.signer, letter.created_by) == (pc_a, leader_a, specialist_a)
    assert letter.summary == f"V/v chuyển phản ánh, kiến nghị {petition.code}"
    assert petition.subject in letter.content
    assert "Bộ Tư pháp" in letter.content
    assert [(r.name, r.agency_code) for r in letter.recipients.all()] == [
        ("Bộ Tư pháp", "000.00.00.G10")
    ]
    assert [e.kind for e in letter.events.all()] == ["document:created"]
    event = PetitionEvent.objects.get(petition=petition, kind="petition:state:not_competent")
    assert event.payload["agency_name"] == "Bộ Tư pháp"
    assert not OutboxMessage.objects.filter(topic="docaxis.send").exists()  # not signed yet
    clerk = User.objects.create_user("vanthu.pakn", full_name="Văn thư", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=clerk, unit=pc_a, role=Role.CLERK)
    to_released(letter, specialist_a, leader_a, clerk)
    [message] = OutboxMessage.objects.filter(topic="docaxis.send", key=str(letter.pk))
    assert message.payload["to"] == ["000.00.00.G10"]
    letter.package.open("rb")
    xml = letter.package.read()
    request = docaxis.SendRequest(
        sender=message.payload["sender"],
        to=message.payload["to"],
        document_id=message.payload["document_id"],
        package=xml.decode("utf-8"),
        idempotency_key=message.idempotency_key,
    )
    assert request.sender == pc_a.eid_code
    package = edxml.parse_package(xml)
    assert (package.to, package.type_code) == (["000.00.00.G10"], "phieu_chuyen")
    assert package.subject == letter.summary


def test_an_outside_forwarding_is_refused_when_the_unit_cannot_issue_letters(
    pc_a: Unit, specialist_a: User
) -> None:
    """No body profile (R-DOC-03): the letter cannot be drafted, so nothing is written."""
    petition = file(pc_a)
    with pytest.raises(ValidationFailed) as refused:
        do_forward_petition(
            petition,
            reason="Thuộc thẩm quyền của Bộ Tư pháp.",
            agency_code="000.00.00.G10",
            agency_name="Bộ Tư pháp",
            acting_user=specialist_a,
        )
    assert refused.value.details["field"] == "agency_code"
    petition.refresh_from_db()
    assert petition.state != PetitionState.NOT_COMPETENT
    assert not Document.objects.exists()
    assert not PetitionEvent.objects.filter(kind="petition:state:not_competent").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "to_unit"),
        ({"agency_code": "khong-hop-le", "agency_name": "X"}, "agency_code"),
        ({"agency_code": "000.00.00.G10"}, "agency_name"),
        ({"to_unit_id": "self"}, "to_unit"),
        ({"to_unit_id": "not-a-uuid"}, "to_unit"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_forwarding_is_refused_and_changes_nothing(
    traveller: Any, pc_a: Unit, specialist_a: User, fields: dict[str, Any], field: str
) -> None:
    petition = file(pc_a)
    if fields.get("to_unit_id") == "self":
        fields = {"to_unit_id": pc_a.pk}
    arguments: dict[str, Any] = {"reason": "Không thuộc thẩm quyền.", **fields}
    with pytest.raises(ValidationFailed) as refused:
        do_forward_petition(petition, acting_user=specialist_a, **arguments)
    assert refused.value.details["field"] == field
    petition.refresh_from_db()
    assert petition.state == PetitionState.RECEIVED


def test_a_province_unit_code_must_be_chosen_as_a_unit(
    traveller: Any, pc_a: Unit, pc_b: Unit, specialist_a: User
) -> None:
    petition = file(pc_a)
    with pytest.raises(ValidationFailed):
        do_forward_petition(
            petition,
            reason="Thuộc phường Cái Khế.",
            agency_code=pc_b.eid_code,
            agency_name=pc_b.name,
            acting_user=specialist_a,
        )


def test_another_communes_officer_cannot_forward(
    traveller: Any, pc_a: Unit, pc_b: Unit, officer_b: User
) -> None:
    petition = file(pc_a)
    with pytest.raises(NotFound):
        do_forward_petition(
            petition, reason="Không thuộc.", to_unit_id=pc_b.pk, acting_user=officer_b
        )


def test_the_desk_forwards_to_a_unit_chosen_from_the_list(
    traveller: Any, pc_a: Unit, specialist_a: User, dept_specialist: User
) -> None:
    from conftest import logged_in

    justice = Unit.objects.get(name__endswith="Sở Tư pháp", role_assignments__user=dept_specialist)
    petition = file(pc_a)
    client = logged_in(specialist_a)
    page = client.get(f"/desk/petitions/{petition.code}/").content.decode()
    assert f'<option value="{justice.pk}">' in page
    assert f'<option value="{pc_a.pk}">' not in page  # not to itself
    client.post(
        f"/desk/petitions/{petition.code}/act/not-competent/",
        {"reason": "Thuộc Sở Tư pháp.", "to_unit": str(justice.pk)},
    )
    petition.refresh_from_db()
    assert petition.state == PetitionState.NOT_COMPETENT
    new = petition.forward.new_petition
    assert new is not None
    assert new.unit == justice
