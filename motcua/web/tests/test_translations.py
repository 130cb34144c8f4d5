"""The English catalogue is complete: every Vietnamese message has a translation that is not
marked fuzzy (the product speaks Vietnamese first, English second)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry; plural forms are joined."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        parts: dict[str, str] = {}
        key = ""
        for line in lines:
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', line)
            if m:
                key = m.group(1)
                parts[key] = parts.get(key, "") + m.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        msgstr = "".join(v for k, v in parts.items() if k.startswith("msgstr"))
        out.append((parts.get("msgid", ""), msgstr, fuzzy))
    return out


def test_every_message_has_a_reviewed_english_translation() -> None:
    entries = [e for e in _entries(PO.read_text(encoding="utf-8")) if e[0]]  # not the header
    assert len(entries) > 600
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries if is_fuzzy]
    assert untranslated == []
    assert fuzzy == []


APP_CATALOGUES = sorted(
    (Path(settings.BASE_DIR) / "motcua").glob("*/locale/en/LC_MESSAGES/django.po")
)


@pytest.mark.parametrize("po", APP_CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_apps_own_catalogue_is_complete(po: Path) -> None:
    """Apps that keep their own catalogue (makemessages writes an app's strings there) are held
    to the same rule."""
    entries = [e for e in _entries(po.read_text(encoding="utf-8")) if e[0]]
    assert entries
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == []
    assert [msgid for msgid, _, is_fuzzy in entries if is_fuzzy] == []


def test_the_parser_sees_a_missing_translation() -> None:
    sample = 'msgid ""\nmsgstr "header"\n\n#, fuzzy\nmsgid "Hồ sơ"\nmsgstr ""\n'
    assert _entries(sample) == [("", "header", False), ("Hồ sơ", "", True)]
