"""Data reuse at the counter and online (issue #7 item 3, DOMAIN §7.4).

When a checklist component can be replaced by a national database (``Component.replaceable_by``,
R-REUSE-05), the officer (or the e-form) fetches it instead of asking for paper (R-REUSE-01).
The lookup goes through the exchange with the personal-data access log (R-PDP-02/07); the
dossier records which data came from where — the component is marked ``database:<system>``
and an event keeps the response snapshot and the registry's query reference (R-REUSE-06) — and
the fetched components are counted for the data-reuse indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from motcua.accounts.models import User
from motcua.accounts.scope import CASEWORK_ROLES, has_role
from motcua.agencies.models import Unit
from motcua.catalog.models import DataSource
from motcua.core.clock import now
from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers.actions.core import record_event
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import ApplicantKind, Dossier, DossierComponent
from motcua.dossiers.states import OPEN, State
from motcua.exchange.errors import RecordNotFound
from motcua.exchange.lookups import lookup_person
from motcua.exchange.registries import CLIENTS

#: R-REUSE-06 / Resolution 66.7/2025: the legal basis recorded with every reuse lookup.
LEGAL_BASIS = "Nghị quyết 66.7/2025/NQ-CP; Luật Bảo vệ dữ liệu cá nhân 2025 (xử lý theo TTHC)"
DATABASE_PREFIX = "database:"
#: A component filled online from the citizen's personal data store (issue #6 point 7).
STORE_PREFIX = "store:"


def source_label(system: str) -> str:
    return str(DataSource(system).label) if system in DataSource.values else system


def fetchable(dossier: Dossier) -> list[DossierComponent]:
    """The dossier's components a connected national database can replace (R-REUSE-01)."""
    return [
        c
        for c in dossier.components.select_related("catalog_component")
        if c.catalog_component is not None and c.catalog_component.replaceable_by in CLIENTS
    ]


def _subject(dossier: Dossier, system: str) -> str:
    if system == DataSource.BUSINESS and dossier.applicant_kind != ApplicantKind.ORGANISATION:
        raise RuleViolation(
            "Chỉ tra cứu CSDL đăng ký doanh nghiệp cho người nộp là tổ chức, doanh nghiệp.",
            "The business registry is looked up only for an organisation applicant.",
        )
    return dossier.applicant_id_number


def _acting_unit(user: User, dossier: Dossier) -> Unit:
    for unit in (dossier.receiving_unit, dossier.competent_unit):
        if has_role(user, unit, CASEWORK_ROLES):
            return unit
    raise NotFound("Không tìm thấy hồ sơ", "Dossier not found")


def do_fetch_component(
    dossier: Dossier, component_id: int, *, acting_user: User
) -> DossierComponent:
    """Fetch one replaceable component from its national database (R-REUSE-01/05/06).

    The lookup runs first, outside the transaction, so the access log keeps the attempt even if
    it fails (R-PDP-07); then, in one transaction, the component is marked as obtained from the
    database and the event with the response snapshot is appended. If the database has no data,
    the officer asks the applicant for the paper (R-REUSE-02) — the error says so.
    """
    unit = _acting_unit(acting_user, dossier)
    if State(dossier.state) not in OPEN:
        raise RuleViolation(
            "Hồ sơ đã kết thúc: không tra cứu dữ liệu cá nhân cho hồ sơ này (R-PDP-02).",
            "The dossier is closed: no personal-data lookup for it (R-PDP-02).",
        )
    component = (
        dossier.components.select_related("catalog_component").filter(pk=component_id).first()
    )
    if component is None or component.catalog_component is None:
        raise NotFound("Không tìm thấy thành phần hồ sơ", "Component not found")
    system = component.catalog_component.replaceable_by
    if system not in CLIENTS:
        raise ValidationFailed(
            "Thành phần này chưa khai thác được từ cơ sở dữ liệu quốc gia.",
            "This component cannot be fetched from a national database yet.",
        )
    try:
        result = lookup_person(
            system,
            _subject(dossier, system),
            acting_user=acting_user,
            unit=unit,
            dossier_ref=dossier.code or str(dossier.pk),
            procedure_code=dossier.procedure_code,
            purpose=f"Thay thế thành phần hồ sơ: {component.name}"[:300],
            legal_basis=LEGAL_BASIS,
        )
    except RecordNotFound:
        raise RuleViolation(
            f"{source_label(system)} không có dữ liệu của người nộp: đề nghị người nộp bổ sung "
            "thành phần này và đề nghị cơ quan quản lý cơ sở dữ liệu điều chỉnh (R-REUSE-02).",
            "The database holds no record of the applicant: ask for the document and ask the "
            "database owner to correct it (R-REUSE-02).",
        ) from None
    with transaction.atomic(durable=True):
        component.provided = True
        component.source = f"{DATABASE_PREFIX}{system}"
        component.digitization = DossierComponent.Digitization.REUSED_COMPONENT
        component.confirmed_by = acting_user
        component.save(update_fields=["provided", "source", "digitization", "confirmed_by"])
        record_event(
            dossier,
            "dossier:component:fetched",
            actor=acting_user,
            unit=unit,
            at=now(),
            reason=f"Khai thác từ {source_label(system)}: {component.name}"[:500],
            legal_basis=LEGAL_BASIS,
            payload={
                "component": component.pk,
                "system": system,
                "access_id": result.access.pk,
                "remote_ref": result.found.remote_ref,
                "fields": result.found.fields,
                "snapshot": result.found.record,
            },
        )
    return component


@dataclass(frozen=True)
class ReuseCount:
    """Data-reuse indicator inputs: replaceable components, and those fetched from a database
    instead of asked for on paper (R-REUSE-01, Decision 766 digitisation/reuse group)."""

    replaceable: int
    fetched: int

    @property
    def rate(self) -> float:
        return self.fetched / self.replaceable if self.replaceable else 0.0


def reuse_count(dossiers: QuerySet[Dossier]) -> ReuseCount:
    components = DossierComponent.objects.filter(dossier__in=dossiers).exclude(
        catalog_component__replaceable_by=""
    )
    return ReuseCount(
        replaceable=components.filter(catalog_component__isnull=False).count(),
        fetched=components.filter(
            Q(source__startswith=DATABASE_PREFIX) | Q(source__startswith=STORE_PREFIX)
        ).count(),
    )
