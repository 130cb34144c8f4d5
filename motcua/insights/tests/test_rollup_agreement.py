"""Incremental rollups and a full rebuild agree on random histories (DESIGN §6).

Hypothesis writes random lifecycles — receipts at two communes' counters, online filings,
supplements before and after appraisal, payments, apologies, consultations' stand-ins, refusals,
withdrawals, stops, returns — through the real actions under time_machine, across month ends;
and the inputs of other apps: online payments confirmed by the platform (R-PAY-04), signed
results (R-RES-05), ratings and complaints (R-IDX-04) and deliveries to the National Portal
(R-SYNC-04); and days off added to the calendar, which re-date the open dossiers (R-CAL-04,
issue #13). Then the counters kept event by event must equal the ones ``rebuild()`` computes
from scratch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import CAN_THO
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.clock import now
from motcua.core.errors import MotcuaError
from motcua.dossiers import actions as a
from motcua.dossiers.jobs import redate_open_dossiers
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.tests.factories import BIRTH, CITIZEN_ID, TRANSACTION_CERT, all_components
from motcua.exchange import outbox, routing
from motcua.feedback.actions import do_rate_dossier
from motcua.insights.models import DossierFact
from motcua.insights.rollups import rebuild, snapshot
from motcua.insights.tests.test_inputs import pay_online
from motcua.petitions.actions import PetitionContent, do_file_petition, do_mark_not_competent
from motcua.petitions.models import Petition
from motcua.worktime import calendars
from motcua.worktime.calc import TZ
from motcua.worktime.calendars import calendar_for, do_add_calendar_entry
from motcua.worktime.models import WorkingCalendar

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 26, 8, 0, tzinfo=TZ)  # a Thursday near a month end
STEPS_HOURS = (0, 1, 3, 20, 49, 24 * 6)


@dataclass
class Cast:
    officer_a: User
    officer_b: User
    specialist: User
    leader: User
    psc_a: Unit
    psc_b: Unit
    pc_a: Unit

    def counter_officer(self, unit_id: object) -> tuple[User, Unit]:
        if unit_id == self.psc_b.pk:
            return self.officer_b, self.psc_b
        return self.officer_a, self.psc_a


class Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo an example's writes. A savepoint, not an atomic block: the actions it runs own
    durable transactions (decision 0018), which refuse to open inside any atomic block but the
    test case's own."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


#: Whether the simulated portal accepts the next delivery round (drawn by the test).
VERDICT: dict[str, bool] = {"accept": True}


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal topic only, accepted or refused by a draw (no HTTP in a property test)."""
    from motcua.exchange.errors import ExchangeRejected

    def handler(envelope: Any) -> None:
        if not VERDICT["accept"]:
            raise ExchangeRejected("portal", "từ chối")

    route = routing.Route("portal.step", handler, "portal", True)
    monkeypatch.setattr(outbox, "routes", lambda: {"portal.step": route})
    VERDICT["accept"] = True


def create(data: st.DataObject, cast: Cast) -> Dossier:
    code = data.draw(st.sampled_from([BIRTH, TRANSACTION_CERT]))
    online = data.draw(st.booleans())
    at = data.draw(st.sampled_from([cast.psc_a, cast.psc_b]))
    complete = data.draw(st.sampled_from([True, True, True, False]))
    if not online and complete and data.draw(st.booleans()):
        # The counter's one step: the receipt's hook takes the new-dossier path (no fact, no
        # earlier event, nothing of other apps to look up). Nothing is digitised yet then.
        officer, counter = cast.counter_officer(at.pk)
        return a.do_register_and_receive(
            a.Filing(
                procedure_code=code,
                receiving_unit=counter,
                competent_unit=cast.pc_a,
                channel=data.draw(st.sampled_from(["counter", "postal"])),
                result_delivery=data.draw(st.sampled_from(["counter", "online", "post"])),
                components=tuple(all_components(code)),
                applicant=a.Applicant(kind="person", name="Lê Văn Thử", id_number=CITIZEN_ID),
            ),
            acting_user=officer,
        ).dossier
    dossier = a.do_create_dossier(
        a.Filing(
            procedure_code=code,
            receiving_unit=at,
            competent_unit=cast.pc_a,
            channel="online" if online else data.draw(st.sampled_from(["counter", "postal"])),
            result_delivery=data.draw(st.sampled_from(["counter", "online", "post"])),
            components=tuple(all_components(code) if complete else []),
            applicant=a.Applicant(kind="person", name="Lê Văn Thử", id_number=CITIZEN_ID),
        ),
        acting_user=None if online else cast.counter_officer(at.pk)[0],
    )
    # Scanning at the counter happens before the receipt event that reports it (R-DIG-01).
    level = data.draw(st.sampled_from([0, 0, 1, 2, 3]))
    DossierComponent.objects.filter(dossier=dossier).update(digitization=level)
    return dossier


