"""What the citizen portal keeps of its own: the link between a citizen account and VNeID, and
e-form drafts with their uploaded files until the citizen submits them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Component
from motcua.core.models import TimeStampedModel
from motcua.dossiers.models import Dossier


class VneidIdentity(models.Model):
    """The VNeID account a citizen logged in with (R-AUTH-01/02). Only what the portal needs:
    the subject, the level of assurance of the last login, and contact details for prefilling
    e-forms (R-PDP-04 minimisation)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vneid"
    )
    sub = models.CharField(max_length=64, unique=True)  # TechID, stable per citizen
    loa = models.CharField(_("mức độ định danh"), max_length=1)  # "1" basic, "2" high
    account_kind = models.CharField(max_length=1, default="1")  # LoaiTaiKhoan
    address = models.CharField(max_length=300, blank=True)
    birth_date = models.CharField(max_length=8, blank=True)  # yyyyMMdd as given
    last_login_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tài khoản VNeID")
        verbose_name_plural = _("tài khoản VNeID")

    def __str__(self) -> str:
        return f"{self.user} (mức {self.loa})"


class Draft(TimeStampedModel):
    """An online application not yet submitted: the e-form's values and its uploads."""

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    procedure_code = models.CharField(max_length=8)
    data = models.JSONField(default=dict, blank=True)
    dossier = models.OneToOneField(
        Dossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")

    def __str__(self) -> str:
        return f"{self.procedure_code} · {self.citizen_id}"


class DraftFile(models.Model):
    """One uploaded document of a draft, already checked (type by content, size, pages)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="drafts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # "" for an upload; "store:r<token>" / "store:c34" when taken from the citizen's personal data
    # store (portal.store), so the dossier records where it came from (R-DIG-01 codes 3/2).
    source = models.CharField(max_length=30, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "component"], name="uniq_draft_component")
        ]

    def __str__(self) -> str:
        return self.original_name
