"""The signed electronic result of a dossier (R-RES-03, R-RES-05, R-DIG-02).

:func:`issue_signed_result` renders the result document (or the reasoned refusal), signs it
PAdES with the competent unit's certificate and stores it as a
:class:`~motcua.documents.models.SignedDocument` keyed by the applicant's ID number, which is
also the citizen's store for reuse. It is idempotent (one valid result per dossier) and runs
inside the caller's transaction, so it can be called from ``do_approve_dossier``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from motcua.catalog.declaration import declaration_of, labelled_values
from motcua.core import events
from motcua.core.clock import now
from motcua.core.errors import NotFound
from motcua.documents.forms import Issuer
from motcua.documents.models import DocumentKind, DocumentStatus, SignedDocument
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Dossier, DossierEvent, ResultKind
from motcua.dossiers.states import State

if TYPE_CHECKING:
    from motcua.documents.result_pdf import ResultData

# The PDF (fpdf2, fonts, segno) and signing (pyHanko, cryptography) modules are imported where a
# result is issued, not here: this module is imported at start-up (issue #12 part 10).

__all__ = ["issue_signed_result", "result_data", "signed_result_of"]

ISSUABLE = frozenset({State.RESULT_READY, State.RETURNED})
DEFAULT_SIGNER_TITLE = "Thủ trưởng đơn vị"


def result_data(dossier: Dossier, verify_url: str) -> ResultData:
    from motcua.documents.result_pdf import ResultData  # noqa: PLC0415 - PDF libraries load on issue

    unit = dossier.competent_unit
    version = dossier.procedure_version
    decision = (
        dossier.events.filter(kind=f"dossier:state:{State.RESULT_READY.value}")
        .order_by("-seq")
        .first()
    )
    approved = dossier.result_kind != ResultKind.REFUSED
    title = (decision.actor_title if decision else "") or DEFAULT_SIGNER_TITLE
    form = declaration_of(version.declaration)
    return ResultData(
        issuer=Issuer(
            unit_name=unit.name,
            province_name=unit.province.name,
            parent_name=unit.parent.name if unit.parent else "",
        ),
        number=f"KQ-{dossier.code}",
        dossier_code=dossier.code or "",
        procedure_code=dossier.procedure_code,
        procedure_name=version.name,
        applicant_name=dossier.applicant_name,
        applicant_id_number=dossier.applicant_id_number,
        applicant_address=dossier.applicant_address,
        received_at=dossier.received_at,
        decided_at=dossier.result_at or now(),
        approved=approved,
        result_names=[r.name for r in version.results.all()],
        reason=decision.reason if decision else "",
        signer_title=title,
        verify_url=verify_url,
        signer_name=decision.actor_name if decision else "",
        # issue #14 item 2: the declared data in the result's own layout; the register number
        # is the dossier code until the e-civil-status register assigns its own.
        declared=labelled_values(form, dossier.declaration or {}),
        layout=form.layout if form else "generic",
        title=form.result_title_vi if form else "",
        decision=form.decision_vi if form else "",
        register_number=dossier.code or "",
    )


@transaction.atomic
def issue_signed_result(dossier: Dossier) -> SignedDocument:
    """Sign and store the result of a dossier that has one (``result_ready`` or ``returned``)."""
    from motcua.documents.issuing import DocumentRequest, issue_signed_document  # noqa: PLC0415 - signing loads on issue
    from motcua.documents.result_pdf import render_result  # noqa: PLC0415 - PDF libraries load on issue

    if State(dossier.state) not in ISSUABLE or not dossier.code:
        raise RuleViolation(
            "Hồ sơ chưa có kết quả được phê duyệt để ký số.",
            "The dossier has no approved result to sign yet.",
        )
    refused = dossier.result_kind == ResultKind.REFUSED
    version = dossier.procedure_version
    first_result = version.results.first()
    request = DocumentRequest(
        kind=DocumentKind.REFUSAL if refused else DocumentKind.RESULT,
        owner_unit=dossier.competent_unit,
        subject_id_number=dossier.applicant_id_number,
        subject_name=dossier.applicant_name,
        reference=dossier.code,
        procedure_code=dossier.procedure_code,
        title=(
            f"Văn bản từ chối giải quyết — {version.name}"
            if refused
            else (first_result.name if first_result else f"Kết quả giải quyết — {version.name}")
        )[:300],
        result_code=first_result.result_code if first_result and not refused else "",
        reason="Từ chối giải quyết hồ sơ" if refused else "Phê duyệt kết quả giải quyết TTHC",
    )
    existing = signed_results_of(dossier).exists()
    document = issue_signed_document(request, lambda url: render_result(result_data(dossier, url)))
    if not existing:  # the trail says when the electronic result was signed (R-RES-05)
        signed = DossierEvent(
            dossier=dossier,
            kind="dossier:result:signed",
            at=document.signed_at,
            unit=dossier.competent_unit,
            reason=f"Ký số kết quả điện tử: {document.title}",
            payload={"kind": document.kind, "sha256": document.sha256},
        )
        events.record(signed, subject=dossier)
    return document


def signed_results_of(dossier: Dossier) -> QuerySet[SignedDocument]:
    return SignedDocument.objects.filter(
        reference=dossier.code or "",
        kind__in=(DocumentKind.RESULT, DocumentKind.REFUSAL),
        status=DocumentStatus.VALID,
    )


def signed_result_of(dossier: Dossier) -> SignedDocument:
    """The valid signed result (or refusal) of ``dossier``; :class:`NotFound` if none."""
    document = signed_results_of(dossier).order_by("-signed_at").first()
    if document is None:
        raise NotFound("Hồ sơ chưa có kết quả điện tử đã ký số", "No signed result")
    return document


def issue_missing_results() -> int:
    """Issue the signed result of every decided dossier that has none yet (demo setup, and
    dossiers decided before signing was switched on); returns how many were issued."""
    signed = SignedDocument.objects.filter(
        kind__in=(DocumentKind.RESULT, DocumentKind.REFUSAL), status=DocumentStatus.VALID
    ).values("reference")
    pending = (
        Dossier.objects.filter(state__in=[s.value for s in ISSUABLE], code__isnull=False)
        .exclude(code__in=signed)
        .select_related("competent_unit__province", "competent_unit__parent", "procedure_version")
        .order_by("result_at")
    )
    issued = 0
    for dossier in pending:
        issue_signed_result(dossier)
        issued += 1
    return issued
