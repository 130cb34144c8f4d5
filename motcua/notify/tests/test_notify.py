"""The applicant is told at each moment that matters; copies leave through the outbox."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.dossiers.actions import (
    do_approve_dossier,
    do_extend_deadline,
    do_forward_dossier,
    do_return_result,
    do_submit_for_approval,
)
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.notify.models import Notification
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


def test_sms_copies_follow_the_lifecycle_once_each(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
        do_extend_deadline(
            dossier,
            acting_user=specialist_a,
            new_due_at=datetime(2026, 3, 16, 17, 0, tzinfo=TZ),
            reason="Chờ xác minh",
        )
        do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
        do_approve_dossier(dossier, acting_user=leader_a)
        do_return_result(dossier, acting_user=officer_a, at_unit=psc_a)
    sms = list(OutboxMessage.objects.filter(topic="sms.send", key=dossier.code).order_by("id"))
    assert [m.payload["kind"] for m in sms] == ["received", "apology", "result_ready", "returned"]
    assert all(m.payload["phone"] == "0901234567" for m in sms)
    assert dossier.code is not None
    assert dossier.code in sms[0].payload["text"]
    assert "Hen lai: 17:00 ngay 16/03/2026" in sms[1].payload["text"]
    assert all(m.payload["text"].isascii() for m in sms)
    assert len({m.idempotency_key for m in sms}) == 4


def test_a_logged_in_citizen_also_gets_an_in_app_notice(
    officer_a: User, citizen: User, psc_a: Unit, pc_a: Unit
) -> None:
    from motcua.dossiers.actions import do_receive_dossier
    from motcua.dossiers.tests.factories import submitted

    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        dossier = submitted(officer_a, at=psc_a, competent=pc_a)
        dossier.citizen = citizen
        dossier.save(update_fields=["citizen"])
        do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    notice = Notification.objects.get(user=citizen)
    assert notice.title == f"Đã tiếp nhận hồ sơ {dossier.code}"
    assert "17:00 ngày 10/03/2026" in notice.body
