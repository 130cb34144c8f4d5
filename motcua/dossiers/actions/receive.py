"""Submission and receipt at any counter of the province (DOMAIN §4.2–4.4)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import translation
from vn_ident import is_valid_cccd, is_valid_cmnd, is_valid_mst

from motcua.accounts.models import Role, User
from motcua.agencies.models import RECEIVING_KINDS, Unit
from motcua.catalog.declaration import clean_values, declaration_of
from motcua.catalog.intake import InForce, version_in_force
from motcua.catalog.models import ProcedureVersion
from motcua.core.clock import now, to_local
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.text import fold, nfc
from motcua.dossiers.actions.core import (
    Unwritten,
    allocate_sequence,
    build_event,
    calendar_of,
    number_dossier,
    require_role,
    time_limit,
    transfer_deadline,
    transition,
)
from motcua.dossiers.codes import format_unit_code
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    Delivery,
    Dossier,
    DossierComponent,
    DossierEvent,
)
from motcua.dossiers.states import State
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_from_mark


@dataclass(frozen=True)
class ComponentInput:
    """What the applicant hands in for one checklist item (by catalogue component id)."""

    component_id: int
    pages: int = 0
    source: str = "paper"


def _check_applicant(kind: str, id_number: str) -> None:
    """R-ID-15/16: a 12-digit personal ID (or legacy 9-digit CMND), or a valid tax code."""
    if kind == ApplicantKind.PERSON:
        if is_valid_cccd(id_number) or is_valid_cmnd(id_number):
            return
        raise ValidationFailed(
            f"Số định danh cá nhân “{id_number}” không hợp lệ (12 chữ số, hoặc CMND 9 chữ số).",
            f"Personal ID number {id_number!r} is not valid (12 digits, or a 9-digit legacy ID).",
            field="applicant_id_number",
        )
    if not is_valid_mst(id_number):
        raise ValidationFailed(
            f"Mã số thuế “{id_number}” không hợp lệ (sai chữ số kiểm tra hoặc độ dài).",
            f"Tax code {id_number!r} is not valid (check digit or length).",
            field="applicant_id_number",
        )


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


@transaction.atomic
def do_create_dossier(
    procedure_code: str,
    *,
    acting_user: User | None,
    receiving_unit: Unit,
    competent_unit: Unit,
    channel: str,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    representative_name: str = "",
    representative_id_number: str = "",
    result_delivery: str = Delivery.COUNTER,
    summary: str = "",
    components: list[ComponentInput] | None = None,
    citizen: User | None = None,
    declaration: dict[str, Any] | None = None,
) -> Dossier:
    """Register a dossier in state 1 (submitted, not yet checked). At the counter the officer of
    the receiving centre enters it; online the citizen does (R-RCV-01)."""
    dossier, _, _, _ = _register(
        procedure_code,
        acting_user=acting_user,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        channel=channel,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name,
        applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone,
        applicant_email=applicant_email,
        applicant_address=applicant_address,
        representative_name=representative_name,
        representative_id_number=representative_id_number,
        result_delivery=result_delivery,
        summary=summary,
        components=components,
        citizen=citizen,
        declaration=declaration,
    )
    return dossier


def _register(
    procedure_code: str,
    *,
    acting_user: User | None,
    receiving_unit: Unit,
    competent_unit: Unit,
    channel: str,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    representative_name: str = "",
    representative_id_number: str = "",
    result_delivery: str = Delivery.COUNTER,
    summary: str = "",
    components: list[ComponentInput] | None = None,
    citizen: User | None = None,
    declaration: dict[str, Any] | None = None,
    write: bool = True,
) -> tuple[Dossier, list[DossierComponent], DossierEvent, calc.Calendar | None]:
    """The registration, inside the caller's transaction: the dossier, its checklist rows and
    its first event, as written (or, with ``write=False``, checked and built but left for the
    caller to write), and the competent unit's working calendar when it came with the catalogue
    read (same province)."""
    if channel not in Channel.values:
        raise ValidationFailed("Kênh nộp không hợp lệ.", "Unknown channel.", field="channel")
    if result_delivery not in Delivery.values:
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
    if acting_user is not None and channel != Channel.ONLINE:
        require_role(acting_user, receiving_unit, Role.ONE_STOP_OFFICER)
    name = nfc(applicant_name)
    if not name:
        raise ValidationFailed(
            "Hãy nhập họ tên người nộp hồ sơ.",
            "The applicant's name is required.",
            field="applicant_name",
        )
    id_number = applicant_id_number.strip()
    _check_applicant(applicant_kind, id_number)
    in_force = _in_force(procedure_code, receiving_unit.province_id, competent_unit)
    version = in_force.version
    if not in_force.handled:
        raise ValidationFailed(
            f"{competent_unit.name} không thực hiện thủ tục {procedure_code}.",
            f"{competent_unit.name} does not handle procedure {procedure_code}.",
            field="competent_unit",
        )
    moment = now()
    declared = _declared(version, declaration, moment)
    dossier = Dossier(
        procedure_version=version,
        procedure_code=procedure_code,
        state=State.SUBMITTED,
        channel=channel,
        applicant_kind=applicant_kind,
        applicant_name=name,
        applicant_name_folded=fold(name),
        applicant_id_number=id_number,
        applicant_phone=applicant_phone.strip(),
        applicant_email=applicant_email.strip(),
        applicant_address=nfc(applicant_address),
        representative_name=nfc(representative_name),
        representative_id_number=representative_id_number.strip(),
        citizen=citizen,
        summary=nfc(summary)[:1000] or version.name[:1000],
        declaration=declared,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        return_unit=receiving_unit,  # R-ORG-04 default
        result_delivery=result_delivery,
        submitted_at=moment,
    )
    provided = {c.component_id: c for c in components or []}
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
    event = build_event(
        dossier,
        "dossier:state:submitted",
        actor=acting_user,
        unit=receiving_unit,
        at=moment,
        to_state=State.SUBMITTED,
        reason="Nộp hồ sơ trực tuyến"
        if channel == Channel.ONLINE
        else "Đăng ký hồ sơ tại bộ phận một cửa",
        payload={"channel": channel},
        seq=1,  # a new dossier: no event can precede
    )
    if write:
        dossier.save(force_insert=True)
        rows = DossierComponent.objects.bulk_create(rows)
        event.save(force_insert=True)
    same_province = competent_unit.province_id == receiving_unit.province_id
    cal = (
        calendar_from_mark(competent_unit.province_id, in_force.calendar_mark)
        if same_province
        else None
    )
    return dossier, rows, event, cal


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


@transaction.atomic
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


@transaction.atomic
def do_register_and_receive(
    procedure_code: str,
    *,
    acting_user: User,
    receiving_unit: Unit,
    competent_unit: Unit,
    appointment_at: datetime | None = None,
    **fields: Any,
) -> Dossier:
    """The counter's one step: register a complete dossier and receive it at once, in one
    transaction (R-RCV-01, R-RCV-07). The same checks, events and messages as
    ``do_create_dossier`` followed by ``do_receive_dossier``; what the registration just wrote
    (checklist rows, first event) is not read again. The returned dossier carries its whole
    trail (``dossier.events.all()`` needs no query)."""
    dossier, rows, first, cal = _register(
        procedure_code,
        acting_user=acting_user,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        write=False,
        **fields,
    )
    # The portal record of the receipt lists the components: they are exactly ``rows``.
    dossier._prefetched_objects_cache = {"components": rows}  # type: ignore[attr-defined]
    # Until the receipt is written, the event hooks may rely on the dossier being new.
    dossier.registered_in_transaction = True
    try:
        # The receipt writes the dossier once, already received, with its rows and both events.
        second = _receive(
            dossier,
            acting_user=acting_user,
            at_unit=receiving_unit,
            appointment_at=appointment_at,
            rows=rows,
            cal=cal,
            unwritten=Unwritten(components=rows, events=[first]),
        )
    finally:
        dossier.registered_in_transaction = False
    dossier._prefetched_objects_cache = {"events": [first, second]}  # type: ignore[attr-defined]
    return dossier


def _receive(
    dossier: Dossier,
    *,
    acting_user: User,
    at_unit: Unit,
    appointment_at: datetime | None = None,
    rows: list[DossierComponent] | None = None,
    last_seq: int | None = None,
    cal: calc.Calendar | None = None,
    unwritten: Unwritten | None = None,
) -> DossierEvent:
    """The receipt, inside the caller's transaction. ``rows``, ``last_seq`` and ``cal``: the
    checklist and the last event's number when the caller has just written them itself, and the
    competent unit's calendar when the caller has just read it in this transaction.
    ``unwritten``: the dossier was registered but not written yet (``transition`` writes it)."""
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
    local = to_local(received)
    limit = time_limit(dossier.procedure_version)
    if limit is None:
        if appointment_at is None or appointment_at <= received:
            raise ValidationFailed(
                "Thủ tục chưa công bố thời hạn giải quyết: hãy nhập ngày giờ hẹn trả kết quả.",
                "The procedure publishes no time limit: enter the appointment date and time.",
                field="appointment_at",
            )
        due = appointment_at
    if cal is None:
        cal = calendar_of(dossier)
    if limit is not None:
        due = calc.due_at(received, limit, cal)
    updates: dict[str, Any] = {
        "received_at": received,
        "received_on": local.date(),
        "receiving_unit": at_unit,
        "due_at_original": due,
        "due_at_current": due,
    }
    if unwritten is not None:
        # The code is given once everything else is written (number_dossier): the unit's day
        # counter and its rollup counters are then held only for the code, the outbox messages
        # and the COMMIT.
        day = local.date()
        unwritten = replace(unwritten, number=lambda d, w: number_dossier(d, at_unit, day, w))
    else:
        seq = allocate_sequence(at_unit, local.date())
        updates["code"] = format_unit_code(at_unit.eid_code, local.date(), seq)
    return transition(
        dossier,
        State.RECEIVED,
        actor=acting_user,
        unit=at_unit,
        reason="Tiếp nhận hồ sơ",
        legal_basis="Nghị định 118/2025/NĐ-CP Điều 17; Mẫu 01 Thông tư 03/2025/TT-VPCP",
        form="01",
        step_deadline=transfer_deadline(received, cal),
        updates=updates,
        at=received,
        last_seq=last_seq,
        unwritten=unwritten,
    )


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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
