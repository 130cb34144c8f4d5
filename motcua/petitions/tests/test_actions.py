"""Petitions (PAKN): filing with a working-day deadline, the officer's handling within their
scope (denials proved), the petitioner's response by account or signed link, the trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.db import DatabaseError, transaction

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.petitions.actions import (
    PetitionContent,
    do_accept_petition,
    do_answer_petition,
    do_complain_late,
    do_file_petition,
    do_mark_not_competent,
    do_record_response,
)
from motcua.petitions.models import Petition, PetitionEvent
from motcua.petitions.tests.conftest import file, local
from motcua.petitions.tokens import make_token

pytestmark = pytest.mark.django_db


def test_filing_gives_a_daily_code_and_a_ten_working_day_deadline(
    traveller: Any, pc_a: Unit
) -> None:
    first = file(pc_a)
    second = file(pc_a)
    assert first.code == "PAKN-260310-0001"
    assert second.code == "PAKN-260310-0002"
    # Tuesday 10/3 09:00 + 10 working days (two weekends skipped) = Tuesday 24/3.
    assert first.due_on == date(2026, 3, 24)
    assert first.received_on == date(2026, 3, 10)
    assert first.state == "received"
    traveller.move_to(local(3, 11))
    assert file(pc_a).code == "PAKN-260311-0001"  # numbering restarts each day


def test_the_deadline_follows_the_setting(traveller: Any, pc_a: Unit, settings: object) -> None:
    settings.MOTCUA_PETITION_HANDLING_DAYS = 5  # type: ignore[attr-defined]
    assert file(pc_a).due_on == date(2026, 3, 17)


def test_anonymous_filing_needs_a_valid_phone(traveller: Any, pc_a: Unit) -> None:
    with pytest.raises(ValidationFailed) as missing:
        file(pc_a, phone="")
    assert missing.value.details["field"] == "phone"
    with pytest.raises(ValidationFailed):
        file(pc_a, phone="12345")
    assert not Petition.objects.exists()


def test_a_logged_in_citizen_files_without_a_phone(
    traveller: Any, pc_a: Unit, citizen: User
) -> None:
    petition = file(pc_a, citizen=citizen, phone="")
    assert petition.citizen == citizen


def test_an_unknown_dossier_code_is_refused(traveller: Any, pc_a: Unit) -> None:
    with pytest.raises(ValidationFailed) as exc:
        do_file_petition(
            PetitionContent(
                unit=pc_a,
                kind="kien_nghi",
                subject="Kiến nghị",
                content="Đề nghị bổ sung quầy hướng dẫn.",
                name="An",
                phone="0901234567",
                dossier_code="000.00.00.H00-260101-0001",
            )
        )
    assert exc.value.details["field"] == "dossier_code"


def test_handling_officers_enter_counter_and_hotline_petitions(
    traveller: Any, pc_a: Unit, officer_a: User, admin_a: User, ioc_viewer: User
) -> None:
    counter = PetitionContent(
        kind="phan_anh",
        subject="Thái độ phục vụ",
        content="Công chức hướng dẫn chưa rõ ràng.",
        name="Trần Văn B",
        phone="0912345678",
        channel="counter",
        unit=pc_a,
    )
    # The one-stop officer of the commune centre takes it for the People's Committee...
    taken = do_file_petition(counter, acting_user=officer_a)
    assert (taken.channel, taken.citizen, taken.events.get().actor) == ("counter", None, officer_a)
    # ... but cannot handle it (not in their scope).
    with pytest.raises(NotFound):
        do_answer_petition(taken, answer="Trả lời ngoài phạm vi.", acting_user=officer_a)
    for user in (admin_a, ioc_viewer):  # no handling role anywhere: no intake either
        with pytest.raises(NotFound):
            do_file_petition(counter, acting_user=user)
    with pytest.raises(PermissionDenied):  # the portal is the citizens' channel
        do_file_petition(replace(counter, channel="portal"), acting_user=officer_a)
    with pytest.raises(PermissionDenied):  # anonymous people cannot claim the hotline
        do_file_petition(replace(counter, channel="hotline"), acting_user=None)


def test_handling_in_scope_and_the_trail(traveller: Any, pc_a: Unit, specialist_a: User) -> None:
    petition = file(pc_a)
    do_accept_petition(petition, acting_user=specialist_a)
    traveller.move_to(local(3, 12, 10))
    do_answer_petition(
        petition, answer="Đã kiểm tra và trả kết quả ngày 12/3.", acting_user=specialist_a
    )
    petition.refresh_from_db()
    assert petition.state == "answered"
    assert petition.answered_on == date(2026, 3, 12)
    assert petition.answered_by == specialist_a
    events = list(petition.events.order_by("seq"))
    assert [(e.seq, e.kind, e.from_state, e.to_state) for e in events] == [
        (1, "petition:state:received", "", "received"),
        (2, "petition:state:in_progress", "received", "in_progress"),
        (3, "petition:state:answered", "in_progress", "answered"),
    ]
    assert events[2].actor == specialist_a
    assert events[2].unit == pc_a
    assert events[2].payload == {"on_time": True}
    with pytest.raises(Conflict):  # answered once
        do_answer_petition(petition, answer="Trả lời lần thứ hai.", acting_user=specialist_a)


@pytest.mark.parametrize("who", ["officer_b", "officer_a", "admin_a", "ioc_viewer", "citizen"])
def test_officers_outside_the_unit_or_without_a_handling_role_are_denied(
    traveller: Any, pc_a: Unit, who: str, request: pytest.FixtureRequest
) -> None:
    # officer_a works at commune A's centre (below the People's Committee), officer_b at B,
    # admin_a administers A without handling, ioc_viewer only watches.
    user: User = request.getfixturevalue(who)
    petition = file(pc_a)
    with pytest.raises(NotFound):
        do_accept_petition(petition, acting_user=user)
    with pytest.raises(NotFound):
        do_answer_petition(petition, answer="Trả lời không có quyền.", acting_user=user)
    with pytest.raises(NotFound):
        do_mark_not_competent(petition, reason="Không có quyền", acting_user=user)
    petition.refresh_from_db()
    assert petition.state == "received"
    assert petition.events.count() == 1


def test_not_competent_needs_a_reason(traveller: Any, pc_a: Unit, leader_a: User) -> None:
    petition = file(pc_a)
    with pytest.raises(ValidationFailed):
        do_mark_not_competent(petition, reason=" ", acting_user=leader_a)
    do_mark_not_competent(
        petition,
        reason="Thuộc thẩm quyền Sở Tư pháp",
        forwarded_to="Sở Tư pháp",
        acting_user=leader_a,
    )
    petition.refresh_from_db()
    assert (petition.state, petition.forwarded_to) == ("not_competent", "Sở Tư pháp")
    with pytest.raises(Conflict):
        do_answer_petition(petition, answer="Không còn trả lời được.", acting_user=leader_a)


def test_response_by_account_or_link_once_after_the_answer(
    traveller: Any, pc_a: Unit, specialist_a: User, citizen: User
) -> None:
    mine = file(pc_a, citizen=citizen)
    anonymous = file(pc_a)
    with pytest.raises(Conflict):  # not answered yet
        do_record_response(mine, satisfied=True, acting_user=citizen)
    for p in (mine, anonymous):
        do_answer_petition(p, answer="Đã xử lý xong nội dung phản ánh.", acting_user=specialist_a)
    with pytest.raises(NotFound):  # someone else's petition
        do_record_response(anonymous, satisfied=False, acting_user=citizen)
    with pytest.raises(NotFound):  # a token of another petition
        do_record_response(anonymous, satisfied=False, token=make_token(mine.pk))
    with pytest.raises(NotFound):
        do_record_response(anonymous, satisfied=False, token="forged")
    do_record_response(mine, satisfied=True, acting_user=citizen)
    do_record_response(
        anonymous, satisfied=False, comment="Chưa thỏa đáng", token=make_token(anonymous.pk)
    )
    mine.refresh_from_db()
    anonymous.refresh_from_db()
    assert (mine.response, anonymous.response) == ("satisfied", "not_satisfied")
    assert anonymous.events.order_by("-seq")[0].payload == {
        "response": "not_satisfied",
        "via": "link",
    }
    with pytest.raises(Conflict):
        do_record_response(mine, satisfied=False, acting_user=citizen)


def test_late_complaint_only_once_the_deadline_has_passed(traveller: Any, pc_a: Unit) -> None:
    petition = file(pc_a)
    token = make_token(petition.pk)
    traveller.move_to(local(3, 24, 16))  # the due date itself: not late yet
    with pytest.raises(Conflict):
        do_complain_late(petition, token=token)
    traveller.move_to(local(3, 25))
    do_complain_late(petition, comment="Quá hạn chưa trả lời", token=token)
    petition.refresh_from_db()
    assert petition.late_complaint
    with pytest.raises(Conflict):
        do_complain_late(petition, token=token)


def test_events_are_immutable(traveller: Any, pc_a: Unit) -> None:
    petition = file(pc_a)
    with pytest.raises(DatabaseError), transaction.atomic():
        PetitionEvent.objects.filter(petition=petition).update(reason="sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        PetitionEvent.objects.filter(petition=petition).delete()


def test_the_petitioner_is_told_through_the_outbox(
    traveller: Any, pc_a: Unit, specialist_a: User, citizen: User
) -> None:
    from django.test import Client

    from motcua.core.models import OutboxMessage
    from motcua.notify.models import Notification

    petition = file(pc_a, citizen=citizen)
    received = OutboxMessage.objects.get(topic="sms.send", key=petition.code)
    assert received.payload["text"].startswith(f"PAKN {petition.code} da duoc tiep nhan")
    assert "24/03/2026" in received.payload["text"]
    do_answer_petition(petition, answer="Đã giải quyết xong nội dung.", acting_user=specialist_a)
    answered = OutboxMessage.objects.filter(topic="sms.send", key=petition.code).order_by("-id")[0]
    link = answered.payload["text"].rsplit(" ", 1)[1]
    assert "/phan-anh-kien-nghi/y-kien/" in link
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = Client().get(f"/{path}")
    assert "Đã giải quyết xong nội dung." in page.content.decode()
    kinds = set(Notification.objects.filter(user=citizen).values_list("kind", flat=True))
    assert kinds == {"petition_received", "petition_answered"}


def test_a_dossier_code_names_the_unit_and_the_procedure(
    traveller: Any, citizen: User, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    from motcua.dossiers.actions import do_receive_dossier
    from motcua.feedback.tests.test_ratings import online_dossier

    dossier = online_dossier(citizen, psc_a, pc_a)
    do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    dossier.refresh_from_db()
    petition = do_file_petition(
        PetitionContent(
            unit=None,
            kind="phan_anh",
            subject="Chậm trả kết quả",
            content="Hồ sơ đã quá hẹn nhưng chưa có kết quả.",
            name="Nguyễn Thị An",
            phone="0901234567",
            dossier_code=(dossier.code or "").lower(),
        )
    )
    assert (petition.unit, petition.dossier, petition.procedure_code) == (pc_a, dossier, "1.001193")
    with pytest.raises(ValidationFailed) as exc:
        do_file_petition(
            PetitionContent(
                unit=None,
                kind="phan_anh",
                subject="Không rõ đơn vị",
                content="Không chọn đơn vị và không có mã hồ sơ.",
                name="An",
                phone="0901234567",
            )
        )
    assert exc.value.details["field"] == "unit"
