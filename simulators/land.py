"""Simulated National Land Database (CSDL đất đai quốc gia) lookup (R-REUSE-03 item 7).

Contract: :mod:`contracts.land`. ``POST /api/land/lookup`` with ``SoPhatHanh`` (certificate
serial) or ``SoDinhDanh`` (owner) plus the purpose fields (``MaCanBo``, ``MaHoSo``,
``MucDich``; without them ``"-4"``, R-PDP-02) → ``message`` = JSON ``{"DanhSach": […]}``.

Deterministic parcels, nothing stored:

* parcel ``h`` (0 ≤ h < 25,000): the residential parcel of population household ``h`` at its
  home address (real commune; ``ODT`` in a ward, ``ONT`` in a commune), held jointly by the
  head and spouse, most with a house;
* parcel ``25,000 + h``: a farm parcel of the head in a commune of the same province, for about
  one household in three;
* parcel ``50,000``: the demo citizen's house in Phường Ninh Kiều, Thành phố Cần Thơ.

Serial ``LL NNNNNN``: ``NNNNNN = (A·p + B) mod 10⁶`` (inverted with ``A⁻¹``), letters from
the parcel; about one certificate in seven is mortgaged.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from functools import cache
from itertools import islice
from typing import Annotated, Any, Final

from fastapi import Query

from contracts import land as c
from contracts.population import Address, Citizen
from simulators import population as pop
from simulators.base import create_sim_app
from simulators.querylog import SCHEMA, add_query_routes, answer

HOUSEHOLDS: Final = pop.POPULATION // pop.HOUSEHOLD
DEMO_PARCEL: Final = 2 * HOUSEHOLDS
_MOD: Final = 1_000_000
_A: Final = 480_743  # coprime with 10⁶
_B: Final = 314_159
_A_INV: Final = pow(_A, -1, _MOD)
SERIES: Final = ("AA", "AB", "AC", "BA", "BB", "BD", "BE", "CA", "CB", "CD", "CS", "DA", "DB")
FARM: Final = (
    ("LUC", "Đất chuyên trồng lúa nước"),
    ("CLN", "Đất trồng cây lâu năm"),
    ("HNK", "Đất trồng cây hằng năm khác"),
)
ORIGINS: Final = (
    "Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
    "Nhà nước giao đất có thu tiền sử dụng đất",
    "Nhận chuyển nhượng quyền sử dụng đất",
    "Nhận thừa kế quyền sử dụng đất",
)
BANKS: Final = (
    "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
    "Ngân hàng TMCP Công thương Việt Nam",
    "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
)


def _h(tag: str, n: int) -> int:
    return int.from_bytes(hashlib.sha256(f"land:{tag}:{n}".encode()).digest()[:8], "big")


def serial(p: int) -> str:
    """The issue serial of parcel ``p``'s certificate."""
    return f"{SERIES[_h('series', p) % len(SERIES)]} {(_A * p + _B) % _MOD:06d}"


def exists(p: int) -> bool:
    """Whether parcel ``p`` is in the data set."""
    if 0 <= p < HOUSEHOLDS or p == DEMO_PARCEL:
        return True
    return HOUSEHOLDS <= p < DEMO_PARCEL and _h("farm", p - HOUSEHOLDS) % 3 == 0


def parcel_of_serial(text: str) -> int | None:
    """Parcel index of a serial (``"CS 123456"`` or ``"CS123456"``), else ``None``."""
    compact = text.replace(" ", "").upper()
    if len(compact) != 8 or not compact[2:].isdigit():
        return None
    p = (_A_INV * (int(compact[2:]) - _B)) % _MOD
    if not exists(p) or serial(p).replace(" ", "") != compact:
        return None
    return p


def parcels_of_owner(personal_id: str) -> list[int]:
    """Parcels on which this person is a named user."""
    if personal_id == pop.DEMO_ID:
        return [DEMO_PARCEL]
    i = pop.index_of(personal_id)
    if i is None:
        return []
    household, role = divmod(i, pop.HOUSEHOLD)
    out = [household] if role < 2 else []
    if role == 0 and exists(HOUSEHOLDS + household):
        out.append(HOUSEHOLDS + household)
    return out


@cache
def _farm_communes(province_code: str) -> tuple[Address, ...]:
    every = pop.communes(province_code)
    rural = tuple(a for a in every if a.TenPhuongXa.startswith("Xã"))
    return rural or every


def _owner(person: Citizen) -> c.Owner:
    return c.Owner(
        HoVaTen=person.HoVaTen.full,
        SoDinhDanh=person.SoDinhDanh,
        NamSinh=person.NgayThangNamSinh.Nam,
    )


def _issuer(province: str, issued: date) -> str:
    department = (
        "Sở Nông nghiệp và Môi trường"
        if issued >= date(2025, 3, 1)
        else "Sở Tài nguyên và Môi trường"
    )
    return f"{department} {province}"


