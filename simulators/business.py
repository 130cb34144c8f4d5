"""Simulated national business registration database (R-XCH-02, R-ID-16) [I].

``POST /api/business/lookup`` with ``MaSoDoanhNghiep`` → ``{error_code, message}`` with the
enterprise as a JSON string (:mod:`contracts.business`). 20,000 deterministic enterprises,
built at first use: the nine digits ``0`` + ``(10⁷ + (A·i + B) mod 10⁷)`` followed by
the check digit of Circular 105/2020/TT-BTC (``vn_ident.mst_check_digit``); prefixes
whose check digit does not exist are skipped. Head offices are real communes (R-POP-04);
representatives are people of the population simulator.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from functools import cache
from typing import Annotated, Any, Final

from fastapi import Query
from vn_ident import mst_check_digit

from contracts import business as c
from simulators import population as pop
from simulators.base import create_sim_app

COUNT: Final = 20_000
_MOD: Final = 10**7
_A: Final = 7_654_321  # coprime with 10⁷: distinct prefixes
_B: Final = 1_234_567

KINDS: Final = (
    ("Công ty TNHH", "Công ty trách nhiệm hữu hạn một thành viên"),
    ("Công ty TNHH", "Công ty trách nhiệm hữu hạn hai thành viên trở lên"),
    ("Công ty cổ phần", "Công ty cổ phần"),
    ("Doanh nghiệp tư nhân", "Doanh nghiệp tư nhân"),
)
WORDS: Final = (
    "Thành Công", "Phú Thịnh", "An Khang", "Hưng Long", "Minh Phát", "Sao Việt", "Đại Dương",
    "Hoàng Gia", "Bình Minh", "Tân Tiến", "Trường Sơn", "Hồng Hà", "Cửu Long", "Phương Nam",
)  # fmt: skip
TRADES: Final = (
    ("Xây dựng", "4100 - Xây dựng nhà các loại"),
    ("Thương mại", "4690 - Bán buôn tổng hợp"),
    ("Nông sản", "4620 - Bán buôn nông, lâm sản nguyên liệu"),
    ("Du lịch", "7911 - Đại lý du lịch"),
    ("Công nghệ", "6201 - Lập trình máy vi tính"),
    ("Vận tải", "4933 - Vận tải hàng hóa bằng đường bộ"),
    ("Thực phẩm", "1079 - Sản xuất thực phẩm khác"),
)
STATES: Final = ("Đang hoạt động",) * 8 + ("Tạm ngừng kinh doanh", "Đã giải thể")


def _h(tag: str, n: int) -> int:
    return int.from_bytes(hashlib.sha256(f"business:{tag}:{n}".encode()).digest()[:8], "big")


@cache
def _codes() -> dict[str, int]:
    """Every valid tax code of the data set → its index (skips prefixes without a check digit)."""
    out: dict[str, int] = {}
    i = 0
    while len(out) < COUNT:
        nine = f"0{(_A * i + _B) % _MOD + 10_000_000:08d}"
        digit = mst_check_digit(nine)
        if digit is not None:
            out[f"{nine}{digit}"] = len(out)
        i += 1
    return out


@cache
def _by_index() -> tuple[str, ...]:
    return tuple(_codes())


def enterprise(k: int) -> c.Enterprise:
    """Enterprise number ``k`` of the data set."""
    code = _by_index()[k]
    short, kind = KINDS[_h("kind", k) % len(KINDS)]
    word = WORDS[_h("word", k) % len(WORDS)]
    trade, activity = TRADES[_h("trade", k) % len(TRADES)]
    rep_index = _h("rep", k) % pop.POPULATION
    person = pop.citizen(rep_index)
    founded = date(2000, 1, 1) + timedelta(days=_h("founded", k) % 9000)
    return c.Enterprise(
        MaSoDoanhNghiep=code,
        TenDoanhNghiep=f"{short.upper()} {trade.upper()} {word.upper()}",
        TenVietTat=f"{word.replace(' ', '').upper()} CO.",
        LoaiHinh=kind,
        NgayThanhLap=founded.strftime("%Y%m%d"),
        TrangThai=STATES[_h("state", k) % len(STATES)],
        VonDieuLe=(1 + _h("capital", k) % 500) * 100_000_000,
        NganhNgheChinh=activity,
        DiaChiTruSo=pop.address("office", k, detail=True),
        NguoiDaiDien=c.Representative(
            HoVaTen=person.HoVaTen.full, SoDinhDanh=person.SoDinhDanh, ChucDanh="Giám đốc"
        ),
    )


app, ctx = create_sim_app(
    "business", title="CSDL quốc gia về đăng ký doanh nghiệp (mô phỏng)", schema=""
)


@app.post(c.LOOKUP_PATH)
def lookup(req: c.LookupRequest) -> dict[str, str]:
    """Lookup by ``MaSoDoanhNghiep`` (10 digits; a 13-digit branch resolves to its parent)."""
    code = req.MaSoDoanhNghiep.replace("-", "")[:10]
    k = _codes().get(code)
    if k is None:
        return {"error_code": c.ERR_NOT_FOUND, "message": "Không tìm thấy doanh nghiệp"}
    return {"error_code": c.ERR_OK, "message": enterprise(k).model_dump_json()}


@app.get("/_sim/sample", tags=["_sim"])
def sample(n: Annotated[int, Query(ge=1, le=100)] = 5) -> list[dict[str, Any]]:
    """A few valid tax codes with names."""
    return [
        {"MaSoDoanhNghiep": e.MaSoDoanhNghiep, "TenDoanhNghiep": e.TenDoanhNghiep}
        for e in (enterprise((k * 997 + 3) % COUNT) for k in range(n))
    ]
