"""National Portal payment platform (PayGov-style) contract (R-PAY-05..09).

Messages: INIT (create a payment, R-PAY-05), the callback/confirm sent to the merchant
(R-PAY-07), QUERY (status, R-PAY-08) and a daily reconciliation report [I].

Checksums are SHA-256 hex over pipe-joined fields with the shared secret last (R-PAY-06, R-PAY-07;
QUERY follows "the same checksum pattern", R-PAY-08 [I]). The functions below are the single
definition used by both the simulator and the platform.

Assumptions [I]: the INIT reply's ``message`` is a JSON object string carrying ``UrlThanhToan``
(parse it with :func:`parse_init_message`); the merchant passes its browser return URL as
``UrlTraVe`` and its server-to-server notification URL as ``UrlThongBao`` in INIT (the field list
in R-PAY-05 ends with "…"); QUERY replies carry a JSON object string with ``TrangThai``.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Final, Literal

from pydantic import BaseModel, Field, StringConstraints

from contracts.common import ContractModel, DateString, Timestamp

INIT_PATH: Final = "/api/payments/init"
QUERY_PATH: Final = "/api/payments/query"
RECONCILIATION_PATH: Final = "/api/payments/reconciliation"
PAY_PAGE_PATH: Final = "/pay/{MaThamChieu}"

VERSION: Final = "1.0.6"

#: R-PAY-07: ``MaLoi == "00"`` is a successful payment.
MALOI_SUCCESS: Final = "00"
MALOI_CANCELLED: Final = "24"

ERR_OK: Final = "0"
ERR_BAD_CHECKSUM: Final = "-1"
ERR_INVALID: Final = "-2"
ERR_DUPLICATE_REFERENCE: Final = "-3"
ERR_NOT_FOUND: Final = "-4"

#: Transaction states reported by QUERY and the reconciliation report.
TxState = Literal["PENDING", "PAID", "CANCELLED"]


class FeeLine(ContractModel):
    """``PhiLePhi[]`` item."""

    LoaiPhiLePhi: str | None = None
    MaPhiLePhi: str | None = None
    TenPhiLePhi: str | None = None
    SoTien: int


class PaymentItem(ContractModel):
    """``DSKhoanNop[]`` item."""

    NoiDung: str
    SoTien: int


class Receipt(ContractModel):
    """``ThongTinBienLai`` (R-PAY-05); ``MaDVC`` = ``MaTTHC + ".01"``."""

    MaDichVu: str = "2"
    MaDVC: str | None = None
    TenDVC: str | None = None
    MaTTHC: str | None = None
    TenTTHC: str | None = None
    MaDonVi: str | None = None
    TenDonVi: str | None = None
    MaHoSo: str | None = None
    TKThuHuong: str | None = None
    MaNHThuHuong: str | None = None
    TenTKThuHuong: str | None = None
    HoTenNguoiNop: str | None = None
    SoCMNDNguoiNop: str | None = None
    DiaChiNguoiNop: str | None = None
    NoiDungThanhToan: str | None = None
    PhiLePhi: list[FeeLine] = Field(default_factory=list)
    DSKhoanNop: list[PaymentItem] = Field(default_factory=list)


class InitRequest(ContractModel):
    """INIT message (R-PAY-05)."""

    LoaiBanTin: Literal["INIT"] = "INIT"
    PhienBan: str = VERSION
    MaDoiTac: str
    MaThamChieu: Annotated[str, StringConstraints(pattern=r"^\w{1,100}$")]
    SoTien: Annotated[int, Field(gt=0)]
    LoaiHinhThanhToan: str = "PAY"
    MaKenhThanhToan: str = "1"
    MaThietBi: str = "1"
    NgonNgu: str = "vi-VN"
    MaTienTe: str = "VND"
    MaNganHang: str = "PAYMENT"
    ThongTinGiaoDich: str
    ThoiGianGD: Timestamp
    Ip: str
    MaXacThuc: str = ""
    ThongTinBienLai: Receipt | None = None
    UrlTraVe: str | None = None
    UrlThongBao: str | None = None


class InitResult(BaseModel):
    """What :func:`parse_init_message` reads out of a successful INIT reply."""

    UrlThanhToan: str
    MaThamChieu: str


class Callback(ContractModel):
    """Callback/confirm to the merchant (R-PAY-07); ``MaLoi == "00"`` = paid."""

    LoaiBanTin: str = "CONFIRM"
    MaLoi: str
    MaDoiTac: str
    MaThamChieu: str
    SoTien: int
    MaTienTe: str = "VND"
    MaGiaoDich: str
    MaNganHang: str
    ThoiGianGD: Timestamp
    ThongTinGiaoDich: str
    MaXacThuc: str = ""


class QueryRequest(ContractModel):
    """QUERY message (R-PAY-08)."""

    LoaiBanTin: Literal["QUERY"] = "QUERY"
    PhienBan: str = VERSION
    MaDoiTac: str
    MaThamChieu: str
    ThoiGianGD: Timestamp
    MaXacThuc: str = ""


class Transaction(BaseModel):
    """A transaction as QUERY and the reconciliation report show it."""

    MaThamChieu: str
    MaDoiTac: str
    SoTien: int
    MaTienTe: str
    TrangThai: TxState
    MaLoi: str | None = None
    MaGiaoDich: str | None = None
    MaHoSo: str | None = None
    ThoiGianKhoiTao: Timestamp
    ThoiGianThanhToan: Timestamp | None = None


class ReconciliationRequest(ContractModel):
    """Daily report: every transaction created on ``Ngay`` (yyyyMMdd, local) for a merchant."""

    MaDoiTac: str
    Ngay: DateString
    MaXacThuc: str = ""


class ReconciliationReport(BaseModel):
    """Reply to a reconciliation request."""

    error_code: str
    message: str
    Ngay: str
    SoGiaoDich: int = 0
    TongTienDaThanhToan: int = 0
    DanhSach: list[Transaction] = Field(default_factory=list)


def checksum(parts: list[str], secret: str) -> str:
    """SHA-256 hex of ``part1|part2|…|secret`` (R-PAY-06)."""
    joined = "|".join([*parts, secret])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def init_checksum(req: InitRequest, secret: str) -> str:
    """``MaXacThuc`` of an INIT message (R-PAY-06)."""
    return checksum(
        [
            req.LoaiBanTin,
            req.PhienBan,
            req.MaDoiTac,
            req.MaThamChieu,
            str(req.SoTien),
            req.LoaiHinhThanhToan,
            req.MaKenhThanhToan,
            req.MaThietBi,
            req.NgonNgu,
            req.MaTienTe,
            req.MaNganHang,
            req.ThongTinGiaoDich,
            req.ThoiGianGD,
            req.Ip,
        ],
        secret,
    )


def callback_checksum(cb: Callback, secret: str) -> str:
    """``MaXacThuc`` of a callback/confirm message (R-PAY-07)."""
    return checksum(
        [
            cb.LoaiBanTin,
            cb.MaLoi,
            cb.MaDoiTac,
            cb.MaThamChieu,
            str(cb.SoTien),
            cb.MaTienTe,
            cb.MaGiaoDich,
            cb.MaNganHang,
            cb.ThoiGianGD,
            cb.ThongTinGiaoDich,
        ],
        secret,
    )


def query_checksum(req: QueryRequest, secret: str) -> str:
    """``MaXacThuc`` of a QUERY message (R-PAY-08, same pattern [I])."""
    return checksum(
        [req.LoaiBanTin, req.PhienBan, req.MaDoiTac, req.MaThamChieu, req.ThoiGianGD], secret
    )


def reconciliation_checksum(req: ReconciliationRequest, secret: str) -> str:
    """``MaXacThuc`` of a reconciliation request [I]."""
    return checksum(["RECONCILE", req.MaDoiTac, req.Ngay], secret)


def reference_for(dossier_code: str, timestamp: str) -> str:
    """``MaThamChieu`` = ``"dvc"`` + dossier code minus non-word characters + timestamp.

    R-PAY-09.
    """
    return "dvc" + re.sub(r"\W", "", dossier_code) + timestamp


def parse_init_message(message: str) -> InitResult:
    """Read ``UrlThanhToan`` out of a successful INIT reply's ``message`` (R-PAY-05)."""
    return InitResult.model_validate(json.loads(message))
