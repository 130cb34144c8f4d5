"""Accounts: officers with role assignments per unit, and citizens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Unit


class Role(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    PROVINCIAL_ADMIN = "provincial_admin", _("Quản trị cấp tỉnh")
    IOC_VIEWER = "ioc_viewer", _("Trung tâm điều hành (xem)")
    # The clerk's office (văn thư) of a body: registers incoming documents, numbers and releases
    # outgoing ones and alone applies the body's digital signature (DOMAIN.md R-DOC-10).
    CLERK = "clerk", _("Văn thư")


# Roles whose holders must pass a TOTP second factor before anything else (issue #3, item 5).
SECOND_FACTOR_ROLES = frozenset({Role.UNIT_LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_ADMIN})


class User(AbstractUser):
    class Kind(models.TextChoices):
        OFFICER = "officer", _("Cán bộ, công chức")
        CITIZEN = "citizen", _("Công dân, tổ chức")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    # Personal ID number (12 digits, R-ID-15); links a VNeID login to the citizen account.
    citizen_id = models.CharField(max_length=12, unique=True, null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    job_title = models.CharField(_("chức danh"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_officer(self) -> bool:
        return self.kind == self.Kind.OFFICER

    def role_set(self) -> set[str]:
        return {a.role for a in self.role_assignments.all()}

    def needs_second_factor(self) -> bool:
        return second_factor_required(self, self.role_set())


def second_factor_required(user: User, roles: set[str]) -> bool:
    """Leaders and admins (and superusers) log in with a TOTP second factor."""
    return user.is_superuser or bool(roles & SECOND_FACTOR_ROLES)


class RoleAssignment(models.Model):
    """User × unit × role. A role held at a unit covers that unit and the units below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="uniq_role_assignment")
        ]
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class PersonalDataAccess(models.Model):
    """One lookup of a person's data in a national registry (R-PDP-02, R-PDP-07, R-POP-03).

    Written *before* the request leaves (status ``sent``) and completed with the reply, so a
    lookup whose reply never came is still on record. Refused attempts (no dossier or purpose)
    are recorded too. Never edited afterwards except to complete the reply and to link a counter
    intake's lookups to the dossier it became (``intake_ref``); citizens see the
    rows about them (``subject_id_number``), operators export them (R-PDP-08)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Đã gửi, chưa có trả lời")
        OK = "ok", _("Có dữ liệu")
        NOT_FOUND = "not_found", _("Không có dữ liệu")
        REFUSED = "refused", _("Từ chối: thiếu hồ sơ hoặc mục đích")
        FAILED = "failed", _("Lỗi kết nối")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    system = models.CharField(max_length=20)  # catalog.DataSource value, e.g. "population"
    subject_id_number = models.CharField(max_length=20, db_index=True)
    dossier_ref = models.CharField(max_length=60, blank=True, db_index=True)  # code or id
    # The counter intake (TQ-…) a lookup served before its dossier existed: the dossier's code
    # (or id) replaces ``dossier_ref`` in the receipt's transaction (issue #14, desk.counter).
    intake_ref = models.CharField(max_length=60, blank=True, db_index=True)
    procedure_code = models.CharField(max_length=20, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    request = models.JSONField(default=dict)  # what was sent, without secrets
    fields_returned = models.JSONField(default=list)  # names only, never the values
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    remote_ref = models.CharField(max_length=60, blank=True)  # MaTraCuu (R-REUSE-06)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unit", "at"]), models.Index(fields=["actor", "at"])]
        verbose_name = _("lượt truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")

    def __str__(self) -> str:
        return f"{self.system} {self.subject_id_number} by {self.actor_id} @ {self.at.isoformat()}"
