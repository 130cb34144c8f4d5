"""Issue and revoke signed documents (the only writers of :class:`SignedDocument`).

Issuing = render with the verification URL, sign as the unit (PAdES), hash, store the file and
the row. It runs inside the caller's transaction (e.g. the leader's approval): the row commits
or rolls back with it. The file is written first under a fresh UUID name; a rolled-back
transaction leaves an unreferenced file, never a row without its file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.documents import ca, signing
from motcua.documents.models import DocumentKind, DocumentStatus, SignedDocument, new_token

__all__ = ["DocumentRequest", "do_issue_signed_document", "do_revoke_document", "verify_url"]


def verify_url(token: str) -> str:
    """The public verification page of a document, absolute (printed as QR)."""
    path = reverse("documents:verify", kwargs={"token": token})
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}"


@dataclass(frozen=True)
class DocumentRequest:
    kind: DocumentKind
    owner_unit: Unit
    subject_id_number: str
    subject_name: str
    reference: str
    title: str
    procedure_code: str = ""
    result_code: str = ""
    reason: str = ""


@action
def do_issue_signed_document(
    request: DocumentRequest, render: Callable[[str], bytes]
) -> SignedDocument:
    """Render (``render(verify_url) -> PDF``), sign and store; idempotent per kind and reference:
    an existing valid document is returned unchanged."""
    return issue_signed_document(request, render)


def issue_signed_document(
    request: DocumentRequest, render: Callable[[str], bytes]
) -> SignedDocument:
    """``do_issue_signed_document``'s writes in the caller's transaction: for the actions that
    sign a document as part of their own work (a dossier's result, a payment's receipt)."""
    existing = SignedDocument.objects.filter(
        kind=request.kind, reference=request.reference, status=DocumentStatus.VALID
    ).first()
    if existing is not None:
        return existing
    token = new_token()
    unit = request.owner_unit
    creds = ca.ensure_unit_credentials(unit)
    moment = now()
    pdf = signing.sign_pdf(
        render(verify_url(token)),
        creds,
        reason=nfc(request.reason or request.title),
        location=unit.province.name,
        signer_name=unit.name,
    )
    cert = creds.load_certificate()
    document = SignedDocument(
        kind=request.kind,
        owner_unit=unit,
        subject_id_number=request.subject_id_number,
        subject_name=nfc(request.subject_name),
        reference=request.reference,
        procedure_code=request.procedure_code,
        title=nfc(request.title),
        result_code=request.result_code,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        signed_at=moment,
        signer_subject=cert.subject.rfc4514_string()[:500],
        certificate_serial=format(cert.serial_number, "x"),
        token=token,
    )
    safe_ref = "".join(ch if ch.isalnum() else "-" for ch in request.reference)
    document.file.save(f"{request.kind}-{safe_ref}-{token[:8]}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


@action
def do_revoke_document(document: SignedDocument, *, reason: str) -> SignedDocument:
    """Revoke (e.g. a result corrected at the agency's cost, R-RES-04); the page then says so."""
    if not reason.strip():
        raise ValidationFailed(
            "Hãy ghi lý do thu hồi văn bản.", "A reason is required.", field="reason"
        )
    SignedDocument.objects.filter(pk=document.pk, status=DocumentStatus.VALID).update(
        status=DocumentStatus.REVOKED, revoked_at=now(), revoked_reason=nfc(reason)
    )
    document.refresh_from_db()
    return document
