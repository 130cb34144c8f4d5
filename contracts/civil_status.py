"""Electronic Civil Status Database lookup contract (R-REUSE-03 item 2, R-PDP-02) [I].

DOMAIN.md names the database and what it replaces (birth, marriage, death papers; marital
status) but not its API; this one reuses the ``{error_code, message}`` envelope with the
person's record as a JSON string in ``message`` [I]. Requests are purpose-bound
(:mod:`contracts.purpose`). Dates are ``yyyyMMdd``; addresses are the population address
object (province + commune, R-POP-04).
"""

from __future__ import annotations

import json
from typing import Annotated, Final, Literal

from pydantic import BaseModel, StringConstraints

from contracts.population import Address
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
    "LOOKUP_PATH",
    "MARITAL_STATUS",
    "BirthRecord",
    "CivilStatusRecord",
    "DeathRecord",
    "LookupReply",
    "LookupRequest",
    "MarriageRecord",
    "PersonRef",
    "parse_message",
]

LOOKUP_PATH: Final = "/api/civil-status/lookup"

#: ``TinhTrangHonNhan`` codes (same as the population record).
MARITAL_STATUS: Final = {"1": "Chưa kết hôn", "2": "Đã kết hôn", "3": "Ly hôn", "4": "Góa"}


class LookupRequest(PurposeBoundRequest):
    """Records of one person; ``LoaiSuKien`` narrows to births (KS), marriages (KH), deaths (KT)."""

    SoDinhDanh: Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
    LoaiSuKien: Literal["KS", "KH", "KT"] | None = None


class PersonRef(BaseModel):
    """A person named in a record."""

    HoVaTen: str
    SoDinhDanh: str = ""
    NgaySinh: str = ""
    QuocTich: str = "VN"


class _Registration(BaseModel):
    SoDangKy: str
    QuyenSo: str
    NgayDangKy: str
    CoQuanDangKy: str
    NoiDangKy: Address


class BirthRecord(_Registration):
    """Birth registration (đăng ký khai sinh)."""

    HoVaTen: str
    GioiTinh: str  # "1" nam, "2" nữ
    NgaySinh: str
    NoiSinh: Address
    DanToc: str
    QuocTich: str = "VN"
    Cha: PersonRef | None = None
    Me: PersonRef | None = None


class MarriageRecord(_Registration):
    """Marriage registration (đăng ký kết hôn) and what became of it."""

    Chong: PersonRef
    Vo: PersonRef
    TrangThai: str  # "Đang có hiệu lực", "Đã ly hôn", "Chấm dứt do vợ/chồng chết"
    NgayChamDut: str = ""


class DeathRecord(_Registration):
    """Death registration (đăng ký khai tử)."""

    HoVaTen: str
    SoDinhDanh: str
    NgayChet: str
    NoiChet: Address
    NguyenNhan: str


class CivilStatusRecord(BaseModel):
    """Everything the civil-status database holds on one person."""

    SoDinhDanh: str
    HoVaTen: str
    TinhTrangHonNhan: str
    TenTinhTrangHonNhan: str
    DaChet: bool = False
    KhaiSinh: BirthRecord | None = None
    KetHon: list[MarriageRecord] = []
    KhaiTu: DeathRecord | None = None


def parse_message(message: str) -> CivilStatusRecord:
    """Read the record out of a successful reply's ``message``."""
    return CivilStatusRecord.model_validate(json.loads(message))
