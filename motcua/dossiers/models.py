"""The dossier aggregate. Written only by ``dossiers.actions`` (one transaction per action)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Unit
from motcua.catalog.models import Component, ProcedureVersion
from motcua.core.events import AuditedEvent
from motcua.core.models import TimeStampedModel
from motcua.dossiers.states import LABEL_VI, State


class Channel(models.TextChoices):
    """R-RCV-02: 1 direct, 2 online, 3 postal."""

    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính công ích")


CHANNEL_CODE = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}


class Delivery(models.TextChoices):
    COUNTER = "counter", _("Nhận tại bộ phận một cửa")
    POST = "post", _("Qua bưu chính")
    ONLINE = "online", _("Trực tuyến")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class ResultKind(models.TextChoices):
    APPROVED = "approved", _("Kết quả giải quyết")
    REFUSED = "refused", _("Văn bản từ chối giải quyết")


class Dossier(TimeStampedModel):
    # R-ID-13; NULL until receipt, unique among received dossiers (uniq_dossier_code in Meta).
    code = models.CharField(max_length=60, null=True, blank=True)  # noqa: DJ001
    external_codes = models.JSONField(default=list, blank=True)
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers", db_index=False
    )  # R-VER-02: the version in force at receipt, kept for good
    procedure_code = models.CharField(max_length=8)
    state = models.CharField(
        max_length=24, choices=[(s.value, LABEL_VI[s]) for s in State], default=State.SUBMITTED
    )
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency (DESIGN §4)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The applicant: a person (R-ID-15) or an organisation (R-ID-16).
    applicant_kind = models.CharField(max_length=15, choices=ApplicantKind.choices)
    applicant_name = models.CharField(max_length=200)
    applicant_name_folded = models.CharField(max_length=200)  # searched with LIKE %token%
    applicant_id_number = models.CharField(max_length=20)
    applicant_phone = models.CharField(max_length=20, blank=True)
    applicant_email = models.EmailField(blank=True)
    applicant_address = models.CharField(max_length=300, blank=True)
    representative_name = models.CharField(max_length=200, blank=True)
    representative_id_number = models.CharField(max_length=20, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    summary = models.CharField(max_length=1000, blank=True)  # TrichYeuHoSo
    # The declared values (tờ khai) by field name of the version's declaration (issue #14).
    # db_default: rows written by COPY (the benchmarks' seeds) without this column get {}.
    declaration = models.JSONField(default=dict, blank=True, db_default={})
    # R-ORG-04: three distinct organisational roles.
    receiving_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_index=False
    )  # indexed by (receiving_unit, state)
    competent_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_index=False
    )  # indexed by (competent_unit, state)
    return_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    result_delivery = models.CharField(max_length=10, choices=Delivery.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        db_index=False,
    )
    # Time (UTC). R-LATE-07: due_at_original defines lateness; due_at_current may be extended.
    submitted_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)  # local date, in the code (R-ID-12)
    due_at_original = models.DateTimeField(null=True, blank=True)
    due_at_current = models.DateTimeField(null=True, blank=True)
    clock_paused_at = models.DateTimeField(null=True, blank=True)
    result_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    result_kind = models.CharField(max_length=10, choices=ResultKind.choices, blank=True)
    supplements_after_appraisal = models.PositiveSmallIntegerField(default=0)
    extensions = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # Only what is queried (bench/README.md, "Where the re-dating time goes"): every index
        # costs each re-dated row an entry. Queues and scope: (unit, state), return_unit,
        # citizen; overdue and due-soon lists: (state, due_at_current); counter search: code
        # (unique) and the ID number (exact). No `_like` pattern-ops twins: nothing filters a
        # dossier column by prefix. Name search: words of the folded name (migration 0007).
        indexes = [
            models.Index(fields=["state", "due_at_current"]),
            models.Index(fields=["receiving_unit", "state"]),
            models.Index(fields=["competent_unit", "state"]),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id_idx"),
            # The desk list's order (deadline, then newest): a search with many matches walks
            # it and stops at the page instead of sorting every match (decision 0029).
            models.Index(fields=["due_at_current", "-submitted_at"], name="dossier_due_order_idx"),
            # The "assigned to me" queue (issue #14): partial, so the many dossiers nobody is
            # assigned yet cost nothing; an index, not the FK's, so SQLite keeps the table
            # (and the event triggers of 0002) as it is.
            models.Index(
                fields=["assigned_to", "state"],
                name="dossier_assigned_state_idx",
                condition=models.Q(assigned_to__isnull=False),
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["code"], name="uniq_dossier_code")]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self) -> str:
        return self.code or f"(chưa tiếp nhận) {self.pk}"


class DossierComponent(models.Model):
    """One document of the dossier, against the checklist of its procedure version."""

    class Digitization(models.IntegerChoices):
        """R-DIG-01."""

        NOT_DIGITIZED = 0, _("Chưa số hóa")
        DIGITIZED = 1, _("Đã số hóa")
        REUSED_COMPONENT = 2, _("Tái sử dụng thành phần hồ sơ")
        REUSED_RESULT = 3, _("Tái sử dụng kết quả")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    catalog_component = models.ForeignKey(
        Component, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.TextField()
    requirement = models.CharField(max_length=20)
    quantity = models.PositiveIntegerField(default=1)
    provided = models.BooleanField(default=False)
    pages = models.PositiveIntegerField(default=0)
    digitization = models.PositiveSmallIntegerField(
        choices=Digitization.choices, default=Digitization.NOT_DIGITIZED
    )
    file = models.FileField(upload_to="dossiers/%Y/%m/", blank=True)
    source = models.CharField(max_length=30, blank=True)  # paper, upload, database:<name>
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name[:80]


class DossierEvent(AuditedEvent):
    """The immutable trail (R-STATE-04). Never updated or deleted; on both databases a trigger
    refuses UPDATE and DELETE (migration 0002). Written only through ``core.events``."""

    subject_field = "dossier"

    # No single-column index on dossier: uniq_event_seq (dossier, seq) serves every lookup.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    actor_title = models.CharField(max_length=120, blank=True)
    # Events are only ever read per dossier: no index on the unit.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    legal_basis = models.CharField(max_length=300, blank=True)
    form = models.CharField(max_length=4, blank=True)  # "01".."07"
    step_deadline = models.DateTimeField(null=True, blank=True)  # NgayKetThucTheoQuyDinh

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="uniq_event_seq")]


class DossierSequence(models.Model):
    """Last sequence number used per unit per local day (R-ID-11), advanced in the receipt's
    transaction so numbers are unique and gap-free."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="uniq_sequence_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.last}"


class Consultation(models.Model):
    """Inter-agency consultation (R-PROC-03/04): one row per consulted agency, with its deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    agency = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    requested_at = models.DateTimeField()
    deadline = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.agency_id}"


@dataclass(frozen=True)
class JustRegistered:
    """The context the one-step receipt hands the reactions to its event
    (``core.events.Happened.context``): the dossier was registered in this very transaction, so
    nothing else (a fact, a payment, a document, a rating) can refer to it yet, and these are its
    checklist rows as written. Reactions may skip those lookups instead of reading them."""

    components: Sequence[DossierComponent]
