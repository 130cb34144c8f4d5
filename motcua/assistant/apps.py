from __future__ import annotations

import threading

from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "motcua.assistant"
    label = "assistant"

    def ready(self) -> None:
        """Web processes load the saved retrieval index in the background at start-up (no
        database access here), so the first question does not wait for it
        (``MOTCUA_ASSISTANT_PRELOAD``, on by default, off under tests)."""
        from django.conf import settings

        if not getattr(settings, "MOTCUA_ASSISTANT_PRELOAD", False):
            return
        from motcua.assistant.index import preload

        threading.Thread(
            target=preload,
            args=(settings.MOTCUA_PROVINCE_CODE,),
            name="assistant-preload",
            daemon=True,
        ).start()
