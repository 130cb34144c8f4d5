"""National business registration database lookup contract (R-XCH-02, R-ID-16) [I].

DOMAIN.md names the business registry among the national databases reached through the LGSP
but does not give its contract; this one reuses the ``{error_code, message}`` envelope with the
enterprise as a JSON object string in ``message`` [I]. ``MaSoDoanhNghiep`` is the 10-digit tax
code with its check digit (Circular 105/2020/TT-BTC), or 13 digits for a dependent unit.
"""

from __future__ import annotations

import json
from typing import Annotated, Final

from pydantic import BaseModel, StringConstraints

from contracts.common import ContractModel
from contracts.population import Address

LOOKUP_PATH: Final = "/api/business/lookup"

ERR_OK: Final = "0"
ERR_INVALID: Final = "-1"
ERR_NOT_FOUND: Final = "-2"


class LookupRequest(ContractModel):
    """Lookup by enterprise code / tax code."""

    MaSoDoanhNghiep: Annotated[str, StringConstraints(pattern=r"^\d{10}(-?\d{3})?$")]
    MaCanBo: str | None = None
    MaHoSo: str | None = None


class Representative(BaseModel):
    """Legal representative."""

    HoVaTen: str
    SoDinhDanh: str
    ChucDanh: str


class Enterprise(BaseModel):
    """An enterprise as the registry returns it."""

    MaSoDoanhNghiep: str
    TenDoanhNghiep: str
    TenVietTat: str
    LoaiHinh: str
    NgayThanhLap: str  # yyyyMMdd
    TrangThai: str  # "Đang hoạt động", "Tạm ngừng kinh doanh", "Đã giải thể"
    VonDieuLe: int
    NganhNgheChinh: str
    DiaChiTruSo: Address
    NguoiDaiDien: Representative


def parse_message(message: str) -> Enterprise:
    """Read the enterprise out of a successful reply's ``message``."""
    return Enterprise.model_validate(json.loads(message))
