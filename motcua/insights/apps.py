from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "motcua.insights"
    label = "insights"

    def ready(self) -> None:
        from motcua.insights import reactions, rules  # noqa: F401 - rules registers permissions

        reactions.register()
