"""The 1022 hotline system contract (issue #18, channels).

A province's 1022 hotline (tổng đài 1022) takes citizens' calls about broken streetlights,
flooded roads, litter, administrative procedures …; its operators type each call into their
console. The simulated hotline system (``simulators.hotline``) is that console's back end: an
operator's call record comes in on ``POST /api/calls`` and the system pushes it into Motcua
through Motcua's public **Open311 GeoReport v2** API (``POST requests.json``, form-encoded) with
the key issued to the hotline (``motcua open311 key "Tổng đài 1022" --channel hotline``), so
Motcua records the report's channel as *hotline*. The contract of that push is Open311's
(docs/open311.md); this module holds the console side [I: no national specification of 1022
systems is cited in DOMAIN.md].

A call is pushed once: ``call_id`` is the operator console's id and a repeated ``POST`` of the
same ``call_id`` returns the stored record without a second push. A push that fails on the
transport (Motcua unreachable, 5xx) leaves the call ``pending``; ``POST /api/calls/push`` retries
every pending call. A report Motcua refuses (4xx, Open311 errors) is ``refused`` with Motcua's
description, and is not retried.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, Field, StringConstraints

CALLS_PATH: Final = "/api/calls"
PUSH_PATH: Final = "/api/calls/push"

ERR_OK: Final = "0"
ERR_INVALID: Final = "-1"
ERR_NOT_FOUND: Final = "-3"

#: What happened to a call's push into Motcua.
PushStatus = Literal["pending", "pushed", "refused"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class Call(BaseModel):
    """One call as the operator typed it."""

    call_id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    caller_name: Annotated[str, StringConstraints(min_length=1, max_length=150)]
    caller_phone: Annotated[str, StringConstraints(min_length=9, max_length=15)]
    service_code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    address: Text = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    attributes: dict[str, str] = Field(default_factory=dict)


class CallRecord(BaseModel):
    """A stored call and its push."""

    error_code: str = ERR_OK
    message: str = ""
    call_id: str
    status: PushStatus
    service_request_id: str = ""
    token: str = ""
    refusal: str = ""
    attempts: int = 0


class PushResult(BaseModel):
    """Reply to ``POST /api/calls/push``: how many pending calls were pushed now."""

    error_code: str = ERR_OK
    pushed: int
    refused: int
    pending: int
