"""Official documents, their recipients, links to dossiers, number series and the trail.

Scoping (DESIGN §2): a document belongs to ``owner_unit`` — the issuing body of an outgoing or
internal document, the receiving body of an incoming one. Only actions (``actions.py``) write.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Unit
from motcua.core.events import AuditedEvent
from motcua.core.models import TimeStampedModel
from motcua.core.text import fold
from motcua.correspondence.states import LABEL_VI, State
from motcua.correspondence.types import CURRENT_VERSION
from motcua.dossiers.models import Consultation, Dossier


class Direction(models.TextChoices):
    OUTGOING = "out", _("Văn bản đi")
    INCOMING = "in", _("Văn bản đến")
    INTERNAL = "internal", _("Văn bản nội bộ")


class Urgency(models.TextChoices):
    """R-DOC-01 urgency marks; R-DOC-06/07: urgent documents are registered and released at once."""

    NORMAL = "normal", _("Thường")
    URGENT = "khan", _("KHẨN")
    VERY_URGENT = "thuong_khan", _("THƯỢNG KHẨN")
    FLASH = "hoa_toc", _("HỎA TỐC")


class Security(models.TextChoices):
    """R-DOC-01 and R-DOC-12: state-secret marks (only the register entry is kept)."""

    NONE = "", _("Không")
    INTERNAL = "noi_bo", _("LƯU HÀNH NỘI BỘ")
    SECRET = "mat", _("MẬT")
    TOP_SECRET = "toi_mat", _("TỐI MẬT")
    ABSOLUTE_SECRET = "tuyet_mat", _("TUYỆT MẬT")


SECRET_MARKS = frozenset({Security.SECRET, Security.TOP_SECRET, Security.ABSOLUTE_SECRET})


class Relation(models.TextChoices):
    """How a document refers to an earlier one (R-DOC-09, R-DOC-18)."""

    REPLACES = "replaces", _("Thay thế văn bản")
    CORRECTS = "corrects", _("Đính chính văn bản")
    COPY = "copy", _("Bản sao của văn bản")


class BodyProfile(models.Model):
    """How a body writes its documents: the abbreviation set by its head (R-DOC-03), its
    superior body's name (R-DOC-01) and the place of its date line (R-DOC-04)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+", primary_key=True)
    abbreviation = models.CharField(max_length=30)
    superior_name = models.CharField(max_length=255, blank=True)
    place = models.CharField(max_length=80)

    def __str__(self) -> str:
        return f"{self.abbreviation} ({self.unit_id})"


