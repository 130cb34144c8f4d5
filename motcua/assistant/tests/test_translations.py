"""The assistant's English catalogue is complete (Vietnamese first, English second)."""

from __future__ import annotations

from pathlib import Path

from motcua.web.tests.test_translations import _entries

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_assistant_message_has_an_english_translation() -> None:
    entries = [e for e in _entries(PO.read_text(encoding="utf-8")) if e[0]]
    assert len(entries) > 40
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == []
    assert [msgid for msgid, _, fuzzy in entries if fuzzy] == []
