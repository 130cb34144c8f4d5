"""Feedback and petitions (phản ánh, kiến nghị — PAKN) about a unit's handling of administrative
procedures, with their handling deadline and the petitioner's response: the inputs of Decision
766 indicators R-IDX-02 and R-IDX-03 (DOMAIN.md §10.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Unit
from motcua.core.models import TimeStampedModel
from motcua.dossiers.models import Dossier
from motcua.geo.models import Province


class PetitionKind(models.TextChoices):
    FEEDBACK = "phan_anh", _("Phản ánh")
    PROPOSAL = "kien_nghi", _("Kiến nghị")


class PetitionChannel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
    HOTLINE = "hotline", _("Đường dây nóng")


class PetitionState(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    NOT_COMPETENT = "not_competent", _("Không thuộc thẩm quyền, đã chuyển")


#: States in which the unit still owes an answer.
OPEN_STATES = (PetitionState.RECEIVED, PetitionState.IN_PROGRESS)


class PetitionResponse(models.TextChoices):
    NONE = "", _("Chưa có ý kiến")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class Petition(TimeStampedModel):
    """One feedback or petition. Written only by ``petitions.actions``."""

    code = models.CharField(_("mã phản ánh, kiến nghị"), max_length=24, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("đơn vị")
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="petitions"
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=60, blank=True)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=30, blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=PetitionKind.choices)
    subject = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"), max_length=4000)
    # Personal data (DOMAIN §8): shown only to the handling unit and to the petitioner.
    petitioner_name = models.CharField(_("họ và tên"), max_length=150)
    petitioner_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    petitioner_email = models.EmailField(_("thư điện tử"), blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
    )
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=PetitionChannel.choices)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_on = models.DateField()  # local date of receipt: the indicators' period
    due_at = models.DateTimeField(_("hạn xử lý"))
    due_on = models.DateField()  # local date of the deadline (compared by dates, R-TIME-14)
    state = models.CharField(
        max_length=16, choices=PetitionState.choices, default=PetitionState.RECEIVED
    )
    version = models.PositiveIntegerField(default=0)
    not_competent_reason = models.TextField(blank=True, max_length=2000)
    forwarded_to = models.CharField(_("chuyển đến"), max_length=255, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True, max_length=8000)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    response = models.CharField(
        max_length=14, choices=PetitionResponse.choices, default=PetitionResponse.NONE, blank=True
    )
    response_comment = models.TextField(blank=True, max_length=1000)
    responded_at = models.DateTimeField(null=True, blank=True)
    late_complaint = models.BooleanField(_("khiếu nại về xử lý chậm"), default=False)
    late_complaint_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["received_on"]),
            models.Index(fields=["state", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class PetitionEvent(models.Model):
    """The append-only trail of a petition; a database trigger refuses UPDATE and DELETE
    (migration 0002), as for dossier events (R-STATE-04)."""

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=60)  # petition:state:answered, petition:response …
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["petition", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "seq"], name="uniq_petition_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq}"


class PetitionSequence(models.Model):
    """Last number used per province per local day, advanced in the filing's transaction, so
    reference codes are unique and gap-free."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "day"], name="uniq_petition_seq_day")
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.day}: {self.last}"
