"""Rollups of the Decision 766 indicators (DESIGN §6: maintained incrementally, never by scanning
history), the 16-criteria checklist of the communes (R-IDX-09) and the stored periodic reports.

Written only by ``insights.rollups`` (in the dossier event's own transaction) and by the
``motcua rollups rebuild`` command; read by ``insights.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Unit
from motcua.dossiers.models import Dossier
from motcua.geo.models import Commune, Province


class DossierFact(models.Model):
    """What the indicators know about one received dossier, as of its latest event
    (``formulas.Fact``). The previous fact is what incremental maintenance subtracts."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    competent_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    receiving_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField()
    month = models.DateField()
    channel = models.CharField(max_length=10)
    field_id = models.CharField(max_length=20, blank=True)
    procedure_code = models.CharField(max_length=8)
    online_procedure = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10)
    ended_in_time = models.BooleanField(default=False)
    due_on = models.DateField(null=True)
    open_until = models.DateField(null=True)
    digitized = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    fee_bearing = models.BooleanField(default=False)
    cross_boundary = models.BooleanField(default=False)
    # db_default: rows written by COPY (bench seed) without these columns get false
    paid_online = models.BooleanField(default=False, db_default=False)
    rated = models.BooleanField(default=False, db_default=False)
    unsatisfied = models.BooleanField(default=False, db_default=False)
    synced = models.BooleanField(default=False, db_default=False)

    class Meta:
        indexes = [
            models.Index(fields=["competent_unit", "month", "outcome"]),
            models.Index(fields=["receiving_unit", "month"]),
            models.Index(
                fields=["open_until"], name="insights_fact_open", condition=models.Q(outcome="open")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.outcome}"


class Rollup(models.Model):
    """A counter per unit, cohort month and metric (``formulas.contributions``). Quarters, 6 and
    9 months and years are sums of months."""

    id = models.BigAutoField(primary_key=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    metric = models.CharField(max_length=60)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "metric"], name="uniq_rollup")
        ]
        # Covering: the board reads a period's counters by index only. Counters of one month
        # are scattered over the table (they grow as dossiers arrive), so a heap scan touched a
        # page per few rows: thousands of pages per quarter at 10M dossiers.
        indexes = [
            models.Index(
                fields=["month", "metric"], include=["unit", "value"], name="insights_rollup_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month} {self.metric}={self.value}"


class OpenRollup(models.Model):
    """Open dossiers of a cohort month by the last date they are still in time (R-TIME-15): the
    in-time count at any evaluation date E is the sum over ``open_until >= E``."""

    id = models.BigAutoField(primary_key=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    open_until = models.DateField()
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "open_until"], name="uniq_open_rollup")
        ]
        indexes = [
            models.Index(
                fields=["month", "open_until"],
                include=["unit", "value"],
                name="insights_open_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month} ≤{self.open_until}={self.value}"


class _ProcedureCounter(models.Model):
    """Dossiers per unit, month and procedure: a figure counts the distinct procedures."""

    id = models.BigAutoField(primary_key=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    procedure_code = models.CharField(max_length=8)
    value = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month} {self.procedure_code}={self.value}"


class ProcedureRollup(_ProcedureCounter):
    """Dossiers per unit, month and ONLINE procedure: "online services with dossiers" counts the
    distinct procedures here (kept apart so the board's counters stay a few rows per unit)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "procedure_code"], name="uniq_procedure_rollup"
            )
        ]
        indexes = [models.Index(fields=["month", "unit"])]


class PaidProcedureRollup(_ProcedureCounter):
    """Dossiers per unit, month and procedure that were paid online (R-PAY-04): "procedures with
    online payment transactions" counts the distinct procedures here."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "procedure_code"], name="uniq_paid_procedure_rollup"
            )
        ]
        indexes = [models.Index(fields=["month", "unit"])]


class FlowRollup(models.Model):
    """Boundary-free receipts (R-ORG-02): received at one commune's counter for another unit."""

    id = models.BigAutoField(primary_key=True)
    receiving_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    competent_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["receiving_unit", "competent_unit", "month"], name="uniq_flow_rollup"
            )
        ]
        indexes = [  # covering, as for Rollup
            models.Index(
                fields=["month"],
                include=["receiving_unit", "competent_unit", "value"],
                name="insights_flow_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.receiving_unit_id}→{self.competent_unit_id} {self.month}={self.value}"


class FlowQuarterRollup(models.Model):
    """``FlowRollup`` by quarter (``quarter`` = its first day): a quarter's top flows are the
    first rows of an index, with nothing to add up."""

    id = models.BigAutoField(primary_key=True)
    receiving_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    competent_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    quarter = models.DateField()
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["receiving_unit", "competent_unit", "quarter"], name="uniq_flow_quarter"
            )
        ]
        indexes = [
            models.Index(
                "quarter",
                models.F("value").desc(),
                name="insights_flowq_top",
            )
        ]

    def __str__(self) -> str:
        return f"{self.receiving_unit_id}→{self.competent_unit_id} {self.quarter}={self.value}"


class Criterion(models.Model):
    """One criterion of the communes' checklist (R-IDX-09). The 16 criteria of Plan 02-KH/BCĐTW
    were not found (DOMAIN §10.5): the seeded rows are placeholders until a province enters the
    official text."""

    code = models.CharField(max_length=10, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    official = models.BooleanField(default=False)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"


class CriterionStatus(models.Model):
    class Status(models.TextChoices):
        NOT_ASSESSED = "chua_danh_gia", _("Chưa đánh giá")
        MET = "dat", _("Đạt")
        NOT_MET = "chua_dat", _("Chưa đạt")

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="statuses")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NOT_ASSESSED)
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "commune"], name="uniq_criterion_commune")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id} {self.commune_id} {self.status}"


class Report(models.Model):
    """A periodic report as generated (R-IDX-05): the file, the figures' formula version, who
    asked (the schedule or an officer)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    id = models.BigAutoField(primary_key=True)
    scope = models.CharField(max_length=60)  # province | commune:<code> | unit:<uuid>
    scope_name = models.CharField(max_length=255)
    period_kind = models.CharField(max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    fmt = models.CharField(max_length=4, choices=Format.choices)
    content = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    formula_version = models.CharField(max_length=30)
    created_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scope", "period_kind", "period_start"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.period_kind} {self.period_start} {self.fmt}"

    @property
    def filename(self) -> str:
        key = self.scope.replace(":", "-")
        return f"bao-cao-766-{key}-{self.period_kind}-{self.period_start:%Y%m%d}.{self.fmt}"


class ReportingClient(models.Model):
    """A machine client of the reporting API (the provincial electronic reporting system): a
    bearer key, stored as its SHA-256 only, read-only and scoped to one province. Created and
    revoked with ``motcua reporting_keys``; the plain key is shown once, at creation."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=200)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=16, unique=True)  # the public part, to find the row
    key_hash = models.CharField(max_length=64)  # sha256 hex of the whole key
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