def certificate(p: int) -> c.Certificate:
    """The certificate of parcel ``p`` (which must exist)."""
    issued = date(2005, 1, 1) + timedelta(days=_h("issued", p) % 7300)
    house: c.House | None = None
    if p == DEMO_PARCEL:
        person = pop.demo_citizen()
        owners = [person]
        place = person.ThuongTru
        kind, area = ("ODT", "Đất ở tại đô thị"), 85.5
        house = c.House(
            LoaiNha="Nhà ở riêng lẻ", DienTichXayDung=72.0, DienTichSan=144.0, SoTang=2,
            HinhThucSoHuu="Sở hữu riêng",
        )  # fmt: skip
        issued = date(2019, 8, 12)
    elif p < HOUSEHOLDS:
        head = pop.citizen(p * pop.HOUSEHOLD)
        owners = [head, pop.citizen(p * pop.HOUSEHOLD + 1)]
        place = head.ThuongTru
        urban = place.TenPhuongXa.startswith("Phường")
        kind = ("ODT", "Đất ở tại đô thị") if urban else ("ONT", "Đất ở tại nông thôn")
        area = round((40 if urban else 120) + _h("area", p) % (120 if urban else 600) + 0.5 *
                     (_h("half", p) % 2), 1)  # fmt: skip
        if _h("house", p) % 5:
            floors = 1 + _h("floors", p) % (4 if urban else 2)
            footprint = round(area * (0.6 + (_h("cover", p) % 30) / 100), 1)
            house = c.House(
                LoaiNha="Nhà ở riêng lẻ", DienTichXayDung=footprint,
                DienTichSan=round(footprint * floors, 1), SoTang=floors,
                HinhThucSoHuu="Sở hữu chung" if len(owners) > 1 else "Sở hữu riêng",
            )  # fmt: skip
    else:
        household = p - HOUSEHOLDS
        head = pop.citizen(household * pop.HOUSEHOLD)
        owners = [head]
        communes = _farm_communes(head.ThuongTru.MaTinhThanh)
        place = communes[_h("farm-commune", p) % len(communes)]
        kind = FARM[_h("farm-kind", p) % len(FARM)]
        area = float(500 + _h("area", p) % 4500)
    mortgaged = _h("mortgage", p) % 7 == 0
    return c.Certificate(
        SoPhatHanh=serial(p),
        SoVaoSo=f"CS{_h('book', p) % 99999 + 1:05d}",
        NgayCap=issued.strftime("%Y%m%d"),
        CoQuanCap=_issuer(place.TenTinhThanh, issued),
        ChuSuDung=[_owner(o) for o in owners],
        ThuaDat=c.Parcel(
            SoThuaDat=str(1 + _h("lot", p) % 900),
            SoToBanDo=str(1 + _h("sheet", p) % 60),
            DiaChi=place,
            DienTich=area,
            HinhThucSuDung="Sử dụng chung" if len(owners) > 1 else "Sử dụng riêng",
            MaMucDich=kind[0],
            MucDichSuDung=kind[1],
            ThoiHanSuDung="Lâu dài"
            if kind[0] in {"ODT", "ONT"}
            else f"{issued.year + 50}{issued.strftime('%m%d')}",
            NguonGocSuDung=ORIGINS[_h("origin", p) % len(ORIGINS)],
        ),
        TaiSanGanLien=house,
        TinhTrangPhapLy=f"Đang thế chấp tại {BANKS[_h('bank', p) % len(BANKS)]}"
        if mortgaged
        else "Bình thường",
    )


app, ctx = create_sim_app(
    "land", title="CSDL quốc gia về đất đai (mô phỏng) — tra cứu giấy chứng nhận", schema=SCHEMA
)
add_query_routes(app, ctx)


@app.post(c.LOOKUP_PATH)
def lookup(req: c.LookupRequest) -> dict[str, object]:
    """Certificates by serial or by owner ID."""
    subject = req.SoPhatHanh or req.SoDinhDanh or ""

    def resolve() -> dict[str, str]:
        if req.SoPhatHanh is not None:
            p = parcel_of_serial(req.SoPhatHanh)
            parcels = [] if p is None else [p]
        else:
            parcels = parcels_of_owner(req.SoDinhDanh or "")
        if not parcels:
            return {"error_code": c.ERR_NOT_FOUND, "message": "Không tìm thấy giấy chứng nhận"}
        found = [certificate(p).model_dump(mode="json") for p in parcels]
        message = json.dumps({"DanhSach": found}, ensure_ascii=False)
        return {"error_code": c.ERR_OK, "message": message}

    return answer(ctx, req, subject, resolve)


@app.get("/_sim/sample", tags=["_sim"])
def sample(n: Annotated[int, Query(ge=1, le=100)] = 5) -> list[dict[str, Any]]:
    """The demo parcel and a few others: serial, owners, commune."""
    farms = (p for p in range(HOUSEHOLDS, DEMO_PARCEL) if exists(p))
    parcels = [DEMO_PARCEL, *islice(farms, n // 2)]
    parcels += [(k * 389 + 11) % HOUSEHOLDS for k in range(n - len(parcels))]
    out = []
    for p in parcels[:n]:
        cert = certificate(p)
        out.append(
            {
                "SoPhatHanh": cert.SoPhatHanh,
                "ChuSuDung": [o.SoDinhDanh for o in cert.ChuSuDung],
                "MaMucDich": cert.ThuaDat.MaMucDich,
                "TenPhuongXa": cert.ThuaDat.DiaChi.TenPhuongXa,
                "TenTinhThanh": cert.ThuaDat.DiaChi.TenTinhThanh,
            }
        )
    return out
