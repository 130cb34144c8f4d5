"""The web process's warm-up (issue #14 item 9): what it prepares, and that it can be off."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.agencies.models import Unit
from motcua.assistant import index
from motcua.core.text import vi_sort_key
from motcua.web import warmup

pytestmark = pytest.mark.django_db


def test_the_warm_up_loads_the_urls_templates_and_the_index(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    settings.MOTCUA_ASSISTANT_INDEX_DIR = tmp_path
    settings.MOTCUA_ASSISTANT_PRELOAD = True
    loaded: list[int] = []
    monkeypatch.setattr(index, "retriever", loaded.append)
    served: list[str] = []
    monkeypatch.setattr(warmup, "_serve_pages", lambda: served.append("pages"))
    warmup.warm_up()
    assert loaded == [settings.MOTCUA_PROVINCE_CODE]
    assert served == ["pages"]
    engine = engines["django"].engine  # type: ignore[attr-defined]
    for name in warmup.TEMPLATES:
        assert engine.get_template(name) is not None  # every listed template exists
    # What the listed templates extend and include by name is compiled too (issue #14 item 9).
    cached = engine.template_loaders[0].get_template_cache
    assert {"web/base.html", "portal/apply/field.html"} <= set(cached)


def test_the_warm_up_serves_the_first_pages_and_keeps_the_units_sort_keys(
    settings: Settings,
) -> None:
    """The front page, the catalogue and its search are served in-process (they only read);
    every unit's Vietnamese sort key is memoised for the e-form's lists."""
    units = Unit.objects.filter(province_id=settings.MOTCUA_PROVINCE_CODE).count()
    vi_sort_key.cache_clear()
    statuses: list[int] = []
    original = Client.get

    def get(client: Client, path: str, *args: object, **kwargs: object) -> object:
        response = original(client, path, *args, **kwargs)  # type: ignore[arg-type]
        statuses.append(response.status_code)
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "get", get)
        warmup.warm_up()
    assert statuses == [200] * len(warmup.PAGES)
    assert vi_sort_key.cache_info().currsize >= units > 0


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
