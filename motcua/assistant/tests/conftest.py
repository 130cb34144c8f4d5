from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def assistant_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Saved indexes go to a temporary directory; a changed catalogue is re-indexed in the
    request (a background thread would not see the test's transaction)."""
    directory = tmp_path_factory.getbasetemp() / "assistant-index"
    settings.MOTCUA_ASSISTANT_INDEX_DIR = directory
    settings.MOTCUA_ASSISTANT_SYNC_REBUILD = True
    return directory
