"""Forms 01-07 of a dossier: build the form data from the dossier and its trail, render the PDF.

Which forms exist follows the trail: Form 01 once received, 02 for each supplement request,
03 for a refusal, 04 for an extension, 05 for a withdrawal, 06 (control sheet) once received.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

from motcua.catalog.models import Component, TimeUnit
from motcua.core.clock import now
from motcua.core.errors import NotFound
from motcua.documents import forms as f
from motcua.documents import pdf
from motcua.dossiers.links import tracking_url
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.states import LABEL_VI, State
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

REQUIREMENT_LABEL = {value: str(label) for value, label in Component.Requirement.choices}
FORM_KINDS = {
    "02": "dossier:state:awaiting_supplement",
    "04": "dossier:deadline:extended",
    "05": "dossier:state:withdrawn",
}


def statutory_time_text(dossier: Dossier) -> str:
    version = dossier.procedure_version
    unit = version.time_limit_unit
    if unit == TimeUnit.SAME_DAY:
        text = "Trong ngày làm việc"
        if not version.cutoff_1500:
            return text
        cutoff = calc.cutoff_words(calendar_for(dossier.competent_unit.province_id).cutoff)
        return f"{text} (tiếp nhận sau {cutoff} trả trong ngày làm việc tiếp theo)"
    if unit == TimeUnit.UNKNOWN or version.time_limit_value is None:
        return "Theo quy định của thủ tục"
    value = f"{version.time_limit_value.normalize():f}".replace(".", ",")
    return f"{value} {TimeUnit(unit).label}"


def _issuer(dossier: Dossier, *, competent: bool = False) -> f.Issuer:
    unit = dossier.competent_unit if competent else dossier.receiving_unit
    return f.Issuer(
        unit_name=unit.name,
        province_name=unit.province.name,
        parent_name=unit.parent.name if unit.parent else "",
    )


def _applicant(dossier: Dossier) -> f.Applicant:
    return f.Applicant(
        name=dossier.applicant_name,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        id_number=dossier.applicant_id_number,
    )


def _components(dossier: Dossier) -> list[f.ComponentLine]:
    return [
        f.ComponentLine(
            name=c.name,
            requirement_label=REQUIREMENT_LABEL.get(c.requirement, ""),
            quantity=c.quantity,
        )
        for c in dossier.components.filter(provided=True)
    ]


def _event(dossier: Dossier, kind: str) -> DossierEvent:
    event = dossier.events.filter(kind=kind).order_by("-seq").first()
    if event is None:
        raise NotFound("Hồ sơ chưa có biểu mẫu này", "This dossier has no such form")
    return event


def _return_place(dossier: Dossier) -> str:
    if dossier.result_delivery == "online":
        return "Trực tuyến, trên Cổng Dịch vụ công"
    if dossier.result_delivery == "post":
        return f"Qua dịch vụ bưu chính công ích, đến địa chỉ: {dossier.applicant_address or '—'}"
    return dossier.return_unit.name


def available_forms(dossier: Dossier, kinds: set[str] | None = None) -> list[str]:
    """The forms printable for ``dossier``; ``kinds``: its events' kinds when the caller has
    already read its events (the desk's dossier page, issue #12 item 9), else read here."""
    if kinds is None:
        kinds = set(dossier.events.values_list("kind", flat=True))
    forms = ["01", "06"] if dossier.code else []
    forms += [n for n, kind in FORM_KINDS.items() if kind in kinds]
    if kinds & {"dossier:state:refused_at_receipt"} or dossier.result_kind == "refused":
        forms.append("03")
    return sorted(forms)


def render(dossier: Dossier, number: str) -> bytes:
    if number not in available_forms(dossier):
        raise NotFound("Hồ sơ chưa có biểu mẫu này", "This dossier has no such form")
    return RENDERERS[number](dossier)


def _require(*values: Any) -> None:
    if not all(values):
        raise NotFound("Hồ sơ chưa được tiếp nhận", "The dossier has not been received")


def _form01(dossier: Dossier) -> bytes:
    receipt = _event(dossier, "dossier:state:received")
    _require(dossier.code, dossier.received_at, dossier.due_at_original)
    assert dossier.code
    assert dossier.received_at
    assert dossier.due_at_original
    return pdf.render_form01(
        f.Form01Data(
            issuer=_issuer(dossier),
            dossier_code=dossier.code,
            applicant=_applicant(dossier),
            procedure_name=dossier.procedure_version.name,
            components=_components(dossier),
            statutory_time_text=statutory_time_text(dossier),
            received_at=dossier.received_at,
            due_at=dossier.due_at_original,
            return_place_text=_return_place(dossier),
            tracking_url=tracking_url(dossier),
            officer_name=receipt.actor_name,
            book_ref=f"Số thứ tự trong ngày: {receipt.payload.get('sequence', '')}",
        )
    )


def _form02(dossier: Dossier) -> bytes:
    event = _event(dossier, FORM_KINDS["02"])
    return pdf.render_form02(
        f.Form02Data(
            issuer=_issuer(dossier, competent=bool(dossier.code)),
            issued_at=event.at,
            applicant=_applicant(dossier),
            procedure_name=dossier.procedure_version.name,
            items=[
                f.SupplementItem(name=i["name"], reason=i["reason"])
                for i in event.payload.get("items", [])
            ],
            officer_name=event.actor_name,
            dossier_code=dossier.code or "",
        )
    )


def _form03(dossier: Dossier) -> bytes:
    event = dossier.events.filter(form="03").order_by("-seq").first()
    if event is None:
        raise NotFound("Hồ sơ chưa có biểu mẫu này", "This dossier has no such form")
    return pdf.render_form03(
        f.Form03Data(
            issuer=_issuer(dossier, competent=event.kind != "dossier:state:refused_at_receipt"),
            issued_at=event.at,
            applicant=_applicant(dossier),
            procedure_name=dossier.procedure_version.name,
            reasons=[event.reason],
            officer_name=event.actor_name,
            dossier_code=dossier.code or "",
        )
    )


def _form04(dossier: Dossier) -> bytes:
    event = _event(dossier, FORM_KINDS["04"])
    assert dossier.code
    assert dossier.received_at
    return pdf.render_form04(
        f.Form04Data(
            issuer=_issuer(dossier, competent=True),
            issued_at=event.at,
            applicant=_applicant(dossier),
            dossier_code=dossier.code,
            procedure_name=dossier.procedure_version.name,
            received_at=dossier.received_at,
            previous_due_at=datetime.fromisoformat(event.payload["previous_due_at"]),
            new_due_at=datetime.fromisoformat(event.payload["new_due_at"]),
            current_status=LABEL_VI[State(dossier.state)],
            reason=event.reason,
            agency_at_fault=dossier.competent_unit.name,
            return_place_text=_return_place(dossier),
            signer_title=event.actor_title or "Thủ trưởng cơ quan",
            signer_name=event.actor_name,
        )
    )


def _form05(dossier: Dossier) -> bytes:
    event = _event(dossier, FORM_KINDS["05"])
    return pdf.render_form05(
        f.Form05Data(
            issuer=_issuer(dossier),
            issued_at=event.at,
            applicant=_applicant(dossier),
            dossier_code=dossier.code or "",
            procedure_name=dossier.procedure_version.name,
            received_at=dossier.received_at or dossier.submitted_at,
            stopped_at=event.at,
            reason=event.reason,
            signer_title=event.actor_title or "Cán bộ tiếp nhận",
            signer_name=event.actor_name,
            return_place_text=_return_place(dossier),
        )
    )


def _form06(dossier: Dossier) -> bytes:
    """The control sheet: one row per hand-over, classified against each step's deadline."""
    _require(dossier.code, dossier.received_at, dossier.due_at_original)
    assert dossier.code
    assert dossier.received_at
    assert dossier.due_at_original
    events = list(dossier.events.select_related("unit").filter(to_state__gt="").order_by("seq"))
    steps = []
    for previous, current in pairwise(events):
        result = None
        if previous.step_deadline is not None:
            result = f.StepResult(calc.classify(current.at, previous.step_deadline).value)
        steps.append(
            f.HandoverStep(
                from_unit=previous.unit.name if previous.unit else "",
                to_unit=current.unit.name if current.unit else "",
                handed_at=current.at,
                from_person=previous.actor_name,
                to_person=current.actor_name,
                result=result,
                note=current.reason[:120],
            )
        )
    return pdf.render_form06(
        f.Form06Data(
            issuer=_issuer(dossier),
            dossier_code=dossier.code,
            applicant=_applicant(dossier),
            procedure_name=dossier.procedure_version.name,
            received_at=dossier.received_at,
            statutory_time_text=statutory_time_text(dossier),
            due_at=dossier.due_at_original,
            components=_components(dossier),
            steps=steps,
            competent_unit_name=dossier.competent_unit.name,
        )
    )


def tracking_book(
    dossiers: list[Dossier], *, unit_name: str, province_name: str, period: str
) -> bytes:
    """Form 07 for the dossiers received by one unit over a period."""
    rows = []
    for d in dossiers:
        if not (d.code and d.received_at and d.due_at_original):
            continue
        moments = {e.kind: e.at for e in d.events.all()}
        rows.append(
            f.BookRow(
                dossier_code=d.code,
                procedure_name=d.procedure_version.name,
                applicant_name=d.applicant_name,
                applicant_address_phone=" · ".join(
                    x for x in (d.applicant_address, d.applicant_phone) if x
                ),
                competent_unit_name=d.competent_unit.name,
                received_at=d.received_at,
                due_at=d.due_at_original,
                transferred_at=moments.get("dossier:state:in_appraisal"),
                result_received_at=moments.get("dossier:state:result_ready"),
                returned_at=moments.get("dossier:state:returned"),
            )
        )
    return pdf.render_form07(
        f.Form07Data(
            issuer=f.Issuer(unit_name=unit_name, province_name=province_name),
            issued_at=now(),
            period_text=period,
            rows=rows,
        )
    )


RENDERERS = {
    "01": _form01,
    "02": _form02,
    "03": _form03,
    "04": _form04,
    "05": _form05,
    "06": _form06,
}
__all__ = ["available_forms", "calendar_for", "render", "tracking_book", "tracking_url"]
