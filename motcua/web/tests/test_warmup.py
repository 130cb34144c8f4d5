"""The web process's warm-up (issue #14 item 9): what it prepares, and that it can be off."""

from __future__ import annotations

import pytest
from django.template import engines
from pytest_django.fixtures import Settings

from motcua.assistant import index
from motcua.web import warmup

pytestmark = pytest.mark.django_db


def test_the_warm_up_loads_the_urls_templates_and_the_index(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    settings.MOTCUA_ASSISTANT_INDEX_DIR = tmp_path
    settings.MOTCUA_ASSISTANT_PRELOAD = True
    loaded: list[int] = []
    monkeypatch.setattr(index, "retriever", loaded.append)
    warmup.warm_up()
    assert loaded == [settings.MOTCUA_PROVINCE_CODE]
    engine = engines["django"].engine  # type: ignore[attr-defined]
    for name in warmup.TEMPLATES:
        assert engine.get_template(name) is not None  # every listed template exists


def test_start_does_nothing_when_switched_off(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MOTCUA_WARM_UP = False
    calls: list[str] = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append("warm"))
    warmup.start()
    assert calls == []
    settings.MOTCUA_WARM_UP = True
    monkeypatch.setattr(warmup, "_DONE", type(warmup._DONE)())
    warmup.start()
    warmup.start()  # once per process
    assert calls == ["warm"]
