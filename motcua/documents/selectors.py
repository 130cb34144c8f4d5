"""Reads of signed documents: the public verification and the citizen's document store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.core.errors import NotFound
from motcua.documents import ca, signing
from motcua.documents.models import DocumentKind, DocumentStatus, SignedDocument

__all__ = ["UploadCheck", "check_upload", "document_by_token", "documents_of_citizen"]

REUSABLE_KINDS = (DocumentKind.RESULT,)


def documents_of_citizen(
    citizen_id: str, *, include_revoked: bool = False, kinds: tuple[str, ...] = REUSABLE_KINDS
) -> QuerySet[SignedDocument]:
    """The citizen's store of signed results, newest first, for reuse in later dossiers
    (R-REUSE-04, R-DIG-01 code 3). Scope it to the logged-in citizen's own verified ID number:
    this selector trusts the ID it is given."""
    qs = SignedDocument.objects.filter(subject_id_number=citizen_id, kind__in=kinds)
    if not include_revoked:
        qs = qs.filter(status=DocumentStatus.VALID)
    return qs.select_related("owner_unit").order_by("-signed_at")


def document_by_token(token: str) -> SignedDocument:
    document = (
        SignedDocument.objects.select_related("owner_unit").filter(token=token).first()
        if len(token) <= 40
        else None
    )
    if document is None:
        raise NotFound("Không tìm thấy văn bản", "Document not found")
    return document


@dataclass(frozen=True)
class UploadCheck:
    sha256: str
    matches: bool  # byte-identical to the document we issued
    signature: signing.SignatureCheck


def check_upload(document: SignedDocument, data: bytes) -> UploadCheck:
    """Compare an uploaded PDF with the issued one (hash) and validate its signature."""
    digest = hashlib.sha256(data).hexdigest()
    return UploadCheck(
        sha256=digest,
        matches=digest == document.sha256,
        signature=signing.validate_pdf(data, ca.ensure_root_ca()[1]),
    )
