"""VNeID level of assurance (R-AUTH-02, R-ONL-05; Decree 69/2024): a level-1 account was
registered online, a level-2 account was enrolled in person with biometrics. Some procedures
(the judicial record on VNeID, for one) accept only level 2.

The level comes from the ID token's ``loAs`` claim (R-AUTH-01), else its OIDC ``acr``; anything
unreadable counts as level 1, the lower assurance. Which procedures need level 2 is not in the
national catalogue data, so it is configured: ``MOTCUA_VNEID_LOA2_PROCEDURES`` (national
procedure codes; default :data:`DEFAULT_LOA2_PROCEDURES`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings

LEVEL_BASIC = 1
LEVEL_HIGH = 2
#: Judicial record certificate (Phiếu lý lịch tư pháp), which VNeID itself serves only to
#: level-2 accounts (R-AUTH-02, R-ONL-05 [S]).
DEFAULT_LOA2_PROCEDURES: tuple[str, ...] = ("3.000333",)
#: ``acr`` values naming a level (OIDC Core §2); eIDAS-style words too.
_ACR_WORDS = {
    "low": LEVEL_BASIC,
    "basic": LEVEL_BASIC,
    "substantial": LEVEL_HIGH,
    "high": LEVEL_HIGH,
}
_ACR_DIGIT = re.compile(r"(?:loa|level|muc)[^0-9]{0,3}([0-9])$")


def _level(value: Any) -> int | None:
    text = str(value).strip().lower() if value is not None else ""
    if not text:
        return None
    if text.isdigit():
        return LEVEL_HIGH if int(text) >= LEVEL_HIGH else LEVEL_BASIC
    match = _ACR_DIGIT.search(text)
    if match:
        return LEVEL_HIGH if int(match.group(1)) >= LEVEL_HIGH else LEVEL_BASIC
    word = text.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return _ACR_WORDS.get(word)


def level_of(claims: Mapping[str, Any]) -> int:
    """The assurance level (1 or 2) the ID token asserts: ``loAs``, else ``acr``, else 1."""
    for name in ("loAs", "acr"):
        level = _level(claims.get(name))
        if level is not None:
            return level
    return LEVEL_BASIC


def required_level(procedure_code: str) -> int:
    """The level a procedure's online submission needs (R-AUTH-02)."""
    codes = getattr(settings, "MOTCUA_VNEID_LOA2_PROCEDURES", DEFAULT_LOA2_PROCEDURES)
    return LEVEL_HIGH if procedure_code in codes else LEVEL_BASIC


def session_level(raw: object) -> int:
    """The level kept in the session at login (a missing value is level 1)."""
    return _level(raw) or LEVEL_BASIC
