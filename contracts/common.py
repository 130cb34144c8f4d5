"""Shared shapes for every national-system contract (R-XCH-01, R-SYNC-02, R-SYNC-03).

The national systems answer with a small envelope ``{"error_code": "...", "message": "..."}``
where ``"0"`` means success. Datetimes travel as ``yyyyMMddHHmmss`` strings in local time
(Asia/Ho_Chi_Minh), never as ISO strings (R-SYNC-03).

This package is imported by the platform's adapters (``motcua.exchange``) and by the
simulators; it must never import ``motcua`` itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

#: Vietnam does not observe daylight saving time; a fixed offset avoids a tzdata dependency.
VN_TZ = timezone(timedelta(hours=7), name="Asia/Ho_Chi_Minh")

#: ``yyyyMMddHHmmss`` local time (R-SYNC-03).
Timestamp = Annotated[str, StringConstraints(pattern=r"^\d{14}$")]

#: ``yyyyMMdd`` local date.
DateString = Annotated[str, StringConstraints(pattern=r"^\d{8}$")]

#: A 0/1 flag as the national systems send it.
Flag01 = Annotated[str, StringConstraints(pattern=r"^[01]$")]

SUCCESS = "0"


def format_ts(moment: datetime) -> str:
    """Render an aware datetime as ``yyyyMMddHHmmss`` in Vietnam local time (R-SYNC-03)."""
    if moment.tzinfo is None:
        msg = "naive datetime: pass an aware datetime"
        raise ValueError(msg)
    return moment.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


def now_ts() -> str:
    """The current moment as ``yyyyMMddHHmmss`` local time."""
    return format_ts(datetime.now(tz=VN_TZ))


class ContractModel(BaseModel):
    """Base for every contract model: unknown fields are kept, names are used as-is."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ApiResponse(BaseModel):
    """The national systems' reply envelope (R-SYNC-02, R-PAY-05, R-POP-02).

    ``error_code == "0"`` is success; anything else is a business error whose meaning is in
    ``message``. The shape is the same for the simulators' own errors (401, faults).
    """

    model_config = ConfigDict(extra="allow")

    error_code: str
    message: str

    @property
    def ok(self) -> bool:
        """True when the call succeeded (``error_code == "0"``)."""
        return self.error_code == SUCCESS
