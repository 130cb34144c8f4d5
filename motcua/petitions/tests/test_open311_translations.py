"""The petitions app's English catalogue (the Open311 strings, issue #18) is complete, and every
Vietnamese message of the Open311 models and admin pages is in it."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from motcua.petitions.models import Open311Client, PetitionChannel

APP = Path(__file__).resolve().parents[1]
PO = APP / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _catalogue() -> dict[str, str]:
    pairs = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', PO.read_text(encoding="utf-8"), re.M)
    return {msgid: msgstr for msgid, msgstr in pairs if msgid}


def test_every_message_has_an_english_translation() -> None:
    catalogue = _catalogue()
    assert len(catalogue) >= 20
    assert [m for m, s in catalogue.items() if not s] == []


def test_the_open311_strings_are_all_in_the_catalogue() -> None:
    catalogue = _catalogue()
    models = (APP / "models.py").read_text(encoding="utf-8")
    tail = models[models.index("# ----") :]  # the Open311 models
    wanted = set(re.findall(r'_\("([^"]+)"\)', tail))
    admin = (APP / "admin.py").read_text(encoding="utf-8")
    wanted |= set(re.findall(r'(?:_|gettext_lazy)\("([^"]+)"\)', admin))
    wanted |= {"Ứng dụng (Open311)", "vĩ độ", "kinh độ", "địa chỉ"}
    assert sorted(wanted - set(catalogue)) == []


def test_labels_switch_to_english() -> None:
    with translation.override("en"):
        assert str(PetitionChannel.OPEN311.label) == "App (Open311)"
        assert str(Open311Client._meta.verbose_name) == "Open311 API key"
