from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "motcua.insights"
    label = "insights"

    def ready(self) -> None:
        from motcua.insights import rules  # noqa: F401 - registers the permissions

        register_rollup_hook()


def register_rollup_hook() -> None:
    """Keep the rollups current from every state event (DESIGN §6). ``dossiers`` sits below
    ``insights`` and may not import it, so the transition core offers a list of reactions,
    ``EVENT_HOOKS``, called after each event in its transaction; we register ours there
    explicitly (no signals). Until the core has the list, nothing is registered."""
    from motcua.dossiers.actions import core
    from motcua.insights.rollups import apply_event

    hooks = getattr(core, "EVENT_HOOKS", None)
    if isinstance(hooks, list) and apply_event not in hooks:
        hooks.append(apply_event)
