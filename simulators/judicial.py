"""Simulated Judicial Record Database (CSDL lý lịch tư pháp) lookup (R-REUSE-03 item 8).

Contract: :mod:`contracts.judicial`. ``POST /api/judicial/lookup`` with the 12-digit ID and
the purpose fields (``MaCanBo``, ``MaHoSo``, ``MucDich``; without them ``"-4"``, R-PDP-02) →
``message`` = JSON ``JudicialRecord``.

Deterministic from the population simulator's people: about one adult in 40 (born 2007 or
earlier) has one conviction, half of which have been expunged (hidden on Phiếu số 1);
everybody else — and the demo citizen — has "Không có án tích".
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Final

from contracts import judicial as c
from contracts.population import Citizen
from simulators import population as pop
from simulators.base import create_sim_app
from simulators.querylog import SCHEMA, add_query_routes, answer

CRIMES: Final = (
    ("Trộm cắp tài sản", "Điều 173 Bộ luật Hình sự năm 2015", "06 tháng tù"),
    ("Đánh bạc", "Điều 321 Bộ luật Hình sự năm 2015", "Phạt tiền 20.000.000 đồng"),
    ("Cố ý gây thương tích hoặc gây tổn hại cho sức khỏe của người khác",
     "Điều 134 Bộ luật Hình sự năm 2015", "09 tháng tù cho hưởng án treo"),
    ("Vi phạm quy định về tham gia giao thông đường bộ", "Điều 260 Bộ luật Hình sự năm 2015",
     "12 tháng cải tạo không giam giữ"),
    ("Tàng trữ trái phép chất ma túy", "Điều 249 Bộ luật Hình sự năm 2015", "24 tháng tù"),
)  # fmt: skip
LAST_DAY: Final = date(2025, 6, 30)


def _h(tag: str, text: str) -> int:
    return int.from_bytes(hashlib.sha256(f"judicial:{tag}:{text}".encode()).digest()[:8], "big")


def has_conviction(person: Citizen) -> bool:
    """Whether this person has a conviction (adults only; never the demo citizen)."""
    return (
        person.SoDinhDanh != pop.DEMO_ID
        and int(person.NgayThangNamSinh.Nam) <= 2007
        and _h("record", person.SoDinhDanh) % 40 == 0
    )


def conviction(person: Citizen) -> c.Conviction:
    """The conviction of a person for whom :func:`has_conviction` holds."""
    sid = person.SoDinhDanh
    born = int(person.NgayThangNamSinh.Nam)
    first = max(born + 18, 2000)
    judged = date(first, 1, 1) + timedelta(days=_h("day", sid) % max(365, (2024 - first) * 365))
    judged = min(judged, LAST_DAY - timedelta(days=400))
    served = min(judged + timedelta(days=180 + _h("served", sid) % 700), LAST_DAY)
    crime, article, sentence = CRIMES[_h("crime", sid) % len(CRIMES)]
    province = person.ThuongTru.TenTinhThanh
    return c.Conviction(
        SoBanAn=f"{_h('no', sid) % 300 + 1}/{judged.year}/HS-ST",
        NgayTuyenAn=judged.strftime("%Y%m%d"),
        ToaAnTuyen=f"Tòa án nhân dân {province[:1].lower()}{province[1:]}"
        if province.startswith(("Tỉnh", "Thành phố"))
        else f"Tòa án nhân dân tỉnh {province}",
        ToiDanh=crime,
        DieuKhoan=article,
        HinhPhat=sentence,
        NgayChapHanhXong=served.strftime("%Y%m%d"),
        DaDuocXoaAnTich=_h("expunged", sid) % 2 == 0,
    )


def judicial_record(personal_id: str, kind: str = "1") -> c.JudicialRecord | None:
    """The record as Phiếu số ``kind`` shows it, or ``None`` for an unknown ID."""
    person = pop.find(personal_id)
    if person is None:
        return None
    convictions = [conviction(person)] if has_conviction(person) else []
    if kind == "1":
        convictions = [x for x in convictions if not x.DaDuocXoaAnTich]
    return c.JudicialRecord(
        SoDinhDanh=person.SoDinhDanh,
        HoVaTen=person.HoVaTen.full,
        NgaySinh=person.NgayThangNamSinh.NgayThangNam,
        LoaiPhieu=kind,
        TinhTrangAnTich=c.HAS_RECORD if convictions else c.NO_RECORD,
        DanhSachAnTich=convictions,
    )


app, ctx = create_sim_app(
    "judicial", title="CSDL lý lịch tư pháp (mô phỏng) — tra cứu án tích", schema=SCHEMA
)
add_query_routes(app, ctx)


@app.post(c.LOOKUP_PATH)
def lookup(req: c.LookupRequest) -> dict[str, object]:
    """Criminal record of one person (Phiếu số 1 or số 2)."""

    def resolve() -> dict[str, str]:
        found = judicial_record(req.SoDinhDanh, req.LoaiPhieu)
        if found is None:
            return {"error_code": c.ERR_NOT_FOUND, "message": "Không tìm thấy công dân"}
        return {"error_code": c.ERR_OK, "message": found.model_dump_json()}

    return answer(ctx, req, req.SoDinhDanh, resolve)


@app.get("/_sim/sample", tags=["_sim"])
def sample() -> dict[str, str]:
    """IDs for each case: clean, a visible conviction, an expunged one, the demo citizen."""
    out = {"demo": pop.DEMO_ID}
    i = 0
    while len(out) < 4:
        person = pop.citizen(i)
        if not has_conviction(person):
            out.setdefault("clean", person.SoDinhDanh)
        else:
            key = "expunged" if conviction(person).DaDuocXoaAnTich else "convicted"
            out.setdefault(key, person.SoDinhDanh)
        i += 1
    return out
