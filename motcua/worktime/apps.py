from __future__ import annotations

from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
    verbose_name = "Lịch làm việc và thời hạn"
