"""National Land Database lookup contract (R-REUSE-03 item 7, R-PDP-02) [I].

Replaces the land-use right certificate (giấy chứng nhận quyền sử dụng đất, quyền sở hữu
nhà ở và tài sản khác gắn liền với đất), residential land first. DOMAIN.md gives no API; this
one reuses the ``{error_code, message}`` envelope with ``message`` = JSON
``{"DanhSach": [Certificate…]}`` [I]. Look up by the certificate's issue serial
(``SoPhatHanh``, two letters + six digits, e.g. ``"CS 123456"``) or by an owner's 12-digit ID
(``SoDinhDanh``) — exactly one. Requests are purpose-bound (:mod:`contracts.purpose`).
"""

from __future__ import annotations

import json
from typing import Annotated, Final

from pydantic import BaseModel, StringConstraints, model_validator

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
    "Certificate",
    "House",
    "LookupReply",
    "LookupRequest",
    "Owner",
    "Parcel",
    "parse_message",
]

LOOKUP_PATH: Final = "/api/land/lookup"


class LookupRequest(PurposeBoundRequest):
    """By certificate serial or by owner ID (exactly one)."""

    SoPhatHanh: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2} ?\d{6}$")] | None = None
    SoDinhDanh: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] | None = None

    @model_validator(mode="after")
    def _exactly_one_key(self) -> LookupRequest:
        if (self.SoPhatHanh is None) == (self.SoDinhDanh is None):
            msg = "give exactly one of SoPhatHanh, SoDinhDanh"
            raise ValueError(msg)
        return self


class Owner(BaseModel):
    """A land user / owner written on the certificate."""

    HoVaTen: str
    SoDinhDanh: str
    NamSinh: str


class Parcel(BaseModel):
    """The land parcel (thửa đất)."""

    SoThuaDat: str
    SoToBanDo: str
    DiaChi: Address
    DienTich: float  # m²
    HinhThucSuDung: str  # "Sử dụng riêng", "Sử dụng chung"
    MaMucDich: str  # ODT, ONT, LUC, CLN, HNK
    MucDichSuDung: str
    ThoiHanSuDung: str  # "Lâu dài" or yyyyMMdd
    NguonGocSuDung: str


class House(BaseModel):
    """A house on the parcel (tài sản gắn liền với đất)."""

    LoaiNha: str
    DienTichXayDung: float
    DienTichSan: float
    SoTang: int
    HinhThucSoHuu: str


class Certificate(BaseModel):
    """A land-use right certificate."""

    SoPhatHanh: str  # "CS 123456"
    SoVaoSo: str  # "CS01234"
    NgayCap: str  # yyyyMMdd
    CoQuanCap: str
    ChuSuDung: list[Owner]
    ThuaDat: Parcel
    TaiSanGanLien: House | None = None
    TinhTrangPhapLy: str  # "Bình thường" or the current restriction (mortgage…)


def parse_message(message: str) -> list[Certificate]:
    """Read the certificates out of a successful reply's ``message``."""
    return [Certificate.model_validate(item) for item in json.loads(message)["DanhSach"]]
