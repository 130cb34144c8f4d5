"""Submission and receipt at any counter of the province (DOMAIN §4.2–4.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import translation

from motcua.accounts.models import Role, User
from motcua.agencies.models import RECEIVING_KINDS, Unit
from motcua.catalog.declaration import clean_values, declaration_of
from motcua.catalog.intake import InForce, version_in_force
from motcua.catalog.models import ProcedureVersion
from motcua.core import events, rawsql
from motcua.core.actions import action
from motcua.core.clock import now, to_local
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.rawsql import insert_together
from motcua.core.text import nfc
from motcua.dossiers.actions.core import (
    allocate_sequence,
    build_event,
    calendar_of,
    number_dossier,
    publish_step,
    require_role,
    time_limit,
    transfer_deadline,
    transition,
)
from motcua.dossiers.codes import format_unit_code
from motcua.dossiers.errors import IllegalTransitionError, RuleViolation
from motcua.dossiers.filing import ComponentInput, Filing
from motcua.dossiers.models import (
    Channel,
    Delivery,
    Dossier,
    DossierComponent,
    DossierEvent,
    JustRegistered,
)
from motcua.dossiers.states import IllegalTransition, State, check_transition
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_from_mark


def _declared(
    version: ProcedureVersion, values: dict[str, Any] | None, moment: datetime
) -> dict[str, str]:
    """The declared values checked against the version's declaration (issue #14 item 2); the
    first error stops the registration. None (callers without a declaration) stores nothing."""
    form = declaration_of(version.declaration)
    if values is None or form is None:
        return {}
    with translation.override("vi"):
        clean, errors = clean_values(form, values, today=to_local(moment).date())
    if errors:
        name, message = next(iter(errors.items()))
        with translation.override("en"):
            _, english = clean_values(form, values, today=to_local(moment).date())
        raise ValidationFailed(message, english.get(name, message), field=f"declaration.{name}")
    return clean


def current_version(procedure_code: str, province_id: int) -> ProcedureVersion:
    return _in_force(procedure_code, province_id, None).version


def _in_force(procedure_code: str, province_id: int, competent_unit: Unit | None) -> InForce:
    """The version in force with its field and checklist, whether ``competent_unit``
    implements it, and the province's calendar mark (catalog.intake: one statement while the
    version is unchanged)."""
    found = version_in_force(
        procedure_code, province_id, competent_unit.pk if competent_unit is not None else None
    )
    if found is None:
        raise NotFound("Không tìm thấy thủ tục", "Procedure not found")
    return found


@action
def do_create_dossier(filing: Filing, *, acting_user: User | None) -> Dossier:
    """Register a dossier in state 1 (submitted, not yet checked). At the counter the officer of
    the receiving centre enters it; online the citizen does (R-RCV-01)."""
    return write_created_dossier(filing, acting_user=acting_user)


def write_created_dossier(filing: Filing, *, acting_user: User | None) -> Dossier:
    """``do_create_dossier``'s writes, inside the caller's transaction: for an action that
    registers a dossier as part of its own work (the portal's submission of a draft)."""
    registered = _register(filing, acting_user=acting_user)
    insert_together([registered.dossier], [registered.first], registered.components)
    return registered.dossier


@dataclass(frozen=True)
class Registered:
    """A registration checked and built, not written yet: the dossier in state 1, its checklist
    rows, its first event, and the competent unit's calendar when it came with the catalogue
    read (same province)."""

    dossier: Dossier
    components: list[DossierComponent]
    first: DossierEvent
    calendar: calc.Calendar | None


def _register(filing: Filing, *, acting_user: User | None) -> Registered:
    """The registration's checks, and its rows built (the caller writes them)."""
    receiving_unit, competent_unit = filing.receiving_unit, filing.competent_unit
    if filing.channel not in Channel.values:
        raise ValidationFailed("Kênh nộp không hợp lệ.", "Unknown channel.", field="channel")
    if filing.result_delivery not in Delivery.values:
        raise ValidationFailed(
            "Hình thức nhận kết quả không hợp lệ.",
            "Unknown delivery method.",
            field="result_delivery",
        )
    if receiving_unit.kind not in RECEIVING_KINDS:
        raise ValidationFailed(
            "Đơn vị tiếp nhận phải là Trung tâm Phục vụ hành chính công hoặc chi nhánh.",
            "The receiving unit must be a public-administration service centre.",
            field="receiving_unit",
        )
    if acting_user is not None and filing.channel != Channel.ONLINE:
        require_role(acting_user, receiving_unit, Role.ONE_STOP_OFFICER)
    applicant = filing.applicant.checked()
    code = filing.procedure_code
    in_force = _in_force(code, receiving_unit.province_id, competent_unit)
    version = in_force.version
    if not in_force.handled:
        raise ValidationFailed(
            f"{competent_unit.name} không thực hiện thủ tục {code}.",
            f"{competent_unit.name} does not handle procedure {code}.",
            field="competent_unit",
        )
    moment = now()
    declared = _declared(version, filing.declaration, moment)
    dossier = Dossier(
        procedure_version=version,
        procedure_code=code,
        state=State.SUBMITTED,
        channel=filing.channel,
        **applicant.dossier_fields(),
        citizen=filing.citizen,
        summary=nfc(filing.summary)[:1000] or version.name[:1000],
        declaration=declared,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        return_unit=receiving_unit,  # R-ORG-04 default
        result_delivery=filing.result_delivery,
        submitted_at=moment,
    )
    provided = {c.component_id: c for c in filing.components}
    checklist = in_force.checklist
    unknown = set(provided) - {c.pk for c in checklist}
    if unknown:
        raise ValidationFailed(
            "Có thành phần hồ sơ không thuộc thủ tục này.",
            "Some components do not belong to this procedure.",
            field="components",
        )
    rows = [
        DossierComponent(
            dossier=dossier,
            catalog_component=c,
            name=c.name,
            requirement=c.requirement,
            quantity=c.quantity,
            provided=c.pk in provided,
            pages=provided[c.pk].pages if c.pk in provided else 0,
            source=provided[c.pk].source if c.pk in provided else "",
        )
        for c in checklist
    ]
    first = build_event(
        dossier,
        "dossier:state:submitted",
        actor=acting_user,
        unit=receiving_unit,
        at=moment,
        to_state=State.SUBMITTED,
        reason="Nộp hồ sơ trực tuyến"
        if filing.channel == Channel.ONLINE
        else "Đăng ký hồ sơ tại bộ phận một cửa",
        payload={"channel": filing.channel},
        seq=1,  # a new dossier: no event can precede
    )
    same_province = competent_unit.province_id == receiving_unit.province_id
    cal = (
        calendar_from_mark(competent_unit.province_id, in_force.calendar_mark)
        if same_province
        else None
    )
    return Registered(dossier, rows, first, cal)


def missing_components(
    dossier: Dossier, rows: list[DossierComponent] | None = None
) -> list[DossierComponent]:
    """Required checklist items not provided (conditional items are the officer's judgement).
    ``rows``: the dossier's components as just written, with their catalogue items."""
    if rows is None:
        rows = list(dossier.components.select_related("catalog_component"))
    return [
        c
        for c in rows
        if not c.provided and not (c.catalog_component and c.catalog_component.conditional)
    ]


def _boundary_check(dossier: Dossier, at_unit: Unit) -> None:
    """R-ORG-02/05: any centre receives boundary-free procedures; otherwise only the centre of
    the competent unit's own commune (or a provincial centre for provincial procedures)."""
    version = dossier.procedure_version
    if version.boundary_free:
        return
    same_commune = (
        at_unit.commune_id is not None and at_unit.commune_id == dossier.competent_unit.commune_id
    )
    provincial = at_unit.commune_id is None and dossier.competent_unit.commune_id is None
    if not (same_commune or provincial):
        raise RuleViolation(
            f"Thủ tục {dossier.procedure_code} không thuộc danh mục tiếp nhận không phụ thuộc địa "
            f"giới hành chính. Hãy hướng dẫn công dân nộp tại bộ phận một cửa của "
            f"{dossier.competent_unit.name} (R-ORG-05).",
            f"Procedure {dossier.procedure_code} is not boundary-free; guide the applicant to the "
            f"one-stop unit of {dossier.competent_unit.name} (R-ORG-05).",
        )


@action
def do_receive_dossier(
    dossier: Dossier,
    *,
    acting_user: User,
    at_unit: Unit,
    appointment_at: datetime | None = None,
) -> Dossier:
    """Receive a complete dossier: code, legal deadline, Form 01 (R-RCV-07, R-ID-09..12,
    R-TIME-07/08)."""
    _receive(dossier, acting_user=acting_user, at_unit=at_unit, appointment_at=appointment_at)
    return dossier


@dataclass(frozen=True)
class Receipt:
    """What the counter's one step wrote: the dossier, received, and its whole trail."""

    dossier: Dossier
    trail: list[DossierEvent]


@action
def do_register_and_receive(
    filing: Filing, *, acting_user: User, appointment_at: datetime | None = None
) -> Receipt:
    """The counter's one step: register a complete dossier and receive it at once, in one
    transaction (R-RCV-01, R-RCV-07). The same checks, rows, events and messages as
    ``do_create_dossier`` followed by ``do_receive_dossier`` (tests/test_one_step_receipt.py
    compares them), written by its own writer (``_write_received``): what the registration
    built is never read back."""
    registered = _register(filing, acting_user=acting_user)
    terms = _receipt_terms(
        registered.dossier,
        acting_user=acting_user,
        at_unit=filing.receiving_unit,
        appointment_at=appointment_at,
        rows=registered.components,
        cal=registered.calendar,
    )
    second = _write_received(
        registered, terms, acting_user=acting_user, at_unit=filing.receiving_unit
    )
    return Receipt(registered.dossier, [registered.first, second])


#: What the receipt's event says (R-RCV-07: Form 01, the receipt slip).
RECEIPT_REASON = "Tiếp nhận hồ sơ"
RECEIPT_BASIS = "Nghị định 118/2025/NĐ-CP Điều 17; Mẫu 01 Thông tư 03/2025/TT-VPCP"


@dataclass(frozen=True)
class ReceiptTerms:
    """A receipt's checked terms: when, the dossier's new values (without its code), the
    transfer deadline of the step, and the local day that numbers the code."""

    received: datetime
    updates: dict[str, Any]
    step_deadline: datetime
    day: date


def _receipt_terms(
    dossier: Dossier,
    *,
    acting_user: User,
    at_unit: Unit,
    appointment_at: datetime | None,
    rows: list[DossierComponent] | None = None,
    cal: calc.Calendar | None = None,
) -> ReceiptTerms:
    """The receipt's checks (role, boundary, completeness) and its deadlines. ``rows`` and
    ``cal``: the checklist and the competent unit's calendar when the caller has them."""
    require_role(acting_user, at_unit, Role.ONE_STOP_OFFICER)
    _boundary_check(dossier, at_unit)
    missing = missing_components(dossier, rows)
    if missing:
        raise RuleViolation(
            "Hồ sơ còn thiếu: "
            + "; ".join(c.name[:80] for c in missing)
            + ". Hãy lập Phiếu yêu cầu bổ sung (Mẫu 02) ghi đủ các thành phần còn thiếu"
            " (R-SUP-01).",
            f"{len(missing)} required component(s) missing; issue one supplement request"
            " (Form 02).",
            missing=[c.pk for c in missing],
        )
    received = now()
    limit = time_limit(dossier.procedure_version)
    if limit is None and (appointment_at is None or appointment_at <= received):
        raise ValidationFailed(
            "Thủ tục chưa công bố thời hạn giải quyết: hãy nhập ngày giờ hẹn trả kết quả.",
            "The procedure publishes no time limit: enter the appointment date and time.",
            field="appointment_at",
        )
    if cal is None:
        cal = calendar_of(dossier)
    due = calc.due_at(received, limit, cal) if limit is not None else appointment_at
    local = to_local(received)
    return ReceiptTerms(
        received=received,
        updates={
            "received_at": received,
            "received_on": local.date(),
            "receiving_unit": at_unit,
            "due_at_original": due,
            "due_at_current": due,
        },
        step_deadline=transfer_deadline(received, cal),
        day=local.date(),
    )


def _receive(
    dossier: Dossier, *, acting_user: User, at_unit: Unit, appointment_at: datetime | None = None
) -> DossierEvent:
    """The receipt of a registered dossier, inside the caller's transaction: the claim, then the
    code (R-ID-09..12)."""
    terms = _receipt_terms(
        dossier, acting_user=acting_user, at_unit=at_unit, appointment_at=appointment_at
    )
    seq = allocate_sequence(at_unit, terms.day)
    return transition(
        dossier,
        State.RECEIVED,
        actor=acting_user,
        unit=at_unit,
        step_deadline=terms.step_deadline,
        updates={**terms.updates, "code": format_unit_code(at_unit.eid_code, terms.day, seq)},
        at=terms.received,
        reason=RECEIPT_REASON,
        legal_basis=RECEIPT_BASIS,
        form="01",
    )


def _write_received(
    registered: Registered, terms: ReceiptTerms, *, acting_user: User, at_unit: Unit
) -> DossierEvent:
    """The one-step receipt's writer. Nobody else can see this dossier yet, so instead of
    claiming a row it writes the dossier once, already received, with its checklist rows and
    both events (one statement on PostgreSQL); then the reactions, told explicitly that the
    dossier is new and what its checklist is (``JustRegistered``); then the code, last
    (``number_dossier``, with the reactions' writes): the rows every receipt of the unit locks
    (the day counter, the rollup counters) are held only for the code, the outbox messages and
    the COMMIT; then the portal step and the applicant's message, as ``transition`` sends them."""
    dossier = registered.dossier
    source = State(dossier.state)
    try:
        check_transition(source, State.RECEIVED)
    except IllegalTransition:
        raise IllegalTransitionError(source, State.RECEIVED) from None
    dossier.state = State.RECEIVED
    dossier.version += 1
    for name, value in terms.updates.items():
        setattr(dossier, name, value)
    event = build_event(
        dossier,
        f"dossier:state:{State.RECEIVED}",
        seq=registered.first.seq + 1,
        actor=acting_user,
        unit=at_unit,
        at=terms.received,
        from_state=source,
        to_state=State.RECEIVED,
        step_deadline=terms.step_deadline,
        reason=RECEIPT_REASON,
        legal_basis=RECEIPT_BASIS,
        form="01",
    )
    insert_together([dossier], [registered.first, event], registered.components)
    with rawsql.held() as hooked:  # the reactions' writes go with the number, last
        events.record(
            event,
            subject=dossier,
            context=JustRegistered(components=registered.components),
            written=True,
        )
    number_dossier(dossier, at_unit, terms.day, hooked)
    publish_step(dossier, event, components=registered.components)
    return event


@action
def do_refuse_at_receipt(
    dossier: Dossier, *, acting_user: User, at_unit: Unit, reason: str
) -> Dossier:
    """Form 03 with the specific reasons (R-RCV-07)."""
    require_role(acting_user, at_unit, Role.ONE_STOP_OFFICER)
    if not reason.strip():
        raise ValidationFailed(
            "Hãy ghi rõ lý do từ chối tiếp nhận (Mẫu 03).",
            "State the reason for refusal (Form 03).",
            field="reason",
        )
    transition(
        dossier,
        State.REFUSED_AT_RECEIPT,
        actor=acting_user,
        unit=at_unit,
        reason=nfc(reason),
        legal_basis="Nghị định 118/2025/NĐ-CP Điều 17(1)(b); Mẫu 03",
        form="03",
    )
    return dossier


@action
def do_request_supplement(
    dossier: Dossier,
    *,
    acting_user: User,
    at_unit: Unit,
    items: list[tuple[str, str]],
) -> Dossier:
    """One supplement request listing EVERYTHING missing (Form 02, R-SUP-01), at the counter;
    or once after appraisal, within 3 working days of receipt, stopping the clock (R-SUP-02)."""
    if not items or any(not name.strip() or not why.strip() for name, why in items):
        raise ValidationFailed(
            "Phiếu yêu cầu bổ sung phải ghi từng thành phần cần bổ sung và lý do (Mẫu 02).",
            "List each item to supplement with its reason (Form 02).",
            field="items",
        )
    state = State(dossier.state)
    payload = {"items": [{"name": n, "reason": r} for n, r in items]}
    if state == State.SUBMITTED:
        require_role(acting_user, at_unit, Role.ONE_STOP_OFFICER)
        missing = {c.name for c in missing_components(dossier)}
        listed = {name for name, _ in items}
        if not missing <= listed:
            raise RuleViolation(
                "Phiếu bổ sung phải liệt kê MỘT LẦN đầy đủ mọi thành phần còn thiếu: "
                + "; ".join(sorted(m[:60] for m in missing - listed))
                + " (R-SUP-01).",
                "The supplement request must list every missing item at once (R-SUP-01).",
            )
        transition(
            dossier,
            State.AWAITING_SUPPLEMENT,
            actor=acting_user,
            unit=at_unit,
            reason="Yêu cầu bổ sung, hoàn thiện hồ sơ khi tiếp nhận",
            form="02",
            legal_basis="Nghị định 118/2025/NĐ-CP Điều 11(2), 17(1)(a); Mẫu 02",
            payload=payload,
        )
        return dossier
    require_role(acting_user, dossier.competent_unit, Role.SPECIALIST)
    if dossier.supplements_after_appraisal >= 1:
        raise RuleViolation(
            "Đã yêu cầu bổ sung sau thẩm định một lần; không được yêu cầu lần thứ hai (R-SUP-01).",
            "A supplement after appraisal was already requested once (R-SUP-01).",
        )
    cal = calendar_of(dossier)
    assert dossier.received_at is not None
    window_end = calc.add_working_minutes(
        calc.normalize_receipt(dossier.received_at, cal), 3 * cal.minutes_per_day(), cal
    )
    moment = now()
    if moment > window_end:
        raise RuleViolation(
            "Đã quá 3 ngày làm việc kể từ ngày tiếp nhận; không được yêu cầu bổ sung (R-SUP-02).",
            "More than 3 working days since receipt: no supplement request allowed (R-SUP-02).",
        )
    transition(
        dossier,
        State.AWAITING_SUPPLEMENT,
        actor=acting_user,
        unit=dossier.competent_unit,
        reason="Yêu cầu bổ sung, hoàn thiện hồ sơ sau thẩm định",
        form="02",
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(4); Mẫu 02",
        payload=payload,
        updates={"clock_paused_at": moment, "supplements_after_appraisal": 1},
        at=moment,
    )
    return dossier


@action
def do_provide_supplement(
    dossier: Dossier,
    *,
    acting_user: User | None,
    at_unit: Unit,
    components: list[ComponentInput],
) -> Dossier:
    """The applicant brings what was asked. Before receipt the dossier goes back to the counter
    (clock never started); after appraisal the clock restarts from zero by default, or resumes
    with the remaining time where the procedure says so (R-SUP-02, R-TIME-12)."""
    if acting_user is not None:
        require_role(acting_user, at_unit, Role.ONE_STOP_OFFICER)
    by_id = {c.component_id: c for c in components}
    for component in dossier.components.filter(catalog_component_id__in=list(by_id)):
        component.provided = True
        component.pages = by_id[component.catalog_component_id or 0].pages
        component.source = by_id[component.catalog_component_id or 0].source
        component.save(update_fields=["provided", "pages", "source"])
    if dossier.received_at is None:
        transition(
            dossier,
            State.SUBMITTED,
            actor=acting_user,
            unit=at_unit,
            reason="Nhận hồ sơ bổ sung trước khi tiếp nhận",
        )
        return dossier
    moment = now()
    cal = calendar_of(dossier)
    limit = time_limit(dossier.procedure_version)
    updates: dict[str, object] = {"clock_paused_at": None}
    if limit is not None and dossier.due_at_original is not None:
        assert dossier.clock_paused_at is not None
        due = calc.resume_after_pause(
            limit=limit,
            due_before_pause=dossier.due_at_original,
            paused_at=dossier.clock_paused_at,
            resumed_at=moment,
            cal=cal,
            mode="shift" if dossier.procedure_version.supplement_mode == "shift" else "restart",
        )
        updates.update(due_at_original=due, due_at_current=due)
    transition(
        dossier,
        State.IN_APPRAISAL,
        actor=acting_user,
        unit=at_unit,
        reason="Nhận đủ hồ sơ bổ sung; thời hạn giải quyết tính lại",
        at=moment,
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19(4) (R-SUP-02, R-TIME-12)",
        updates=updates,
    )
    return dossier
