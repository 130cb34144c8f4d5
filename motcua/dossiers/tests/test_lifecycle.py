"""The dossier lifecycle through the real actions: a citizen, counters in two communes, the
competent commune's specialist and leader (STYLE "Test style")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.db import DatabaseError, transaction

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Procedure
from motcua.core.models import OutboxMessage
from motcua.dossiers.actions import (
    Applicant,
    ComponentInput,
    Filing,
    do_answer_consultation,
    do_approve_dossier,
    do_extend_deadline,
    do_forward_dossier,
    do_provide_supplement,
    do_receive_dossier,
    do_record_payment,
    do_refuse_after_appraisal,
    do_refuse_at_receipt,
    do_request_consultation,
    do_request_payment,
    do_request_supplement,
    do_return_result,
    do_send_back,
    do_submit_for_approval,
    do_withdraw_dossier,
)
from motcua.dossiers.actions.receive import missing_components
from motcua.dossiers.errors import (
    AlreadyHandled,
    IllegalTransitionError,
    RoleRequired,
    RuleViolation,
)
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import BIRTH, TRANSACTION_CERT, received, submitted
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def tuesday_morning() -> Iterator[None]:
    with time_machine.travel(local(2026, 3, 10, 9, 0), tick=False):
        yield


def kinds(dossier: Dossier) -> list[str]:
    return list(dossier.events.order_by("seq").values_list("kind", flat=True))


def portal_statuses(dossier: Dossier) -> list[int]:
    rows = OutboxMessage.objects.filter(topic="portal.step", key=dossier.code).order_by("id")
    return [row.payload["status"] for row in rows]


def test_a_counter_in_commune_b_receives_a_birth_registration_of_commune_a(
    tuesday_morning: object, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN a boundary-free birth registration whose competent unit is commune A WHEN the
    counter of commune B receives it at 09:00 THEN it gets commune B's code and is due the same
    day at 17:00 (R-ORG-02, R-ID-09, R-TIME-10)."""
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    assert dossier.state == "received"
    assert dossier.code == f"{psc_b.eid_code}-260310-0001"
    assert dossier.receiving_unit == psc_b
    assert dossier.competent_unit == pc_a
    assert dossier.due_at_original == local(2026, 3, 10, 17, 0)
    assert dossier.due_at_current == dossier.due_at_original
    event = dossier.events.get(kind="dossier:state:received")
    assert (event.form, event.actor, event.unit) == ("01", officer_b, psc_b)
    assert portal_statuses(dossier) == [2]


