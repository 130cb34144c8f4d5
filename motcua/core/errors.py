"""Errors a person sees: Vietnamese first, English second, and nothing changed.

Domain code raises a subclass of :class:`MotcuaError`; the API turns it into the error envelope
``{"code", "message", "message_en", "details"}`` and the pages show ``message`` in the active
language. Messages are written in Vietnamese (the source language of the .po files), with
``{named}`` placeholders.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation


class MotcuaError(Exception):
    """Base of every error that reaches a person."""

    code = "error"
    http_status = 400

    def __init__(self, message_vi: str, message_en: str, **details: Any) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en
        self.details = details

    @property
    def message(self) -> str:
        """The message in the active language (Vietnamese unless English was chosen)."""
        if (translation.get_language() or "vi").startswith("en"):
            return self.message_en
        return self.message_vi

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message_vi,
            "message_en": self.message_en,
            "details": self.details,
        }


class NotFound(MotcuaError):
    """Missing and forbidden look the same, so errors never reveal what exists."""

    code = "not_found"
    http_status = 404

    def __init__(self, what_vi: str = "Không tìm thấy", what_en: str = "Not found") -> None:
        super().__init__(
            f"{what_vi} hoặc bạn không có quyền truy cập.",
            f"{what_en}, or you do not have access to it.",
        )


class PermissionDenied(MotcuaError):
    code = "forbidden"
    http_status = 403


class ValidationFailed(MotcuaError):
    code = "invalid"
    http_status = 422


class Conflict(MotcuaError):
    code = "conflict"
    http_status = 409
