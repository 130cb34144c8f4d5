"""Feedback and petitions (phản ánh, kiến nghị — PAKN) about a unit's handling of administrative
procedures, with their handling deadline and the petitioner's response: the inputs of Decision
766 indicators R-IDX-02 and R-IDX-03 (DOMAIN.md §10.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role
from motcua.agencies.models import Unit
from motcua.core.events import AuditedEvent
from motcua.core.models import TimeStampedModel
from motcua.dossiers.models import Dossier
from motcua.geo.models import Commune, Province


class PetitionKind(models.TextChoices):
    FEEDBACK = "phan_anh", _("Phản ánh")
    PROPOSAL = "kien_nghi", _("Kiến nghị")


class PetitionChannel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
    HOTLINE = "hotline", _("Đường dây nóng")
    OPEN311 = "open311", _("Ứng dụng (Open311)")


class PetitionState(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    NOT_COMPETENT = "not_competent", _("Không thuộc thẩm quyền, đã chuyển")


#: States in which the unit still owes an answer.
OPEN_STATES = (PetitionState.RECEIVED, PetitionState.IN_PROGRESS)

#: Roles that handle petitions of their units (and of the units below them).
HANDLER_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER)


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
    # The place the report is about (issue #18): coordinates and/or an address, and the commune
    # it was routed to (from the address; see petitions.open311.routing).
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

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


class PetitionEvent(AuditedEvent):
    """The append-only trail of a petition; a database trigger refuses UPDATE and DELETE
    (migration 0002), as for dossier events (R-STATE-04). Written only through ``core.events``."""

    subject_field = "petition"

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    # Petition states are short; the columns keep their width (no table rebuild on SQLite,
    # which would drop the immutability triggers).
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["petition", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "seq"], name="uniq_petition_event_seq")
        ]


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


# --------------------------------------------------------------------------- Open311 (issue #18)


class Open311Service(models.Model):
    """A service of the Open311 GeoReport v2 API: a kind of report an app may file, mapped onto
    the petition kind it becomes. Data, not code: the provincial admin edits them in the admin
    site. ``attributes`` holds the service definition's attributes (the spec's fields:
    code, datatype, required, description, order, values)."""

    code = models.SlugField(_("mã dịch vụ"), max_length=40, unique=True)
    name = models.CharField(_("tên dịch vụ"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    group = models.CharField(_("nhóm"), max_length=80, blank=True)
    keywords = models.CharField(_("từ khoá"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=PetitionKind.choices)
    attributes = models.JSONField(_("thuộc tính"), default=list, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("dịch vụ Open311")
        verbose_name_plural = _("dịch vụ Open311")

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Open311Client(models.Model):
    """An app allowed to file reports through the Open311 API: its key is stored as a SHA-256
    only (256 random bits; see ``open311.keys``) and shown once, when issued."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("tên ứng dụng"), max_length=120)
    prefix = models.CharField(max_length=16, unique=True)  # public part, to find the row
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("ngày cấp"))
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("lần dùng cuối"), null=True, blank=True)
    # The channel the reports filed with this key are recorded under (issue #18): an app
    # (open311) or the 1022 hotline system pushing its calls through the API (hotline).
    channel = models.CharField(
        _("kênh tiếp nhận"),
        max_length=10,
        choices=[
            (PetitionChannel.OPEN311.value, PetitionChannel.OPEN311.label),
            (PetitionChannel.HOTLINE.value, PetitionChannel.HOTLINE.label),
        ],
        default=PetitionChannel.OPEN311,
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("khoá API Open311")
        verbose_name_plural = _("khoá API Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Open311Request(models.Model):
    """How a petition came in through the Open311 API: the app, the service, the attribute
    values, and the token the app may ask about. Its existence makes the petition a public
    report (only these are listed by the public GET)."""

    id = models.BigAutoField(primary_key=True)
    petition = models.OneToOneField(Petition, on_delete=models.PROTECT, related_name="open311")
    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="requests")
    service = models.ForeignKey(Open311Service, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=40, unique=True)
    attributes = models.JSONField(default=dict, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    # How it was routed (open311.routing): "address", "point", "rule", "dossier", "province".
    routed_by = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.token


def photo_path(instance: PetitionPhoto, filename: str) -> str:
    return f"petitions/photos/{instance.petition_id!s}/{filename}"


class PetitionPhoto(models.Model):
    """A photo sent with a petition: checked by content, resized, and re-encoded without its
    metadata (EXIF, GPS, device) before it is stored, so nobody ever sees the original."""

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["petition", "id"]

    def __str__(self) -> str:
        return str(self.image.name)


# --------------------------------------------------------------------------- alerts (issue #18)


class AlertKind(models.TextChoices):
    NEW = "new", _("Mới tiếp nhận")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class PetitionAlert(models.Model):
    """One alert to the handling unit's officers about a petition: new, due soon, overdue. At
    most one per petition and kind (the unique constraint makes the alert job idempotent);
    ``emailed`` is how many officers were e-mailed through the outbox."""

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    emailed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "kind"], name="uniq_petition_alert_kind")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.kind}"