class Document(TimeStampedModel):
    direction = models.CharField(max_length=10, choices=Direction.choices)
    state = models.CharField(
        max_length=24, choices=[(s.value, label) for s, label in LABEL_VI.items()]
    )
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # R-DOC-02: the type, from a versioned list
    type_code = models.CharField(max_length=30)
    types_version = models.CharField(max_length=10, default=CURRENT_VERSION)
    # R-DOC-03/05: number, symbol and the series the number came from
    series = models.CharField(max_length=60, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)  # the number's year
    symbol = models.CharField(max_length=60, blank=True)
    drafting_unit_abbreviation = models.CharField(max_length=30, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    summary = models.CharField(max_length=500)  # Appendix VI: Subject ≤ 500 (R-DOC-08)
    content = models.TextField(blank=True)
    # issuing body and its agency code (R-ID-01, R-DOC-13)
    issuing_body_code = models.CharField(max_length=35)
    issuing_body_name = models.CharField(max_length=255)
    superior_body_name = models.CharField(max_length=255, blank=True)
    place = models.CharField(max_length=80, blank=True)
    # signer (R-DOC-01, R-DOC-10)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(max_length=150, blank=True)
    signer_position = models.CharField(max_length=120, blank=True)
    signing_mark = models.CharField(max_length=8, blank=True)  # TM., Q., KT., TL., TUQ.
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    security = models.CharField(
        max_length=10, choices=Security.choices, default=Security.NONE, blank=True
    )
    pages = models.PositiveIntegerField(default=0)
    handling_deadline = models.DateField(null=True, blank=True)  # R-DOC-16
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handling_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # incoming: arrival number per receiving body per year (R-DOC-06)
    arrival_number = models.PositiveIntegerField(null=True, blank=True)
    arrival_year = models.PositiveSmallIntegerField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    # files: the draft as rendered, then as signed (signer, then body)
    pdf = models.FileField(upload_to="correspondence/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # where the clerk writes the number and date and where the signatures go (rendering.Layout)
    layout = models.JSONField(default=dict, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)  # by the signer (R-DOC-07)
    released_at = models.DateTimeField(null=True, blank=True)
    # the edXML package as sent (R-DOC-13), kept for `motcua document edxml`
    package = models.FileField(upload_to="correspondence/edxml/%Y/%m/", blank=True)
    # edXML DocumentId (R-DOC-13, R-DOC-19 duplicate warning)
    exchange_id = models.CharField(max_length=100, blank=True, db_index=True)
    # edXML ResponseFor (R-DOC-13, R-DOC-17): the document this one answers (its DocumentId)
    response_for = models.CharField(max_length=100, blank=True)
    # R-DOC-09 and R-DOC-18: the document this one replaces, corrects (a correction letter) or
    # copies; ``relation`` says which (Relation).
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="derived"
    )
    relation = models.CharField(max_length=12, blank=True)
    # None: received from the axis by the system
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dossiers: models.ManyToManyField[Dossier, DocumentDossier] = models.ManyToManyField(
        Dossier, through="DocumentDossier", related_name="+"
    )
    # R-DOC-08 search: number and symbol, summary and sender, folded (no accents, lower case;
    # ``core.text.fold``), kept in step by ``save`` and by every ``update`` of those fields
    # (``search_text``); searched with LIKE '%token%' under a trigram GIN index on PostgreSQL
    # (migration 0007, decision 0020).
    search_folded = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["owner_unit", "direction", "state"]),
        ]
        constraints = [
            # R-DOC-05: number + symbol unique per body per year and series
            models.UniqueConstraint(
                fields=["owner_unit", "series", "year", "number"],
                condition=models.Q(number__isnull=False),
                name="corr_uniq_number",
            ),
            models.UniqueConstraint(
                fields=["owner_unit", "arrival_year", "arrival_number"],
                condition=models.Q(arrival_number__isnull=False),
                name="corr_uniq_arrival",
            ),
        ]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")

    def __str__(self) -> str:
        return self.number_and_symbol or self.summary[:60]

    def search_text(self) -> str:
        """The folded text the search reads (R-DOC-08): number/symbol, summary, sender."""
        parts = [self.number_and_symbol or self.symbol, self.summary, self.issuing_body_name]
        return fold(" ".join(p for p in parts if p))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_folded = self.search_text()
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "search_folded"}
        super().save(*args, **kwargs)

    @property
    def number_and_symbol(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.symbol}"

    def sender_mismatch(self, organ_id: str) -> bool:
        """A notice about this document from a body other than its issuer (R-DOC-19)."""
        return self.issuing_body_code != organ_id

    @property
    def is_secret(self) -> bool:
        return self.security in SECRET_MARKS


class Recipient(models.Model):
    """A recipient body by agency code (R-DOC-13), or a person; ``internal`` copies ("Lưu")."""

    id = models.BigAutoField(primary_key=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    agency_code = models.CharField(max_length=35, blank=True)
    name = models.CharField(max_length=255)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    for_filing = models.BooleanField(default=False)  # "Lưu: VT, <unit>"
    # R-DOC-14: the last status the recipient's system answered (configurable codes)
    status_code = models.CharField(max_length=4, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.agency_code}>"


class DocumentDossier(models.Model):
    """R-DOC-17: one document may belong to several dossiers without being copied."""

    id = models.BigAutoField(primary_key=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, blank=True)  # consultation, answer, apology …
    # R-DOC-17: the per-agency consultation the letter asks or answers
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "dossier"], name="corr_uniq_dossier_link")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} ~ {self.dossier_id}"


class DocumentPetition(models.Model):
    """Issue #18 item 4: the official letter forwarding a petition to an outside body. The
    petition is named by its code (unique): ``petitions`` is a sibling app, not referenced."""

    id = models.BigAutoField(primary_key=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    petition_code = models.CharField(max_length=24, db_index=True)
    role = models.CharField(max_length=20, default="forwarding")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "petition_code"], name="corr_uniq_petition_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} ~ {self.petition_code}"


