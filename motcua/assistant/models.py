"""The question log: what citizens ask, without personal data (R-PDP: nothing that identifies
them — no account, no address, numbers that look like ID or phone numbers masked)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AskedQuestion(models.Model):
    class Channel(models.TextChoices):
        PORTAL = "portal", _("Cổng dịch vụ công")
        API = "api", "API"

    id = models.BigAutoField(primary_key=True)
    asked_at = models.DateTimeField(auto_now_add=True, db_index=True)
    province_code = models.PositiveIntegerField()
    text = models.CharField(_("câu hỏi (đã che số)"), max_length=500)
    folded = models.CharField(max_length=500, db_index=True)  # groups the same question
    behaviour = models.CharField(max_length=20)
    reason = models.CharField(max_length=20, blank=True)  # out_of_scope: court, chat, nothing…
    codes = models.JSONField(default=list)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("câu hỏi cho trợ lý")
        verbose_name_plural = _("câu hỏi cho trợ lý")

    def __str__(self) -> str:
        return self.text[:80]