# --------------------------------------------------------------------------- forwarding (issue #18)


class PetitionForward(models.Model):
    """A petition forwarded as not within the unit's competence, to a real unit of the province
    (``to_unit``: a new petition is filed for it, ``new_petition``) or to an outside body by its
    agency code (``agency_code``, QCVN 102 / Decision 20 format). ``forward_due_at`` is the
    moment the forwarding was due (R-TRF-03 read for petitions: within the working day of
    receipt, or the next working day when received after 15:00, R-TIME-10) and ``in_time``
    whether it was forwarded by then."""

    id = models.BigAutoField(primary_key=True)
    petition = models.OneToOneField(Petition, on_delete=models.PROTECT, related_name="forward")
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency_code = models.CharField(_("mã định danh cơ quan"), max_length=35, blank=True)
    agency_name = models.CharField(_("tên cơ quan"), max_length=255, blank=True)
    new_petition = models.OneToOneField(
        Petition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwarded_from",
    )
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forward_due_at = models.DateTimeField()
    in_time = models.BooleanField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.petition_id} → {self.to_unit_id or self.agency_code}"


# --------------------------------------------------------------------------- answer files (#18)


def answer_file_path(instance: PetitionAnswerFile, filename: str) -> str:
    return f"petitions/answers/{instance.petition_id!s}/{filename}"


class PetitionAnswerFile(models.Model):
    """An image or PDF attached to the unit's answer: checked by content, and stored cleaned —
    images re-encoded from their pixels (no EXIF, GPS, device), PDFs rewritten without their
    document information and XMP metadata. Seen by the handling unit and the petitioner only."""

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="answer_files")
    file = models.FileField(upload_to=answer_file_path, max_length=200)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["petition", "id"]

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------- admin data (#18)


class Open311RoutingRule(models.Model):
    """Where reports of a service (and/or about a commune) go instead of the commune's People's
    Committee, e.g. "flooding anywhere → the Department of Construction". The most specific rule
    wins: service and commune, then service only, then commune only."""

    service = models.ForeignKey(
        Open311Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("dịch vụ"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị tiếp nhận")
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("quy tắc chuyển phản ánh")
        verbose_name_plural = _("quy tắc chuyển phản ánh")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "commune"], name="uniq_open311_routing_rule"
            ),
            models.CheckConstraint(
                condition=models.Q(service__isnull=False) | models.Q(commune__isnull=False),
                name="open311_routing_rule_has_a_condition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id or '*'} / {self.commune_id or '*'} → {self.unit_id}"


class ResponseTemplate(models.Model):
    """A reusable answer text the handling officer starts from (desk answer form)."""

    name = models.CharField(_("tên mẫu"), max_length=120)
    body = models.TextField(_("nội dung trả lời mẫu"), max_length=8000)
    kind = models.CharField(_("loại"), max_length=10, choices=PetitionKind.choices, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")

    def __str__(self) -> str:
        return self.name
