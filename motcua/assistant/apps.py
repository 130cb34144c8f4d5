from __future__ import annotations

from django.apps import AppConfig


class AssistantConfig(AppConfig):
    """The saved retrieval index is loaded by the web process's warm-up thread
    (``motcua/web/warmup.py``, ``MOTCUA_ASSISTANT_PRELOAD``), not here: management commands and
    the worker do not need it at start."""

    name = "motcua.assistant"
    label = "assistant"
