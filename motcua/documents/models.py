"""Signed electronic documents: results, refusals and e-receipts (R-RES-03, R-RES-05).

A :class:`SignedDocument` is the signed PDF a unit issued, its SHA-256 and a public verification
token printed as a QR on the document. Keyed by the subject's personal ID number, the table is
also the citizen's store of results for reuse in later dossiers (R-REUSE-04, R-DIG-01 "3").

``documents`` sits below ``dossiers`` and ``payments``: the document knows the dossier or order
only by its code (``reference``), never by a foreign key.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Unit
from motcua.core.models import TimeStampedModel


def new_token() -> str:
    """An unguessable public verification token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class DocumentKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
    REFUSAL = "refusal", _("Văn bản từ chối giải quyết")
    RECEIPT = "receipt", _("Biên lai thu phí, lệ phí điện tử")


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    REVOKED = "revoked", _("Đã thu hồi")


class SignedDocument(TimeStampedModel):
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # The person (12-digit ID) or organisation (tax code) the document is about.
    subject_id_number = models.CharField(max_length=20, db_index=True)
    subject_name = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, db_index=True)  # dossier code or payment ref
    procedure_code = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300)
    result_code = models.CharField(max_length=60, blank=True)  # R-REUSE-04
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="signed/%Y/%m/")
    signed_at = models.DateTimeField()
    signer_subject = models.CharField(max_length=500)
    certificate_serial = models.CharField(max_length=60)
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.VALID
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token)

    class Meta:
        ordering = ["-signed_at"]
        indexes = [models.Index(fields=["subject_id_number", "kind", "status"])]
        constraints = [
            # One valid document of a kind per dossier/order; a correction revokes the old one.
            models.UniqueConstraint(
                fields=["kind", "reference"],
                condition=models.Q(status="valid"),
                name="uniq_valid_document_per_reference",
            )
        ]
        verbose_name = _("văn bản điện tử đã ký số")
        verbose_name_plural = _("văn bản điện tử đã ký số")

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    @property
    def is_valid(self) -> bool:
        return self.status == DocumentStatus.VALID