def test_the_whole_way_from_receipt_to_return_leaves_a_complete_trail(
    tuesday_morning: object,
    officer_b: User,
    specialist_a: User,
    leader_a: User,
    psc_b: Unit,
    pc_a: Unit,
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    do_submit_for_approval(
        dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ điều kiện"
    )
    do_approve_dossier(dossier, acting_user=leader_a)
    do_return_result(dossier, acting_user=officer_b, at_unit=psc_b)
    assert dossier.state == "returned"
    assert dossier.result_kind == "approved"
    assert kinds(dossier) == [
        "dossier:state:submitted",
        "dossier:state:received",
        "dossier:state:in_appraisal",
        "dossier:state:awaiting_signature",
        "dossier:state:result_ready",
        "dossier:result:signed",  # with the unit's certificate, no person (R-RES-05)
        "dossier:state:returned",
    ]
    assert portal_statuses(dossier) == [2, 4, 4, 9, 10]
    actors = list(dossier.events.order_by("seq").values_list("actor__username", flat=True))
    assert actors[1:] == [
        "motcua.caikhe",
        "motcua.caikhe",
        "chuyenvien.ninhkieu",
        "lanhdao.ninhkieu",
        None,
        "motcua.caikhe",
    ]


def test_a_transfer_after_1500_is_due_at_the_start_of_the_next_working_day(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """R-TRF-02: forward within the working day, or at the start of the next one after 15:00."""
    with time_machine.travel(local(2026, 3, 13, 15, 30), tick=False):
        dossier = received(officer_b, at=psc_b, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    receipt = dossier.events.get(kind="dossier:state:received")
    assert receipt.step_deadline == local(2026, 3, 16, 7, 0)
    forward = dossier.events.get(kind="dossier:state:in_appraisal")
    assert forward.payload["transfer_deadline"] == local(2026, 3, 16, 7, 0).isoformat()


def test_officers_act_only_within_their_unit_and_role(
    tuesday_morning: object,
    officer_a: User,
    officer_b: User,
    specialist_a: User,
    dept_specialist: User,
    psc_a: Unit,
    psc_b: Unit,
    pc_a: Unit,
) -> None:
    dossier = submitted(officer_b, at=psc_b, competent=pc_a)
    with pytest.raises(RoleRequired):
        do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_b)  # not A's counter
    with pytest.raises(RoleRequired):
        do_receive_dossier(dossier, acting_user=specialist_a, at_unit=psc_a)  # not a counter role
    do_receive_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    for outsider in (officer_b, dept_specialist):
        with pytest.raises(RoleRequired) as excinfo:
            do_submit_for_approval(dossier, acting_user=outsider, proposal="approved", opinion="x")
        assert "Chuyên viên xử lý" in excinfo.value.message_vi
    do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
    with pytest.raises(RoleRequired):
        do_approve_dossier(dossier, acting_user=specialist_a)  # only the leader signs
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_signature"


def test_a_procedure_that_is_not_boundary_free_is_refused_at_another_communes_counter(
    tuesday_morning: object, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """R-ORG-05: guide the citizen to the competent unit; nothing is recorded."""
    version = Procedure.objects.get(province_id=92, code_national=BIRTH).current
    assert version is not None
    version.boundary_free = False
    version.save(update_fields=["boundary_free"])
    dossier = submitted(officer_b, at=psc_b, competent=pc_a)
    with pytest.raises(RuleViolation) as excinfo:
        do_receive_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    assert "không phụ thuộc địa giới" in excinfo.value.message_vi
    dossier.refresh_from_db()
    assert (dossier.state, dossier.code) == ("submitted", None)
    assert kinds(dossier) == ["dossier:state:submitted"]


def test_an_incomplete_dossier_gets_one_supplement_request_listing_everything(
    tuesday_morning: object, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """R-SUP-01: every missing item in ONE Form 02; a partial list is refused."""
    dossier = submitted(officer_a, at=psc_a, competent=pc_a, complete=False)
    missing = missing_components(dossier)
    assert len(missing) >= 2
    with pytest.raises(RuleViolation):
        do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    with pytest.raises(RuleViolation) as excinfo:
        do_request_supplement(
            dossier, acting_user=officer_a, at_unit=psc_a, items=[(missing[0].name, "Thiếu")]
        )
    assert "MỘT LẦN" in excinfo.value.message_vi
    do_request_supplement(
        dossier, acting_user=officer_a, at_unit=psc_a, items=[(c.name, "Chưa nộp") for c in missing]
    )
    assert dossier.state == "awaiting_supplement"
    assert dossier.code is None  # not received: the clock never started
    form02 = dossier.events.get(kind="dossier:state:awaiting_supplement")
    assert form02.form == "02"
    assert len(form02.payload["items"]) == len(missing)
    do_provide_supplement(
        dossier,
        acting_user=officer_a,
        at_unit=psc_a,
        components=[ComponentInput(c.catalog_component_id or 0, pages=1) for c in missing],
    )
    assert dossier.state == "submitted"
    do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    assert dossier.state == "received"


def test_a_supplement_after_appraisal_restarts_the_clock_from_zero(
    officer_a: User, specialist_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN a 2-working-day dossier received Tue 10/3/2026 09:00 (due Thu 12/3 09:00) WHEN the
    specialist asks for a supplement on Wed 11/3 and it arrives Mon 16/3 14:00 THEN the limit
    runs again from zero: due Wed 18/3/2026 14:00 (R-SUP-02, R-TIME-12, DOMAIN §12 E7)."""
    with time_machine.travel(local(2026, 3, 10, 9, 0), tick=False) as traveller:
        dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        assert dossier.due_at_original == local(2026, 3, 12, 9, 0)
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        traveller.move_to(local(2026, 3, 11, 10, 0))
        do_request_supplement(
            dossier, acting_user=specialist_a, at_unit=pc_a, items=[("Hợp đồng", "Thiếu trang 2")]
        )
        assert dossier.clock_paused_at is not None
        traveller.move_to(local(2026, 3, 16, 14, 0))
        do_provide_supplement(dossier, acting_user=officer_a, at_unit=psc_a, components=[])
        assert dossier.state == "in_appraisal"
        assert dossier.due_at_original == local(2026, 3, 18, 14, 0)
        assert dossier.clock_paused_at is None
        with pytest.raises(RuleViolation) as excinfo:
            do_request_supplement(
                dossier, acting_user=specialist_a, at_unit=pc_a, items=[("Hợp đồng", "Lại thiếu")]
            )
        assert "một lần" in excinfo.value.message_vi


def test_no_supplement_after_appraisal_later_than_3_working_days_from_receipt(
    officer_a: User, specialist_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """R-SUP-02: within 3 working days of receipt (Tue 10/3 09:00 → until Fri 13/3 09:00)."""
    with time_machine.travel(local(2026, 3, 10, 9, 0), tick=False) as traveller:
        dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        traveller.move_to(local(2026, 3, 13, 9, 30))
        with pytest.raises(RuleViolation) as excinfo:
            do_request_supplement(
                dossier, acting_user=specialist_a, at_unit=pc_a, items=[("Hợp đồng", "Thiếu")]
            )
        assert "3 ngày làm việc" in excinfo.value.message_vi
    dossier.refresh_from_db()
    assert dossier.state == "in_appraisal"


def test_an_apology_extends_once_at_least_a_working_day_ahead_and_keeps_the_original(
    officer_a: User, specialist_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """R-LATE-01 (≥1 working day before), R-LATE-02 (once), R-LATE-07 (original kept)."""
    with time_machine.travel(local(2026, 3, 10, 9, 0), tick=False) as traveller:
        dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        original = dossier.due_at_original
        traveller.move_to(local(2026, 3, 12, 8, 0))  # the deadline day itself: too late
        with pytest.raises(RuleViolation) as excinfo:
            do_extend_deadline(
                dossier,
                acting_user=specialist_a,
                new_due_at=local(2026, 3, 17, 17, 0),
                reason="Chờ",
            )
        assert "01 ngày làm việc trước hạn" in excinfo.value.message_vi
        traveller.move_to(local(2026, 3, 11, 16, 0))
        do_extend_deadline(
            dossier,
            acting_user=specialist_a,
            new_due_at=local(2026, 3, 17, 17, 0),
            reason="Chờ xác minh của cơ quan khác",
        )
        assert dossier.due_at_current == local(2026, 3, 17, 17, 0)
        assert dossier.due_at_original == original
        assert dossier.events.get(kind="dossier:deadline:extended").form == "04"
        with pytest.raises(RuleViolation) as again:
            do_extend_deadline(
                dossier, acting_user=specialist_a, new_due_at=local(2026, 3, 20, 17, 0), reason="x"
            )
        assert "không quá một lần" in again.value.message_vi


def test_waiting_for_payment_stops_the_clock(
    officer_a: User, specialist_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """R-PAY-02, R-TIME-13: the time spent waiting for the applicant is not counted."""
    with time_machine.travel(local(2026, 3, 10, 9, 0), tick=False) as traveller:
        dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        traveller.move_to(local(2026, 3, 10, 10, 0))  # 23 working hours left until Thu 09:00
        do_request_payment(dossier, acting_user=specialist_a, amount=50_000, reason="Lệ phí")
        assert dossier.state == "awaiting_payment"
        traveller.move_to(local(2026, 3, 16, 7, 0))
        do_record_payment(dossier, acting_user=specialist_a, reference="PAY-1")
    # 15 h left from Mon 07:00: Mon 8 h → 7 h, Tue 07:00 + 4.5 → 2.5, 13:30 + 2.5 = 16:00.
    assert dossier.due_at_original == local(2026, 3, 17, 16, 0)
    assert dossier.state == "in_appraisal"


def test_consultations_run_in_parallel_and_appraisal_resumes_when_all_answered(
    tuesday_morning: object,
    officer_a: User,
    specialist_a: User,
    dept_specialist: User,
    psc_a: Unit,
    pc_a: Unit,
    pc_b: Unit,
) -> None:
    """R-PROC-03/04: one request per agency, each with its own deadline."""
    from motcua.agencies.models import UnitKind

    justice = Unit.objects.get(kind=UnitKind.DEPARTMENT, name="Sở Tư pháp")
    dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    asks = do_request_consultation(
        dossier,
        acting_user=specialist_a,
        requests=[(justice, "Xác minh giấy tờ", 2), (pc_b, "Xác nhận nơi cư trú", 1)],
    )
    assert dossier.state == "in_consultation"
    assert asks[0].deadline == local(2026, 3, 12, 9, 0)
    assert asks[1].deadline == local(2026, 3, 11, 9, 0)
    with pytest.raises(RoleRequired):
        do_answer_consultation(asks[0], acting_user=specialist_a, answer="Tôi không phải Sở")
    do_answer_consultation(asks[0], acting_user=dept_specialist, answer="Giấy tờ hợp lệ")
    dossier.refresh_from_db()
    assert dossier.state == "in_consultation"
    commune_b_leader = User.objects.create(username="lanhdao.caikhe", kind="officer")
    from motcua.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=commune_b_leader, unit=pc_b, role="unit_leader")
    do_answer_consultation(asks[1], acting_user=commune_b_leader, answer="Đúng nơi cư trú")
    dossier.refresh_from_db()
    assert dossier.state == "in_appraisal"


def test_a_refusal_after_appraisal_is_the_result_returned(
    tuesday_morning: object, officer_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """R-PROC-06, R-STATE-03: Form 03 with reasons; the dossier ends with it returned."""
    dossier = received(officer_a, at=psc_a, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    with pytest.raises(Exception, match="lý do"):
        do_refuse_after_appraisal(dossier, acting_user=leader_a, reason=" ")
    do_refuse_after_appraisal(dossier, acting_user=leader_a, reason="Không đủ điều kiện")
    assert (dossier.state, dossier.result_kind) == ("result_ready", "refused")
    assert dossier.events.get(kind="dossier:state:result_ready").form == "03"
    do_return_result(dossier, acting_user=officer_a, at_unit=psc_a)
    assert dossier.state == "returned"


def test_the_leader_can_send_an_appraisal_back(
    tuesday_morning: object,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    pc_a: Unit,
) -> None:
    dossier = received(officer_a, at=psc_a, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
    do_send_back(dossier, acting_user=leader_a, reason="Kiểm tra lại tên trẻ")
    assert (dossier.state, dossier.result_kind) == ("in_appraisal", "")


def test_withdrawal_issues_form_05_and_is_impossible_once_the_result_exists(
    tuesday_morning: object,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    pc_a: Unit,
) -> None:
    """R-STOP-02: Form 05 only while there is no result."""
    first = received(officer_a, at=psc_a, competent=pc_a)
    do_withdraw_dossier(first, acting_user=officer_a, at_unit=psc_a, reason="Công dân xin rút")
    assert first.state == "withdrawn"
    assert first.events.get(kind="dossier:state:withdrawn").form == "05"
    second = received(officer_a, at=psc_a, competent=pc_a)
    do_forward_dossier(second, acting_user=officer_a, at_unit=psc_a)
    do_submit_for_approval(second, acting_user=specialist_a, proposal="approved", opinion="Đủ")
    do_approve_dossier(second, acting_user=leader_a)
    with pytest.raises(IllegalTransitionError) as excinfo:
        do_withdraw_dossier(second, acting_user=officer_a, at_unit=psc_a, reason="Muộn")
    assert "Đã có kết quả" in excinfo.value.message_vi


def test_an_illegal_action_changes_nothing(
    tuesday_morning: object, officer_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    dossier = submitted(officer_a, at=psc_a, competent=pc_a)
    before = (dossier.state, dossier.version, dossier.events.count(), OutboxMessage.objects.count())
    with pytest.raises(IllegalTransitionError) as excinfo:
        do_approve_dossier(dossier, acting_user=leader_a)
    assert excinfo.value.message_vi.startswith("Không thể chuyển hồ sơ")
    dossier.refresh_from_db()
    after = (dossier.state, dossier.version, dossier.events.count(), OutboxMessage.objects.count())
    assert before == after


def test_the_second_of_two_officers_acting_at_once_gets_a_clear_message(
    tuesday_morning: object, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """Two counters loaded the same dossier; the first refusal wins, the second is told and
    nothing of it is written (DESIGN §4 claim)."""
    dossier = submitted(officer_a, at=psc_a, competent=pc_a)
    stale = Dossier.objects.get(pk=dossier.pk)
    do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    with pytest.raises(AlreadyHandled) as excinfo:  # the action's own block rolls it back
        do_refuse_at_receipt(stale, acting_user=officer_a, at_unit=psc_a, reason="Trùng")
    assert "vừa được người khác xử lý" in excinfo.value.message_vi
    dossier.refresh_from_db()
    assert dossier.state == "received"
    assert kinds(dossier) == ["dossier:state:submitted", "dossier:state:received"]


def test_events_cannot_be_changed_or_deleted_even_by_sql(
    tuesday_morning: object, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """R-STATE-04: the database refuses UPDATE and DELETE on the trail."""
    dossier = received(officer_a, at=psc_a, competent=pc_a)
    event = dossier.events.first()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierEvent.objects.filter(pk=event.pk).update(reason="sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.reason != "sửa"


def test_an_invalid_citizen_id_is_refused_with_a_precise_message(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    from motcua.core.errors import ValidationFailed
    from motcua.dossiers.actions import do_create_dossier

    before = Dossier.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        do_create_dossier(
            Filing(
                procedure_code=BIRTH,
                receiving_unit=psc_a,
                competent_unit=pc_a,
                channel="counter",
                applicant=Applicant(kind="person", name="Nguyễn Văn Bé", id_number="12345"),
            ),
            acting_user=officer_a,
        )
    assert "Số định danh cá nhân" in excinfo.value.message_vi
    assert excinfo.value.details["field"] == "applicant_id_number"
    assert Dossier.objects.count() == before


def test_the_internal_steps_get_their_own_deadlines(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN a 2-working-day dossier received Tue 10/3 09:00 (due Thu 12/3 09:00) THEN the
    appraisal is due Wed 11/3 09:00, the approval 0.5 working day later (Wed 15:00), the return at
    the deadline (R-TIME-02: 0.5-working-day steps; R-PROC-01: the leader assigns)."""
    from motcua.dossiers.actions import do_assign_dossier

    with time_machine.travel(local(2026, 3, 10, 9, 0), tick=False):
        dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        do_assign_dossier(dossier, acting_user=leader_a, specialist=specialist_a)
        with pytest.raises(RoleRequired):
            do_assign_dossier(dossier, acting_user=leader_a, specialist=officer_a)
        do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
        do_approve_dossier(dossier, acting_user=leader_a)
    steps = {e.kind: e.step_deadline for e in dossier.events.all()}
    assert steps["dossier:state:in_appraisal"] == local(2026, 3, 11, 9, 0)
    assert steps["dossier:assignee:changed"] == local(2026, 3, 11, 9, 0)
    assert steps["dossier:state:awaiting_signature"] == local(2026, 3, 11, 15, 0)
    assert steps["dossier:state:result_ready"] == local(2026, 3, 12, 9, 0)
    assert dossier.assigned_to == specialist_a
