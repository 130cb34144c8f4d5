"""Every Vietnamese message of the opendata app has an English translation, not fuzzy."""

from __future__ import annotations

from pathlib import Path

from motcua.web.tests.test_translations import _entries

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_opendata_catalogue_is_complete() -> None:
    entries = [e for e in _entries(PO.read_text(encoding="utf-8")) if e[0]]
    assert len(entries) > 140
    assert [m for m, s, _ in entries if not s] == []
    assert [m for m, _, fuzzy in entries if fuzzy] == []