def add_day_off(day: date) -> int:
    """A day off added to the province's calendar and the re-dating job that follows it (the
    path of the database under test), as the worker runs it."""
    before = calendar_for(CAN_THO)
    do_add_calendar_entry(
        WorkingCalendar.objects.get(province_id=CAN_THO),
        day=day,
        kind="holiday",
        name="Nghỉ bù (thử nghiệm)",
        legal_basis="Thông báo (thử nghiệm)",
        acting_user=None,
    )
    return redate_open_dossiers(CAN_THO, before=before, changed_day=day, reason="Lịch")


def step(data: st.DataObject, cast: Cast, dossier: Dossier) -> None:
    """One action allowed in the dossier's state (domain refusals are part of the history)."""
    dossier.refresh_from_db()
    officer, counter = cast.counter_officer(dossier.receiving_unit_id)
    state = dossier.state
    choices: list[str] = {  # repeated moves are the likelier ones
        "submitted": ["receive"] * 4 + ["refuse", "supplement_counter", "withdraw"],
        "awaiting_supplement": ["provide"] * 3 + ["withdraw", "stop"],
        "received": ["forward"] * 4 + ["withdraw", "stop"],
        "in_appraisal": ["submit_ok"] * 3
        + ["payment"] * 2
        + ["submit_refuse", "supplement", "refuse_after", "extend", "withdraw", "stop"],
        "awaiting_signature": ["approve"] * 3 + ["send_back"],
        "awaiting_payment": ["paid"] * 3 + ["pay_online"] * 2 + ["stop"],
        "result_ready": ["return"],
        "returned": ["rate"],
    }.get(state, [])
    if state in ("received", "in_appraisal"):
        choices = [*choices, "pay_online"]
    choices = [*choices, "deliver", "day_off"]
    if dossier.code:  # a complaint about a received dossier, or one forwarded elsewhere
        choices = [*choices, "complain", "forward_complaint"]
    move = data.draw(st.sampled_from(choices))
    try:
        if move == "receive":
            a.do_receive_dossier(dossier, acting_user=officer, at_unit=counter)
        elif move == "refuse":
            a.do_refuse_at_receipt(dossier, acting_user=officer, at_unit=counter, reason="Sai")
        elif move == "supplement_counter":
            from motcua.dossiers.actions.receive import missing_components

            missing = missing_components(dossier) or list(dossier.components.all()[:1])
            a.do_request_supplement(
                dossier,
                acting_user=officer,
                at_unit=counter,
                items=[(c.name, "Thiếu") for c in missing],
            )
        elif move == "provide":
            a.do_provide_supplement(
                dossier,
                acting_user=officer,
                at_unit=counter,
                components=all_components(dossier.procedure_code),
            )
        elif move == "withdraw":
            a.do_withdraw_dossier(dossier, acting_user=officer, at_unit=counter, reason="Rút")
        elif move == "stop":
            a.do_stop_dossier(dossier, acting_user=cast.leader, reason="Dừng")
        elif move == "forward":
            a.do_forward_dossier(dossier, acting_user=officer, at_unit=counter)
        elif move in ("submit_ok", "submit_refuse"):
            a.do_submit_for_approval(
                dossier,
                acting_user=cast.specialist,
                proposal="approved" if move == "submit_ok" else "refused",
                opinion="Ý kiến",
            )
        elif move == "supplement":
            a.do_request_supplement(
                dossier, acting_user=cast.specialist, at_unit=cast.pc_a, items=[("Giấy", "Mờ")]
            )
        elif move == "payment":
            a.do_request_payment(dossier, acting_user=cast.specialist, amount=50_000, reason="Phí")
        elif move == "paid":
            a.do_record_payment(dossier, acting_user=cast.specialist, reference="PAY")
        elif move == "refuse_after":
            a.do_refuse_after_appraisal(dossier, acting_user=cast.leader, reason="Không đủ")
        elif move == "extend":
            assert dossier.due_at_current is not None
            a.do_extend_deadline(
                dossier,
                acting_user=cast.specialist,
                new_due_at=dossier.due_at_current + timedelta(days=5),
                reason="Xin lỗi",
            )
        elif move == "approve":
            a.do_approve_dossier(dossier, acting_user=cast.leader)
        elif move == "send_back":
            a.do_send_back(dossier, acting_user=cast.leader, reason="Xem lại")
        elif move == "return":
            if dossier.result_delivery == "online":
                a.do_return_result(dossier, acting_user=None, at_unit=None)
            else:
                a.do_return_result(dossier, acting_user=officer, at_unit=counter)
        elif move == "pay_online":
            pay_online(dossier)
        elif move == "rate":
            do_rate_dossier(
                dossier, score=data.draw(st.integers(1, 5)), comment="", channel="portal"
            )
        elif move == "complain":  # R-IDX-04: a complaint counts against the dossier
            do_file_petition(
                PetitionContent(
                    unit=None,
                    kind=data.draw(st.sampled_from(["phan_anh", "kien_nghi"])),
                    subject="Chậm trả kết quả",
                    content="Hồ sơ của tôi chưa được giải quyết.",
                    name="Lê Văn Thử",
                    phone="0901234567",
                    dossier_code=dossier.code or "",
                )
            )
        elif move == "forward_complaint":  # outside the unit's competence: no longer counted
            petition = Petition.objects.filter(dossier=dossier, state="received").first()
            if petition is not None:
                do_mark_not_competent(
                    petition, reason="Không thuộc thẩm quyền", acting_user=cast.leader
                )
        elif move == "day_off":  # the admin adds a day off: open deadlines move (R-CAL-04)
            add_day_off((now() + timedelta(days=data.draw(st.integers(0, 12)))).date())
        elif move == "deliver":  # the worker's round: accepted, or refused (retried later)
            VERDICT["accept"] = data.draw(st.booleans())
            outbox.deliver_outbox()
    except MotcuaError:
        pass  # refused by a rule (deadline windows, once-only…): nothing changed


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_incremental_rollups_equal_a_rebuild_on_random_histories(
    data: st.DataObject,
    officer_a: User,
    officer_b: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    psc_b: Unit,
    pc_a: Unit,
    portal: None,
    settings: Any,
) -> None:
    """GIVEN a random history of up to 4 dossiers over several weeks across a month end (R-IDX-05)
    WHEN each state event updates the rollups as it happens THEN the counters, the open-dossier
    ledger (R-TIME-15), the boundary-free flows and the counters of payments, ratings, signed
    results and portal sync equal those rebuilt from the events and the source tables."""
    from simulators.tests.conftest import PAYMENT_SECRET

    settings.MOTCUA_PAYMENT_SECRET = PAYMENT_SECRET
    cast = Cast(officer_a, officer_b, specialist_a, leader_a, psc_a, psc_b, pc_a)
    calendars._CACHE.clear()  # an earlier example's calendar was rolled back
    try:
        with rolled_back():
            with time_machine.travel(START, tick=False) as traveller:
                moment = START
                dossiers = [create(data, cast) for _ in range(data.draw(st.integers(1, 4)))]
                for _ in range(data.draw(st.integers(4, 18))):
                    moment += timedelta(hours=data.draw(st.sampled_from(STEPS_HOURS)))
                    traveller.move_to(moment)
                    step(data, cast, data.draw(st.sampled_from(dossiers)))
            incremental = snapshot()
            for outcome in DossierFact.objects.values_list("outcome", flat=True):
                event(f"outcome {outcome}")
            if Petition.objects.filter(dossier__isnull=False).exists():
                event("has complaint")
            if Petition.objects.filter(dossier__isnull=False, state="not_competent").exists():
                event("has forwarded complaint")
            if DossierEvent.objects.filter(kind="dossier:deadline:redated").exists():
                event("has re-dated dossier")
            for flag in ("paid_online", "rated", "unsatisfied", "synced", "e_result"):
                if DossierFact.objects.filter(**{flag: True}).exists():
                    event(f"has {flag}")
            facts = sorted(DossierFact.objects.values_list())
            rebuild()
            assert snapshot() == incremental
            assert sorted(DossierFact.objects.values_list()) == facts
            raise Rollback
    except Rollback:
        pass
