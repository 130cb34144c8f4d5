"""Simulated Electronic Civil Status Database (CSDL hộ tịch điện tử) lookup (R-REUSE-03).

Contract: :mod:`contracts.civil_status`. ``POST /api/civil-status/lookup`` with the person's
12-digit ID and the purpose fields (``MaCanBo``, ``MaHoSo``, ``MucDich``; without them the
lookup is refused with ``"-4"``, R-PDP-02) → ``message`` = JSON ``CivilStatusRecord``.

Deterministic from the population simulator's people (same IDs, names, parents, households):

* everyone has a birth registration at the commune of ``NoiDangKyKhaiSinh``;
* each household's head and spouse have a marriage registration at the household's commune;
  about 1 couple in 12 is divorced (``TinhTrangHonNhan`` "3" for both);
* about 1 head in 6 born in 1960 or earlier has died (2015–2024): a death registration, the
  marriage ended and the spouse is widowed ("4").

The civil-status database is the authority on marital status: the population record of a
divorced or widowed person still says "2" (databases disagree in real life too, R-REUSE-02)
[I]. The demo citizen ``092190000001`` is single with a birth registration in Cần Thơ.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Final

from contracts import civil_status as c
from contracts.population import Address, Citizen
from simulators import population as pop
from simulators.base import create_sim_app
from simulators.querylog import SCHEMA, add_query_routes, answer

LAST_DAY: Final = date(2025, 6, 30)
CAUSES: Final = ("Bệnh già", "Bệnh tật", "Tai nạn giao thông", "Đột quỵ")


def _h(tag: str, n: int | str) -> int:
    return int.from_bytes(hashlib.sha256(f"civil:{tag}:{n}".encode()).digest()[:8], "big")


def _ymd(day: date) -> str:
    return day.strftime("%Y%m%d")


def _born(person: Citizen) -> date:
    ymd = person.NgayThangNamSinh.NgayThangNam
    return date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:8]))


def _commune(address: Address) -> Address:
    return address.model_copy(update={"ChiTiet": ""})


def _office(address: Address) -> str:
    commune = address.TenPhuongXa[:1].lower() + address.TenPhuongXa[1:]
    return f"Ủy ban nhân dân {commune}, {address.TenTinhThanh}"


def _numbers(tag: str, n: int | str, year: int) -> tuple[str, str]:
    return f"{_h(tag + '-no', n) % 900 + 1}", f"{_h(tag + '-book', n) % 12 + 1:02d}/{year}"


def _ref(person: Citizen) -> c.PersonRef:
    return c.PersonRef(
        HoVaTen=person.HoVaTen.full,
        SoDinhDanh=person.SoDinhDanh,
        NgaySinh=person.NgayThangNamSinh.NgayThangNam,
    )


def head_died(household: int) -> bool:
    """Whether the household head (born ≤ 1960) has died."""
    head = pop.citizen(household * pop.HOUSEHOLD)
    return int(head.NgayThangNamSinh.Nam) <= 1960 and _h("death", household) % 6 == 0


def divorced(household: int) -> bool:
    """Whether the household's couple is divorced."""
    return not head_died(household) and _h("divorce", household) % 12 == 0


def birth_record(person: Citizen) -> c.BirthRecord:
    """The person's birth registration."""
    born = _born(person)
    registered = born + timedelta(days=5 + _h("birth-reg", person.SoDinhDanh) % 55)
    place = _commune(person.NoiDangKyKhaiSinh)
    number, book = _numbers("birth", person.SoDinhDanh, registered.year)
    return c.BirthRecord(
        SoDangKy=number,
        QuyenSo=book,
        NgayDangKy=_ymd(registered),
        CoQuanDangKy=_office(place),
        NoiDangKy=place,
        HoVaTen=person.HoVaTen.full,
        GioiTinh=person.GioiTinh,
        NgaySinh=person.NgayThangNamSinh.NgayThangNam,
        NoiSinh=place,
        DanToc=person.DanToc,
        Cha=c.PersonRef(HoVaTen=person.Cha.HoVaTen, SoDinhDanh=person.Cha.SoDinhDanh)
        if person.Cha
        else None,
        Me=c.PersonRef(HoVaTen=person.Me.HoVaTen, SoDinhDanh=person.Me.SoDinhDanh)
        if person.Me
        else None,
    )


def _death_day(household: int) -> date:
    return date(2015, 1, 1) + timedelta(days=_h("death-day", household) % 3650)


