from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings


class InsightsConfig(AppConfig):
    name = "motcua.insights"
    label = "insights"

    def ready(self) -> None:
        from motcua.insights import formulas, reactions, rules  # noqa: F401 - rules registers permissions

        reactions.register()
        formulas.configure(zero_earns_partial=settings.MOTCUA_766_ZERO_EARNS_PARTIAL)
