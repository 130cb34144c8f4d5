"""SMS gateway contract (brand-name SMS, notifications to applicants).

No national specification is cited in DOMAIN.md; this is a small, typical gateway contract
[I]: ``POST /api/sms/send`` with the phone, the text and an idempotency key (also accepted as
the ``Idempotency-Key`` header). Vietnamese text with diacritics is sent as UCS-2, so a segment
holds 70 characters (67 when concatenated); plain ASCII holds 160 (153).
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, StringConstraints

SEND_PATH: Final = "/api/sms/send"

ERR_OK: Final = "0"
ERR_INVALID_PHONE: Final = "-1"
ERR_TOO_LONG: Final = "-2"
ERR_IDEMPOTENCY_MISMATCH: Final = "-4"

#: At most this many concatenated segments per message.
MAX_SEGMENTS: Final = 5


class SendRequest(BaseModel):
    """One SMS to one phone."""

    phone: Annotated[str, StringConstraints(min_length=9, max_length=15)]
    text: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    idempotency_key: str | None = None
    brandname: str | None = None


class SendResponse(BaseModel):
    """Reply to a send: ``message_id`` is stable for a repeated idempotency key."""

    error_code: str
    message: str
    message_id: str | None = None
    segments: int | None = None


def segment_count(text: str) -> int:
    """Segments needed for ``text``: GSM-7-ish ASCII 160/153, otherwise UCS-2 70/67."""
    single, multi = (160, 153) if text.isascii() else (70, 67)
    if len(text) <= single:
        return 1
    return -(-len(text) // multi)
