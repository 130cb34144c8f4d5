"""The procedure catalogue, versioned (R-VER-01, R-CAT-01).

``Procedure`` is the identity (national code within a province); ``ProcedureVersion`` is the
content in force over an interval, with its legal basis. A dossier keeps the version it was filed
under (R-VER-02), so a later catalogue change never moves an existing dossier's deadline.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Unit
from motcua.core.models import TimeStampedModel
from motcua.geo.models import Province


class Field(models.Model):
    """Lĩnh vực (sector/field). The national field codes of Circular 03/2025 (R-ID-14) are not in
    our sources yet; ``code`` is our slug until they are loaded."""

    code = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200, unique=True)
    name_folded = models.CharField(max_length=200, db_index=True)
    national_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class CompetentLevel(models.TextChoices):
    """R-DEC-01."""

    NATIONAL = "national", _("Cấp trung ương")
    PROVINCIAL = "provincial", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    VERTICAL = "vertical_agency", _("Cơ quan ngành dọc")


class OnlineLevel(models.TextChoices):
    """R-ONL-01/02: full-process (toàn trình), partial (một phần), or not online."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")
    UNKNOWN = "unknown", _("Chưa công bố")


class TimeUnit(models.TextChoices):
    """R-TIME-01, plus ``unknown`` where the published record gives no unit."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    DAYS = "days", _("ngày")
    SAME_DAY = "same_day", _("trong ngày")
    UNKNOWN = "unknown", _("chưa xác định")


class SupplementMode(models.TextChoices):
    """R-TIME-12 / R-SUP-02."""

    RESTART = "restart", _("Tính lại từ đầu khi nhận đủ hồ sơ")
    SHIFT = "shift", _("Cộng thêm thời gian tạm dừng")


class DataSource(models.TextChoices):
    """National databases that can replace a dossier component (R-REUSE-03)."""

    POPULATION = "population", _("CSDL quốc gia về dân cư")
    CIVIL_STATUS = "civil_status", _("CSDL hộ tịch điện tử")
    INSURANCE = "insurance", _("CSDL quốc gia về bảo hiểm")
    DRIVING_LICENCE = "driving_licence", _("CSDL giấy phép lái xe")
    BUSINESS = "business", _("CSDL quốc gia về đăng ký doanh nghiệp")
    VEHICLE = "vehicle", _("CSDL đăng ký phương tiện")
    LAND = "land", _("CSDL quốc gia về đất đai")
    JUDICIAL = "judicial", _("CSDL lý lịch tư pháp")
    HEALTH = "health", _("Sổ sức khỏe điện tử")


class Procedure(TimeStampedModel):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="procedures")
    code_national = models.CharField(max_length=8)  # R-ID-06 d.nnnnnn
    code_local = models.CharField(max_length=60, blank=True)  # R-ID-07
    portal_service_code = models.CharField(max_length=60, blank=True)  # R-ID-07
    current = models.ForeignKey(
        "ProcedureVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The ministry-level body responsible for the procedure's field (e.g. "Bộ Y tế"), as the
    # national catalogue lists it (issue #19).
    ministry = models.CharField(_("bộ, ngành"), max_length=120, blank=True, db_index=True)
    # A province announcement decision listing the procedure as repealed or not implemented
    # locally marks it here; its versions stay as they were (R-VER-01).
    implemented = models.BooleanField(_("tỉnh đang thực hiện"), default=True)
    not_implemented_from = models.DateField(null=True, blank=True)
    not_implemented_basis = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code_national"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code_national"], name="uniq_procedure_per_province"
            )
        ]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self) -> str:
        return self.code_national


class ProcedureVersion(TimeStampedModel):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    name = models.TextField()
    name_folded = models.TextField()
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="versions")
    competent_level = models.CharField(max_length=20, choices=CompetentLevel.choices)
    competent_body_type = models.CharField(max_length=120, blank=True)  # R-DEC-01
    implementing_units = models.ManyToManyField(Unit, blank=True, related_name="procedures")
    boundary_free = models.BooleanField(default=False)  # R-ORG-03
    boundary_free_basis = models.CharField(max_length=200, blank=True)
    online_level = models.CharField(
        max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.UNKNOWN
    )
    essential_full_process = models.BooleanField(default=False)  # R-ONL-04
    nationwide_centralized = models.BooleanField(default=False)  # R-ID-10
    channels = models.JSONField(default=list)  # ["counter", "online", "postal"]
    time_limit_value = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    time_limit_unit = models.CharField(max_length=15, choices=TimeUnit.choices)
    cutoff_1500 = models.BooleanField(default=False)  # R-TIME-05
    start_rule = models.CharField(
        max_length=200, default="Kể từ ngày nhận đủ hồ sơ hợp lệ"
    )  # R-TIME-04
    extension_rule = models.CharField(max_length=300, blank=True)
    supplement_mode = models.CharField(
        max_length=10, choices=SupplementMode.choices, default=SupplementMode.RESTART
    )
    fee_text = models.TextField(blank=True)
    fee_rules = models.JSONField(default=list)  # list of catalog.fees.FeeRule.to_dict()
    legal_basis = models.TextField(blank=True)
    source = models.TextField(blank=True)
    # Columns of the import format whose value was inferred rather than read from the source.
    inferred_fields = models.JSONField(default=list, blank=True)
    # The declaration (tờ khai) as data: catalog.declaration.Declaration (issue #14 item 2).
    declaration = models.JSONField(_("tờ khai (các trường khai báo)"), default=dict, blank=True)
    read_on = models.DateField(null=True, blank=True)  # when the source was read
    content_hash = models.CharField(max_length=64)
    # The province's decision publishing this version (quyết định công bố danh mục TTHC, DOMAIN
    # §11.2, R-CAT-02), for the 766 indicator "TTHC published/updated on time" (§10.4). Empty
    # until the province enters it; the importer never fills it (catalog/publication.py).
    publication_decision = models.CharField(_("số quyết định công bố"), max_length=60, blank=True)
    published_on = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    # Overrides the computed deadline (effective_from − MOTCUA_PUBLICATION_LEAD_WORKING_DAYS).
    publication_deadline = models.DateField(
        _("hạn công bố (nhập tay, thay cho hạn tính tự động)"), null=True, blank=True
    )

    class Meta:
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="uniq_procedure_version"),
        ]
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure.code_national} v{self.version}"


class Component(models.Model):
    """A dossier component (thành phần hồ sơ) of a version."""

    class Requirement(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        COPY = "copy", _("Bản sao")
        CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
        PRESENT = "present", _("Xuất trình")
        UNSPECIFIED = "unspecified", _("Theo quy định")

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveIntegerField()
    name = models.TextField()
    requirement = models.CharField(
        max_length=20, choices=Requirement.choices, default=Requirement.UNSPECIFIED
    )
    quantity = models.PositiveIntegerField(default=1)
    conditional = models.BooleanField(default=False)
    # The published text mixes documents with notes for officers; notes are shown as guidance,
    # not as checklist items (operators correct the flag in the catalogue).
    is_note = models.BooleanField(default=False)
    # A checklist item written by the catalogue team from the law (catalog/data/
    # curated_checklists.csv), as opposed to one read from the published wording.
    curated = models.BooleanField(default=False)
    legal_basis = models.CharField(max_length=300, blank=True)
    form_template = models.CharField(max_length=200, blank=True)
    replaceable_by = models.CharField(
        max_length=20, choices=DataSource.choices, blank=True
    )  # R-REUSE-05

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name[:80]


class ProcessStep(models.Model):
    """An internal process step with its duration in working hours (R-TIME-02/03)."""

    class Performer(models.TextChoices):
        ONE_STOP_OFFICER = "one_stop_officer", _("Cán bộ một cửa")
        SPECIALIST = "specialist", _("Chuyên viên xử lý")
        UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    duration_hours = models.DecimalField(max_digits=6, decimal_places=1)
    performer = models.CharField(max_length=20, choices=Performer.choices)

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


class ResultDocument(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="results")
    name = models.CharField(max_length=300)
    result_code = models.CharField(max_length=60, blank=True)  # R-REUSE-04

    class Meta:
        ordering = ["version", "name"]

    def __str__(self) -> str:
        return self.name
