"""API schemas shared by every app's router (the error envelope lives in core so any app may
document it without importing the assembled API)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """The one error envelope: Vietnamese message first, English second."""

    code: str
    message: str
    message_en: str
    details: dict[str, Any] = {}
