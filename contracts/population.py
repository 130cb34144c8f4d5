"""National Population Database lookup contract (R-POP-01..04, R-PDP-02, R-PDP-07).

The request is JSON to the provincial integration gateway (R-POP-01); the reply is the usual
``{error_code, message}`` envelope whose ``message`` is a SOAP/XML envelope
``Envelope/Body/CongdanCollection/CongDan`` (R-POP-02). :func:`build_envelope` and
:func:`parse_envelope` are the one place that XML is written and read, so the simulator and the
platform's adapter cannot drift apart.

Addresses after 1/7/2025 carry province + commune only: ``MaQuanHuyen``/``TenQuanHuyen`` are
empty (R-POP-04); legacy three-level codes may still appear in historical records, so the
fields exist.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, StringConstraints

from contracts.common import ContractModel

LOOKUP_PATH: Final = "/api/population/lookup"

ERR_OK: Final = "0"
ERR_INVALID: Final = "-1"
ERR_NOT_FOUND: Final = "-2"
ERR_MISMATCH: Final = "-3"

#: The platform's demo citizen (Nguyễn Thị An, born 1990, Phường Ninh Kiều, Thành phố Cần Thơ):
#: present in every simulator that knows people (population, VNeID, civil status, land,
#: judicial record), outside the generated data set.
DEMO_CITIZEN_ID: Final = "092190000001"

SOAP_NS: Final = "http://schemas.xmlsoap.org/soap/envelope/"


class LookupRequest(ContractModel):
    """R-POP-01 request; ``MaYeuCau`` is the caller's request ID (kept in the query log)."""

    HoVaTen: str | None = None
    SoDinhDanh: Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
    SoCMND: str | None = None
    NgayThangNam: str | None = None
    Nam: str | None = None
    MaTichHop: str | None = None
    MaDVC: str | None = None
    MaCanBo: str | None = None
    MaYeuCau: str | None = None


class _Xml(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FullName(_Xml):
    """``HoVaTen{Ho, ChuDem, Ten}``."""

    Ho: str
    ChuDem: str
    Ten: str

    @property
    def full(self) -> str:
        """The name as written: family, middle, given."""
        return " ".join(p for p in (self.Ho, self.ChuDem, self.Ten) if p)


class BirthDate(_Xml):
    """``NgayThangNamSinh{NgayThangNam (yyyyMMdd), Nam (yyyy)}``."""

    NgayThangNam: str
    Nam: str


class Address(_Xml):
    """Address object (R-POP-02); province + commune only after 1/7/2025 (R-POP-04)."""

    MaTinhThanh: str = ""
    MaQuanHuyen: str = ""
    MaPhuongXa: str = ""
    TenTinhThanh: str = ""
    TenQuanHuyen: str = ""
    TenPhuongXa: str = ""
    ChiTiet: str = ""
    QuocGia: str = "VN"


class Relative(_Xml):
    """``Cha``, ``Me``, ``VoChong``, ``NguoiDaiDien``."""

    HoVaTen: str = ""
    QuocTich: str = "VN"
    SoDinhDanh: str = ""
    SoCMND: str = ""


class HouseholdHead(_Xml):
    """``ChuHo{QuanHe, SoDinhDanh, SoCMND, HoVaTen}``; ``QuanHe`` is the person's relation."""

    QuanHe: str = ""
    SoDinhDanh: str = ""
    SoCMND: str = ""
    HoVaTen: str = ""


class Citizen(_Xml):
    """``CongDan`` (R-POP-02)."""

    SoDinhDanh: str
    SoCMND: str = ""
    HoVaTen: FullName
    GioiTinh: str  # "1" nam, "2" nữ
    DanToc: str
    TonGiao: str
    TinhTrangHonNhan: str  # "1" chưa kết hôn, "2" đã kết hôn, "3" ly hôn, "4" góa
    NhomMau: str
    NgayThangNamSinh: BirthDate
    NoiDangKyKhaiSinh: Address
    QueQuan: Address
    ThuongTru: Address
    NoiOHienTai: Address
    Cha: Relative | None = None
    Me: Relative | None = None
    VoChong: Relative | None = None
    NguoiDaiDien: Relative | None = None
    ChuHo: HouseholdHead
    SoSoHoKhau: str = ""
    ThuDienTu: str = ""
    MaSoThue: str = ""
    LoaiTaiKhoan: str = ""


def _append(parent: ET.Element, name: str, value: object) -> None:
    if value is None:
        return
    child = ET.SubElement(parent, name)
    if isinstance(value, BaseModel):
        for key, sub in value:
            _append(child, key, sub)
    else:
        child.text = str(value)


def build_envelope(citizens: list[Citizen]) -> str:
    """Render ``Envelope/Body/CongdanCollection/CongDan…`` as an XML string (R-POP-02)."""
    ET.register_namespace("soap", SOAP_NS)
    envelope = ET.Element(f"{{{SOAP_NS}}}Envelope")
    body = ET.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    collection = ET.SubElement(body, "CongdanCollection")
    for citizen in citizens:
        _append(collection, "CongDan", citizen)
    return ET.tostring(envelope, encoding="unicode", xml_declaration=False)


def _read(element: ET.Element) -> dict[str, object]:
    out: dict[str, object] = {}
    for child in element:
        if len(child):
            out[child.tag] = _read(child)
        else:
            out[child.tag] = child.text or ""
    return out


def parse_envelope(xml_text: str) -> list[Citizen]:
    """Read the citizens out of a R-POP-02 SOAP envelope; raises ``ValueError`` if malformed."""
    try:
        root = ET.fromstring(xml_text)  # noqa: S314 - our own simulator or the gateway
    except ET.ParseError as exc:
        msg = f"population envelope is not XML: {exc}"
        raise ValueError(msg) from exc
    body = root.find(f"{{{SOAP_NS}}}Body")
    if body is None:
        msg = "population envelope has no Body"
        raise ValueError(msg)
    collection = body.find("CongdanCollection")
    if collection is None:
        return []
    return [Citizen.model_validate(_read(node)) for node in collection.findall("CongDan")]
