"""The working calendar, per province and year (R-CAL-01..04), stored as explicit entries.

Every entry carries its legal basis (R-VER-01). Weekends are not stored: a day is a working day
iff it is Monday-Friday and has no day-off entry, or it has a swapped-working-day entry (R-CAL-02).
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.geo.models import Province


# Session defaults are callables: Django's fields.W161 check compares a fixed time default
# with the clock and would warn (and fail `check --deploy`) whenever it runs at 17:00 sharp.
def default_morning_start() -> time:
    return time(7, 0)


def default_morning_end() -> time:
    return time(11, 30)


def default_afternoon_start() -> time:
    return time(13, 30)


def default_afternoon_end() -> time:
    return time(17, 0)


def default_cutoff() -> time:
    return time(15, 0)


class WorkingCalendar(models.Model):
    province = models.OneToOneField(Province, on_delete=models.PROTECT, related_name="calendar")
    # R-TIME-03: default sessions 07:00-11:30 and 13:30-17:00, configurable per province.
    morning_start = models.TimeField(default=default_morning_start)
    morning_end = models.TimeField(default=default_morning_end)
    afternoon_start = models.TimeField(default=default_afternoon_start)
    afternoon_end = models.TimeField(default=default_afternoon_end)
    cutoff = models.TimeField(default=default_cutoff)  # R-TIME-05
    # R-TIME-09 production option: skip days off inside a calendar-day span.
    skip_holidays_in_calendar_days = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lịch làm việc")
        verbose_name_plural = _("lịch làm việc")

    def __str__(self) -> str:
        return f"Lịch làm việc {self.province.name}"


class EntryKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày lễ, Tết")
    COMPENSATORY_DAY_OFF = "compensatory_day_off", _("Nghỉ bù")
    SWAPPED_DAY_OFF = "swapped_day_off", _("Nghỉ hoán đổi")
    SWAPPED_WORKING_DAY = "swapped_working_day", _("Làm việc bù (hoán đổi)")


DAY_OFF_KINDS = frozenset(
    {EntryKind.HOLIDAY, EntryKind.COMPENSATORY_DAY_OFF, EntryKind.SWAPPED_DAY_OFF}
)


class CalendarEntry(models.Model):
    calendar = models.ForeignKey(WorkingCalendar, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField()
    kind = models.CharField(max_length=30, choices=EntryKind.choices)
    name = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=300)
    verified = models.BooleanField(
        default=True, help_text=_("Bỏ chọn khi ngày này chưa đối chiếu văn bản (DOMAIN §6.2 [I]).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="uniq_calendar_day"),
        ]
        verbose_name = _("ngày đặc biệt")
        verbose_name_plural = _("ngày đặc biệt")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class CalendarChange(models.Model):
    """Audit trail of calendar edits (who added or removed which day, when, why)."""

    class Action(models.TextChoices):
        ADDED = "added", _("Thêm")
        REMOVED = "removed", _("Xóa")
        CUTOFF = "cutoff", _("Đổi giờ tiếp nhận muộn nhất")

    calendar = models.ForeignKey(WorkingCalendar, on_delete=models.CASCADE, related_name="changes")
    day = models.DateField()
    action = models.CharField(max_length=10, choices=Action.choices)
    kind = models.CharField(max_length=30, choices=EntryKind.choices)
    name = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} {self.day:%d/%m/%Y}"
