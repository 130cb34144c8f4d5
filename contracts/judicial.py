"""Judicial Record Database lookup contract (R-REUSE-03 item 8, R-PDP-02) [I].

Replaces the judicial record certificate (Phiếu lý lịch tư pháp). DOMAIN.md gives no API; this
one reuses the ``{error_code, message}`` envelope with ``message`` = JSON ``JudicialRecord``
[I]. ``LoaiPhieu`` ``"1"`` (default) omits convictions that have been expunged (đã được xóa án
tích) and then reads "Không có án tích"; ``"2"`` lists every conviction. Requests are
purpose-bound (:mod:`contracts.purpose`).
"""

from __future__ import annotations

import json
from typing import Annotated, Final, Literal

from pydantic import BaseModel, StringConstraints

from contracts.purpose import (
    ERR_INVALID,
    ERR_NOT_FOUND,
    ERR_OK,
    ERR_PURPOSE_REQUIRED,
    LookupReply,
    PurposeBoundRequest,
)

__all__ = [
    "ERR_INVALID",
    "ERR_NOT_FOUND",
    "ERR_OK",
    "ERR_PURPOSE_REQUIRED",
    "HAS_RECORD",
    "LOOKUP_PATH",
    "NO_BAN",
    "NO_RECORD",
    "Conviction",
    "JudicialRecord",
    "LookupReply",
    "LookupRequest",
    "parse_message",
]

LOOKUP_PATH: Final = "/api/judicial/lookup"
NO_RECORD: Final = "Không có án tích"
HAS_RECORD: Final = "Có án tích"
NO_BAN: Final = "Không bị cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp, hợp tác xã"


class LookupRequest(PurposeBoundRequest):
    """Record of one person; ``LoaiPhieu`` "1" or "2"."""

    SoDinhDanh: Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
    LoaiPhieu: Literal["1", "2"] = "1"


class Conviction(BaseModel):
    """One criminal conviction (án tích)."""

    SoBanAn: str
    NgayTuyenAn: str  # yyyyMMdd
    ToaAnTuyen: str
    ToiDanh: str
    DieuKhoan: str
    HinhPhat: str
    NgayChapHanhXong: str  # yyyyMMdd
    DaDuocXoaAnTich: bool


class JudicialRecord(BaseModel):
    """What the judicial record database says about one person."""

    SoDinhDanh: str
    HoVaTen: str
    NgaySinh: str
    LoaiPhieu: str
    TinhTrangAnTich: str  # NO_RECORD or HAS_RECORD
    DanhSachAnTich: list[Conviction] = []
    CamDamNhiemChucVu: str = NO_BAN


def parse_message(message: str) -> JudicialRecord:
    """Read the record out of a successful reply's ``message``."""
    return JudicialRecord.model_validate(json.loads(message))
