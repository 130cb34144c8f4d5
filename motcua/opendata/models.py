"""Published open data: every version of every resource (table) with its content hash, the rows
of the version in force (the CKAN datastore), the datasets an administrator holds back, and the
runs of the publication job (resumable, with their progress).

Written only by ``opendata.publish``; read by ``opendata.selectors``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetControl(models.Model):
    """An administrator's decision about one dataset (by its slug in ``opendata.datasets``)."""

    dataset = models.SlugField(_("bộ dữ liệu"), max_length=80, unique=True)
    held_back = models.BooleanField(
        _("tạm ngừng công bố"),
        default=False,
        help_text=_("Bộ dữ liệu bị ẩn khỏi trang, API và DCAT; công việc định kỳ bỏ qua nó."),
    )
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dataset"]
        verbose_name = _("kiểm soát công bố bộ dữ liệu")
        verbose_name_plural = _("kiểm soát công bố bộ dữ liệu")

    def __str__(self) -> str:
        return self.dataset


class ResourceVersion(models.Model):
    """One published version of one table of a dataset. A new version is written only when the
    content hash changes; ``current`` marks the version served (one per resource)."""

    id = models.BigAutoField(primary_key=True)
    dataset = models.SlugField(max_length=80)
    resource = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    fields = models.JSONField(default=list)  # [{"id", "type", "label"}] in column order
    row_count = models.PositiveIntegerField(default=0)
    suppressed_cells = models.PositiveIntegerField(default=0)
    last_modified = models.DateTimeField()
    complete = models.BooleanField(default=False)  # all rows written
    current = models.BooleanField(default=False)
    held_back = models.BooleanField(default=False)  # computed while its dataset was held back

    class Meta:
        ordering = ["dataset", "resource", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "resource", "version"], name="uniq_opendata_version"
            ),
            models.UniqueConstraint(
                fields=["dataset", "resource"],
                condition=models.Q(current=True),
                name="uniq_opendata_current",
            ),
        ]
        verbose_name = _("phiên bản tài nguyên")
        verbose_name_plural = _("phiên bản tài nguyên")

    def __str__(self) -> str:
        return f"{self.dataset}/{self.resource} v{self.version}"


class DatastoreRow(models.Model):
    """One row of a resource version: ``data`` keyed by field id; ``text`` is the accent-folded
    text of the row, for ``datastore_search``'s ``q``."""

    id = models.BigAutoField(primary_key=True)
    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="rows")
    n = models.PositiveIntegerField()
    data = models.JSONField()
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "n"], name="uniq_opendata_row"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}#{self.n}"


class PublicationRun(models.Model):
    """One run of the publication job: which resources are done (so a crashed run resumes where
    it stopped) and its progress."""

    id = models.BigAutoField(primary_key=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.JSONField(default=list)  # ["dataset/resource", ...]
    published = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # held back
    progress = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("lượt công bố dữ liệu mở")
        verbose_name_plural = _("lượt công bố dữ liệu mở")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.progress}"
