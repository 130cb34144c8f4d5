"""/api/v1/procedures: the public catalogue, the same selectors as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_detail, procedures_for, time_limit_text
from motcua.core.schemas import ErrorOut

router = Router(tags=["catalogue"])


class TimeLimitOut(Schema):
    value: float | None
    unit: str
    text: str
    cutoff_1500: bool
    start_rule: str
    extension_rule: str


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    field: str
    field_code: str
    competent_level: str
    online_level: str
    boundary_free: bool
    time_limit: TimeLimitOut
    # Issue #19: the ministry responsible for the field; False when the province's announcement
    # decision repealed the procedure or does not implement it.
    ministry: str = ""
    implemented: bool = True


class ProcedureFilters(Schema):
    q: str = ""
    field: str = ""
    level: str = ""
    online: str = ""
    boundary_free: bool | None = None
    limit: int = 25
    offset: int = 0


class ProcedureListOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[ProcedureSummaryOut]


class ComponentOut(Schema):
    order: int
    name: str
    requirement: str
    quantity: int
    conditional: bool
    is_note: bool
    form_template: str
    replaceable_by: str


class ImplementingUnitOut(Schema):
    id: str
    name: str
    eid_code: str


class ProcedureDetailOut(ProcedureSummaryOut):
    version: int
    effective_from: date
    competent_body_type: str
    boundary_free_basis: str
    channels: list[str]
    fee_text: str
    fee_rules: list[dict[str, Any]]
    legal_basis: str
    components: list[ComponentOut]
    implementing_units: list[ImplementingUnitOut]


def _time_limit(v: ProcedureVersion) -> TimeLimitOut:
    return TimeLimitOut(
        value=float(v.time_limit_value) if v.time_limit_value is not None else None,
        unit=v.time_limit_unit,
        text=time_limit_text(v),
        cutoff_1500=v.cutoff_1500,
        start_rule=v.start_rule,
        extension_rule=v.extension_rule,
    )


def _summary(v: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": v.procedure.code_national,
        "name": v.name,
        "field": v.field.name,
        "field_code": v.field.code,
        "competent_level": v.competent_level,
        "online_level": v.online_level,
        "boundary_free": v.boundary_free,
        "time_limit": _time_limit(v),
        "ministry": v.procedure.ministry,
        "implemented": v.procedure.implemented,
    }


@router.get(
    "",
    response=ProcedureListOut,
    summary="Search the catalogue (with or without diacritics, typos tolerated) and filter it",
)
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]) -> ProcedureListOut:
    results = procedures_for(
        settings.MOTCUA_PROVINCE_CODE,
        q=filters.q,
        field=filters.field,
        level=filters.level,
        online=filters.online,
        boundary_free=filters.boundary_free,
    )
    limit = max(1, min(filters.limit, 100))
    offset = max(0, filters.offset)
    return ProcedureListOut(
        total=len(results),
        limit=limit,
        offset=offset,
        items=[ProcedureSummaryOut(**_summary(v)) for v in results[offset : offset + limit]],
    )


@router.get(
    "/{code}",
    response={200: ProcedureDetailOut, 404: ErrorOut},
    summary="One procedure: documents, fee rules, time limit, implementing units",
)
def get_procedure(request: HttpRequest, code: str) -> ProcedureDetailOut:
    v = procedure_detail(settings.MOTCUA_PROVINCE_CODE, code)
    return ProcedureDetailOut(
        **_summary(v),
        version=v.version,
        effective_from=v.effective_from,
        competent_body_type=v.competent_body_type,
        boundary_free_basis=v.boundary_free_basis,
        channels=list(v.channels or []),
        fee_text=v.fee_text,
        fee_rules=list(v.fee_rules or []),
        legal_basis=v.legal_basis,
        components=[
            ComponentOut(
                order=c.order,
                name=c.name,
                requirement=c.requirement,
                quantity=c.quantity,
                conditional=c.conditional,
                is_note=c.is_note,
                form_template=c.form_template,
                replaceable_by=c.replaceable_by,
            )
            for c in v.components.all()
        ],
        implementing_units=[
            ImplementingUnitOut(id=str(u.pk), name=u.name, eid_code=u.eid_code)
            for u in v.implementing_units.all()
        ],
    )
