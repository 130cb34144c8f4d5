from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "motcua.insights"
    label = "insights"