def death_record(household: int) -> c.DeathRecord:
    """The death registration of a household head who died."""
    head = pop.citizen(household * pop.HOUSEHOLD)
    died = _death_day(household)
    registered = died + timedelta(days=3 + _h("death-reg", household) % 12)
    place = _commune(head.ThuongTru)
    number, book = _numbers("death", household, registered.year)
    return c.DeathRecord(
        SoDangKy=number,
        QuyenSo=book,
        NgayDangKy=_ymd(registered),
        CoQuanDangKy=_office(place),
        NoiDangKy=place,
        HoVaTen=head.HoVaTen.full,
        SoDinhDanh=head.SoDinhDanh,
        NgayChet=_ymd(died),
        NoiChet=place,
        NguyenNhan=CAUSES[_h("cause", household) % len(CAUSES)],
    )


def marriage_record(household: int) -> c.MarriageRecord:
    """The marriage registration of a household's head and spouse."""
    head = pop.citizen(household * pop.HOUSEHOLD)
    spouse = pop.citizen(household * pop.HOUSEHOLD + 1)
    year = max(int(head.NgayThangNamSinh.Nam) + 21, int(spouse.NgayThangNamSinh.Nam) + 18)
    married = date(year + _h("wed-year", household) % 3, 1, 1) + timedelta(
        days=_h("wed-day", household) % 365
    )
    married = min(married, LAST_DAY)
    place = _commune(head.ThuongTru)
    number, book = _numbers("marriage", household, married.year)
    state, ended = "Đang có hiệu lực", ""
    if head_died(household):
        state, ended = "Chấm dứt do vợ/chồng chết", _ymd(_death_day(household))
    elif divorced(household):
        split = married + timedelta(days=365 * 3 + _h("divorce-day", household) % 4000)
        state, ended = "Đã ly hôn", _ymd(min(split, LAST_DAY))
    return c.MarriageRecord(
        SoDangKy=number,
        QuyenSo=book,
        NgayDangKy=_ymd(married),
        CoQuanDangKy=_office(place),
        NoiDangKy=place,
        Chong=_ref(head),
        Vo=_ref(spouse),
        TrangThai=state,
        NgayChamDut=ended,
    )


def record(personal_id: str) -> c.CivilStatusRecord | None:
    """Everything on one person, or ``None`` for an unknown ID."""
    person = pop.find(personal_id)
    if person is None:
        return None
    marriages: list[c.MarriageRecord] = []
    death: c.DeathRecord | None = None
    status = "1"
    i = pop.index_of(personal_id)
    if i is not None:
        household, role = divmod(i, pop.HOUSEHOLD)
        if role < 2:
            marriages = [marriage_record(household)]
            status = "2"
            if head_died(household):
                status = "2" if role == 0 else "4"
                death = death_record(household) if role == 0 else None
            elif divorced(household):
                status = "3"
    return c.CivilStatusRecord(
        SoDinhDanh=person.SoDinhDanh,
        HoVaTen=person.HoVaTen.full,
        TinhTrangHonNhan=status,
        TenTinhTrangHonNhan=c.MARITAL_STATUS[status],
        DaChet=death is not None,
        KhaiSinh=birth_record(person),
        KetHon=marriages,
        KhaiTu=death,
    )


app, ctx = create_sim_app(
    "civil_status", title="CSDL hộ tịch điện tử (mô phỏng) — tra cứu hộ tịch", schema=SCHEMA
)
add_query_routes(app, ctx)


@app.post(c.LOOKUP_PATH)
def lookup(req: c.LookupRequest) -> dict[str, object]:
    """Birth, marriage and death records and marital status of one person."""

    def resolve() -> dict[str, str]:
        found = record(req.SoDinhDanh)
        if found is None:
            return {"error_code": c.ERR_NOT_FOUND, "message": "Không tìm thấy dữ liệu hộ tịch"}
        if req.LoaiSuKien == "KS":
            found = found.model_copy(update={"KetHon": [], "KhaiTu": None})
        elif req.LoaiSuKien == "KH":
            found = found.model_copy(update={"KhaiSinh": None, "KhaiTu": None})
        elif req.LoaiSuKien == "KT":
            found = found.model_copy(update={"KhaiSinh": None, "KetHon": []})
        return {"error_code": c.ERR_OK, "message": found.model_dump_json()}

    return answer(ctx, req, req.SoDinhDanh, resolve)


@app.get("/_sim/sample", tags=["_sim"])
def sample() -> dict[str, str]:
    """One ID per interesting case: single, married, divorced, widowed, deceased, demo."""
    out = {"demo": pop.DEMO_ID, "single": pop.id_of(2)}
    household = 0
    while len(out) < 6:
        if "married" not in out and not head_died(household) and not divorced(household):
            out["married"] = pop.id_of(household * pop.HOUSEHOLD)
        if "divorced" not in out and divorced(household):
            out["divorced"] = pop.id_of(household * pop.HOUSEHOLD + 1)
        if "deceased" not in out and head_died(household):
            out["deceased"] = pop.id_of(household * pop.HOUSEHOLD)
            out["widowed"] = pop.id_of(household * pop.HOUSEHOLD + 1)
        household += 1
    return out
