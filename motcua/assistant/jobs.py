"""Worker job: keep the saved retrieval index in step with the catalogue (config/jobs.py)."""

from __future__ import annotations

from django.conf import settings

from motcua.assistant import index


def refresh_index() -> None:
    """Build and save the index when the catalogue changed (a new version, an import), so web
    processes load the file instead of building it; a no-op while nothing changed."""
    index.refresh(settings.MOTCUA_PROVINCE_CODE)