class Attachment(models.Model):
    """An attachment in a separate file (R-DOC-11: signed by the body only)."""

    id = models.BigAutoField(primary_key=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="correspondence/attachments/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class NumberSeries(models.Model):
    """The last number of a series of a body in a year (R-DOC-05, R-DOC-06, R-DOC-18).

    ``owner`` is ``<unit id>:<out|in>:<series>``; ``day`` the 1st of January of the year. The
    counter is advanced by ``motcua.core.rawsql.next_number`` inside the release's (or the
    registration's) transaction, so numbers are unique and gap-free under concurrency."""

    id = models.BigAutoField(primary_key=True)
    owner = models.CharField(max_length=120)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="corr_uniq_series")]

    def __str__(self) -> str:
        return f"{self.owner} {self.day.year}: {self.last}"


class CaseFileState(models.TextChoices):
    OPEN = "open", _("Đang lập")
    CLOSED = "closed", _("Đã kết thúc")
    ARCHIVED = "archived", _("Đã nộp lưu")


class CaseFile(TimeStampedModel):
    """A file of the body's yearly list of files (danh mục hồ sơ, R-DOC-20): the documents of
    one piece of work. Closed when the work ends; a file kept five years or more (or for ever,
    ``retention_years`` None) is handed to the body's archive within one year after, a
    construction file within three months (``archive_due``), with an archive number."""

    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=30)  # ký hiệu hồ sơ, set in the yearly list
    title = models.CharField(max_length=500)
    retention_years = models.PositiveSmallIntegerField(null=True, blank=True)  # None: vĩnh viễn
    construction = models.BooleanField(default=False)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=CaseFileState.choices, default=CaseFileState.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    archive_due = models.DateField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archive_number = models.PositiveIntegerField(null=True, blank=True)
    archive_year = models.PositiveSmallIntegerField(null=True, blank=True)
    documents: models.ManyToManyField[Document, CaseFileDocument] = models.ManyToManyField(
        Document, through="CaseFileDocument", related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "year", "code"], name="corr_uniq_file"),
            models.UniqueConstraint(
                fields=["owner_unit", "archive_year", "archive_number"],
                condition=models.Q(archive_number__isnull=False),
                name="corr_uniq_archive_number",
            ),
        ]
        verbose_name = _("hồ sơ công việc")
        verbose_name_plural = _("hồ sơ công việc")

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"


class CaseFileDocument(models.Model):
    """A document filed in a file of its body (R-DOC-20); a document is in one file."""

    id = models.BigAutoField(primary_key=True)
    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="entries")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="filed")
    filed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.case_file_id} ~ {self.document_id}"


class ReminderKind(models.TextChoices):
    """R-DOC-06/07: the clerk's reminders, each raised once per document."""

    RELEASE_LATE = "release_late", _("Văn bản đã ký chưa phát hành đúng hạn")
    REGISTER_LATE = "register_late", _("Văn bản đến chưa vào sổ đúng hạn")


class DocumentReminder(models.Model):
    """One reminder of ``kind`` about a document (unique: once each, whatever how often or on
    how many workers the job runs)."""

    id = models.BigAutoField(primary_key=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    created_at = models.DateTimeField()
    emailed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "kind"], name="corr_uniq_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind}"


class ArchiveWarningKind(models.TextChoices):
    """R-DOC-20: the system warns before the hand-over deadline, and again once it passed."""

    DUE_SOON = "due_soon", _("Sắp đến hạn nộp lưu hồ sơ")
    OVERDUE = "overdue", _("Quá hạn nộp lưu hồ sơ")


class CaseFileWarning(models.Model):
    """One archive warning of ``kind`` about a closed file (unique: once each, whatever how
    often or on how many workers the job runs), with the clerks e-mailed."""

    id = models.BigAutoField(primary_key=True)
    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField(max_length=12, choices=ArchiveWarningKind.choices)
    due = models.DateField()
    created_at = models.DateTimeField()
    emailed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_file", "kind"], name="corr_uniq_file_warning")
        ]

    def __str__(self) -> str:
        return f"{self.case_file_id} {self.kind}"


class DocumentEvent(AuditedEvent):
    """The immutable trail of a document (UPDATE and DELETE refused by triggers, migration 0002),
    through the shared pipeline (``motcua.core.events``)."""

    subject_field = "document"

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="events", db_index=False
    )

    class Meta:
        ordering = ["document", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["document", "seq"], name="corr_uniq_event_seq")
        ]


__all__ = [
    "Attachment",
    "BodyProfile",
    "CaseFile",
    "CaseFileDocument",
    "CaseFileState",
    "Direction",
    "Document",
    "DocumentDossier",
    "DocumentEvent",
    "DocumentReminder",
    "NumberSeries",
    "Recipient",
    "Relation",
    "ReminderKind",
    "Security",
    "State",
    "Urgency",
]
