"""Simulated National Population Database (CSDL quốc gia về dân cư) lookup.

Contract: :mod:`contracts.population` (R-POP-01, R-POP-02). ``POST /api/population/lookup``
with ``SoDinhDanh`` → ``{error_code, message}`` where ``message`` is the SOAP/XML envelope.

Synthetic, deterministic population (same answer across restarts and machines):

* 100,000 people in 25,000 four-person households (head, spouse, two children), so ``ChuHo``,
  ``Cha``, ``Me`` and ``VoChong`` point at real IDs of the same data set.
* Person ``i`` ↔ 12-digit ID both ways, nothing stored: ``PPP G YY SSSSSS`` with ``PPP`` the
  birth-registration province (the 63 card codes of Decision 124/2004 via ``vn_ident``), ``G``
  the century/gender digit, ``YY`` the birth year and ``SSSSSS = (A·i + B) mod 10⁶`` (an affine
  bijection, inverted with ``A⁻¹``). Every ID passes ``vn_ident.is_valid_cccd`` (R-ID-15).
* Plus the platform's demo citizen ``092190000001`` (Nguyễn Thị An, 1990, Phường Ninh Kiều,
  Thành phố Cần Thơ), :func:`demo_citizen`; :func:`find` resolves either.
* Names with correct diacritics (NFC); addresses in real communes of the 34 provinces after
  1/7/2025 from ``vietnam_provinces``, province + commune only (R-POP-04).

Every lookup is written to the query log before it is answered (R-POP-03, R-PDP-07) and can be
read back per officer/unit at ``GET /_sim/queries`` (R-PDP-08).
"""

from __future__ import annotations

import hashlib
import json
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Annotated, Any, Final

from fastapi import Query
from vietnam_provinces import Province, Ward
from vn_ident import PROVINCES

from contracts import population as c
from contracts.population import (
    Address,
    BirthDate,
    Citizen,
    FullName,
    HouseholdHead,
    LookupRequest,
    Relative,
)
from simulators.base import create_sim_app

POPULATION: Final = 100_000
HOUSEHOLD: Final = 4
SEED: Final = "motcua-population-v1"
_MOD: Final = 1_000_000
_A: Final = 379_721  # coprime with 10⁶
_B: Final = 271_828
_A_INV: Final = pow(_A, -1, _MOD)

SURNAMES: Final = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
    ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
    ("Ngô", 1), ("Dương", 1), ("Lý", 1), ("Đinh", 1), ("Trịnh", 1),
)  # fmt: skip
MIDDLE_MALE: Final = ("Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Gia", "Công", "Xuân", "Ngọc")
MIDDLE_FEMALE: Final = ("Thị", "Ngọc", "Thu", "Thanh", "Phương", "Minh", "Hồng", "Kim", "Khánh")
GIVEN_MALE: Final = (
    "Anh", "Bảo", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hoàng",
    "Hùng", "Huy", "Khang", "Khánh", "Khoa", "Kiên", "Long", "Lâm", "Minh", "Nam", "Nghĩa",
    "Phong", "Phúc", "Quang", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Trung",
    "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Lộc", "Toàn", "Hưng",
)  # fmt: skip
GIVEN_FEMALE: Final = (
    "An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Huyền", "Hương",
    "Lan", "Linh", "Loan", "Mai", "My", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm",
    "Thảo", "Thủy", "Trang", "Trinh", "Uyên", "Vân", "Xuân", "Yến", "Ánh", "Nguyệt",
)  # fmt: skip
ETHNICITIES: Final = (
    ("Kinh", 85), ("Tày", 2), ("Thái", 2), ("Mường", 2), ("Khmer", 2), ("Hoa", 1),
    ("Nùng", 1), ("H'Mông", 2), ("Dao", 1), ("Gia Rai", 1), ("Ê Đê", 1),
)  # fmt: skip
RELIGIONS: Final = (
    ("Không", 80), ("Phật giáo", 9), ("Công giáo", 7), ("Cao Đài", 1), ("Tin Lành", 1),
    ("Phật giáo Hòa Hảo", 2),
)  # fmt: skip
BLOOD: Final = (("O", 42), ("A", 21), ("B", 30), ("AB", 7))
STREETS: Final = (
    "đường Lê Lợi", "đường Trần Hưng Đạo", "đường Nguyễn Trãi", "đường Hai Bà Trưng",
    "đường Quang Trung", "đường Lý Thường Kiệt", "thôn Đông", "thôn Tây", "xóm Chùa",
    "ấp Bình An", "tổ dân phố 3", "khu phố 2", "bản Nà Lầu",
)  # fmt: skip
RELATION: Final = ("Chủ hộ", "Vợ", "Con", "Con")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _h(tag: str, n: int) -> int:
    digest = hashlib.sha256(f"{SEED}:{tag}:{n}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _pick(options: tuple[str, ...], tag: str, n: int) -> str:
    return options[_h(tag, n) % len(options)]


def _weighted(options: tuple[tuple[str, int], ...], tag: str, n: int) -> str:
    roll = _h(tag, n) % sum(w for _, w in options)
    for value, weight in options:
        if roll < weight:
            return value
        roll -= weight
    return options[-1][0]


@cache
def _wards() -> tuple[Ward, ...]:
    return tuple(sorted(Ward.iter_all(), key=lambda w: int(w.code)))


@cache
def _provinces() -> dict[int, Province]:
    return {int(p.code): p for p in Province.iter_all()}


@cache
def communes(province_code: str) -> tuple[Address, ...]:
    """Every real commune of a province (``MaTinhThanh``, two digits), without detail."""
    province = _provinces()[int(province_code)]
    return tuple(
        Address(
            MaTinhThanh=f"{int(province.code):02d}",
            MaPhuongXa=f"{int(w.code):05d}",
            TenTinhThanh=province.name,
            TenPhuongXa=w.name,
            QuocGia="VN",
        )
        for w in _wards()
        if int(w.province_code) == int(province_code)
    )


def address(tag: str, n: int, detail: bool) -> Address:
    """A real commune (post-1/7/2025, no district, R-POP-04) chosen by ``(tag, n)``."""
    ward = _wards()[_h(tag, n) % len(_wards())]
    province = _provinces()[int(ward.province_code)]
    chi_tiet = ""
    if detail:
        chi_tiet = _nfc(f"Số {_h(tag + 'no', n) % 200 + 1}, {_pick(STREETS, tag + 'st', n)}")
    return Address(
        MaTinhThanh=f"{int(province.code):02d}",
        MaPhuongXa=f"{int(ward.code):05d}",
        TenTinhThanh=province.name,
        TenPhuongXa=ward.name,
        ChiTiet=chi_tiet,
        QuocGia="VN",
    )


@dataclass(frozen=True)
class _Core:
    """What the ID is made of, plus the name: enough to describe a relative."""

    index: int
    male: bool
    year: int
    day_of_year: int
    province_code: str
    surname: str
    middle: str
    given: str

    @property
    def name(self) -> FullName:
        return FullName(Ho=self.surname, ChuDem=self.middle, Ten=self.given)

    @property
    def id(self) -> str:
        century_digit = (self.year // 100 - 19) * 2 + (0 if self.male else 1)
        serial = (_A * self.index + _B) % _MOD
        return f"{self.province_code}{century_digit}{self.year % 100:02d}{serial:06d}"


def _head_year(household: int) -> int:
    return 1950 + _h("head-year", household) % 36


def _core(i: int) -> _Core:
    household, role = divmod(i, HOUSEHOLD)
    family = _weighted(SURNAMES, "surname", household)
    if role == 0:
        male, year, surname = True, _head_year(household), family
    elif role == 1:
        male = False
        year = _head_year(household) + _h("spouse-year", household) % 9 - 3
        surname = _weighted(SURNAMES, "maiden", household)
    else:
        male = _h("child-sex", i) % 2 == 0
        year = min(2024, _head_year(household) + 22 + _h("child-year", i) % 17)
        surname = family
    middle = _pick(MIDDLE_MALE if male else MIDDLE_FEMALE, "middle", i)
    given = _pick(GIVEN_MALE if male else GIVEN_FEMALE, "given", i)
    birth_province = PROVINCES[_h("birth-province", household if role >= 2 else i) % 63][0]
    return _Core(
        index=i,
        male=male,
        year=year,
        day_of_year=_h("birthday", i) % 365,
        province_code=birth_province,
        surname=_nfc(surname),
        middle=_nfc(middle),
        given=_nfc(given),
    )


def id_of(i: int) -> str:
    """The 12-digit personal ID of person ``i`` (0 ≤ i < 100,000)."""
    return _core(i).id


def index_of(personal_id: str) -> int | None:
    """Person index of a 12-digit ID, or ``None`` if nobody in the data set has it."""
    if len(personal_id) != 12 or not personal_id.isdigit():
        return None
    i = (_A_INV * (int(personal_id[6:]) - _B)) % _MOD
    if i >= POPULATION or id_of(i) != personal_id:
        return None
    return i


def _relative(core: _Core) -> Relative:
    return Relative(HoVaTen=core.name.full, QuocTich="VN", SoDinhDanh=core.id)


def _birth_date(core: _Core) -> BirthDate:
    day = date(core.year, 1, 1) + timedelta(days=core.day_of_year)
    return BirthDate(NgayThangNam=day.strftime("%Y%m%d"), Nam=f"{core.year:04d}")


def citizen(i: int) -> Citizen:
    """The full ``CongDan`` record of person ``i`` (R-POP-02)."""
    core = _core(i)
    household, role = divmod(i, HOUSEHOLD)
    head = _core(household * HOUSEHOLD)
    spouse = _core(household * HOUSEHOLD + 1)
    home = address("home", household, detail=True)
    cha: Relative | None
    me: Relative | None
    if role >= 2:
        cha, me, vo_chong = _relative(head), _relative(spouse), None
        married = "1"
        born_at = address("home", household, detail=False)
    else:
        father = FullName(
            Ho=core.surname, ChuDem=_pick(MIDDLE_MALE, "f-mid", i), Ten=_pick(GIVEN_MALE, "f", i)
        )
        mother = FullName(
            Ho=_nfc(_weighted(SURNAMES, "m-sur", i)),
            ChuDem=_pick(MIDDLE_FEMALE, "m-mid", i),
            Ten=_pick(GIVEN_FEMALE, "m", i),
        )
        cha = Relative(HoVaTen=_nfc(father.full), QuocTich="VN")
        me = Relative(HoVaTen=_nfc(mother.full), QuocTich="VN")
        vo_chong = _relative(spouse if role == 0 else head)
        married = "2"
        born_at = address("born", i, detail=False)
    adult = core.year <= 2007
    return Citizen(
        SoDinhDanh=core.id,
        SoCMND=f"{_h('cmnd', i) % 10**9:09d}" if core.year < 1990 else "",
        HoVaTen=core.name,
        GioiTinh="1" if core.male else "2",
        DanToc=_nfc(_weighted(ETHNICITIES, "ethnic", household)),
        TonGiao=_nfc(_weighted(RELIGIONS, "religion", household)),
        TinhTrangHonNhan=married,
        NhomMau=_weighted(BLOOD, "blood", i),
        NgayThangNamSinh=_birth_date(core),
        NoiDangKyKhaiSinh=born_at,
        QueQuan=address("origin", household, detail=False),
        ThuongTru=home,
        NoiOHienTai=home,
        Cha=cha,
        Me=me,
        VoChong=vo_chong,
        NguoiDaiDien=None if adult else _relative(head),
        ChuHo=HouseholdHead(QuanHe=RELATION[role], SoDinhDanh=head.id, HoVaTen=head.name.full),
        SoSoHoKhau=f"{_h('hokhau', household) % 10**9:09d}",
        LoaiTaiKhoan="1",
    )


DEMO_ID: Final = c.DEMO_CITIZEN_ID
DEMO_WARD_CODE: Final = "31135"  # Phường Ninh Kiều, Thành phố Cần Thơ (post-1/7/2025)
DEMO_PHONE: Final = "0901234567"
DEMO_EMAIL: Final = "nguyenthian@example.com"


def _ward_address(ward_code: str, chi_tiet: str) -> Address:
    ward = next(w for w in _wards() if f"{int(w.code):05d}" == ward_code)
    province = _provinces()[int(ward.province_code)]
    return Address(
        MaTinhThanh=f"{int(province.code):02d}",
        MaPhuongXa=ward_code,
        TenTinhThanh=province.name,
        TenPhuongXa=ward.name,
        ChiTiet=_nfc(chi_tiet),
        QuocGia="VN",
    )


@cache
def demo_citizen() -> Citizen:
    """The platform's demo citizen ``092190000001`` (Nguyễn Thị An), outside the data set."""
    home = _ward_address(DEMO_WARD_CODE, "Số 12, đường Hai Bà Trưng")
    born_at = _ward_address(DEMO_WARD_CODE, "")
    return Citizen(
        SoDinhDanh=DEMO_ID,
        HoVaTen=FullName(Ho="Nguyễn", ChuDem="Thị", Ten="An"),
        GioiTinh="2",
        DanToc="Kinh",
        TonGiao="Không",
        TinhTrangHonNhan="1",
        NhomMau="O",
        NgayThangNamSinh=BirthDate(NgayThangNam="19900315", Nam="1990"),
        NoiDangKyKhaiSinh=born_at,
        QueQuan=born_at,
        ThuongTru=home,
        NoiOHienTai=home,
        Cha=Relative(HoVaTen="Nguyễn Văn Bình", QuocTich="VN"),
        Me=Relative(HoVaTen="Trần Thị Hoa", QuocTich="VN"),
        ChuHo=HouseholdHead(QuanHe="Chủ hộ", SoDinhDanh=DEMO_ID, HoVaTen="Nguyễn Thị An"),
        SoSoHoKhau="092000001",
        ThuDienTu=DEMO_EMAIL,
        LoaiTaiKhoan="1",
    )


def find(personal_id: str) -> Citizen | None:
    """The person with this 12-digit ID (the data set or the demo citizen), else ``None``."""
    if personal_id == DEMO_ID:
        return demo_citizen()
    i = index_of(personal_id)
    return None if i is None else citizen(i)


SCHEMA = """
CREATE TABLE IF NOT EXISTS query_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    ma_can_bo TEXT,
    ma_dvc TEXT,
    ma_tich_hop TEXT,
    ma_yeu_cau TEXT,
    so_dinh_danh TEXT NOT NULL,
    request TEXT NOT NULL,
    result TEXT
);
"""

app, ctx = create_sim_app(
    "population", title="CSDL quốc gia về dân cư (mô phỏng) — tra cứu công dân", schema=SCHEMA
)


def _matches(given: str | None, actual: str) -> bool:
    if not given:
        return True
    return _nfc(" ".join(given.split())).casefold() == actual.casefold()


@app.post(c.LOOKUP_PATH)
def lookup(req: LookupRequest) -> dict[str, str]:
    """R-POP-01 lookup by ``SoDinhDanh``; reply with the R-POP-02 envelope."""
    with ctx.db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO query_log (at, ma_can_bo, ma_dvc, ma_tich_hop, ma_yeu_cau, so_dinh_danh,"
            " request) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (time.time(), req.MaCanBo, req.MaDVC, req.MaTichHop, req.MaYeuCau, req.SoDinhDanh,
             req.model_dump_json()),
        )  # fmt: skip
        log_id = cursor.lastrowid
    person = find(req.SoDinhDanh)
    if person is None:
        result = {"error_code": c.ERR_NOT_FOUND, "message": "Không tìm thấy thông tin công dân"}
    else:
        birth = person.NgayThangNamSinh
        if not _matches(req.HoVaTen, person.HoVaTen.full) or (
            req.NgayThangNam and req.NgayThangNam != birth.NgayThangNam
        ) or (req.Nam and req.Nam != birth.Nam):  # fmt: skip
            result = {"error_code": c.ERR_MISMATCH, "message": "Thông tin công dân không khớp"}
        else:
            result = {"error_code": c.ERR_OK, "message": c.build_envelope([person])}
    with ctx.db.transaction() as conn:
        conn.execute("UPDATE query_log SET result=? WHERE id=?", (result["error_code"], log_id))
    return result


@app.get("/_sim/sample", tags=["_sim"])
def sample(n: Annotated[int, Query(ge=1, le=100)] = 5) -> list[dict[str, Any]]:
    """A few valid people (IDs, names, birth dates) for tests and demos."""
    out = []
    for k in range(n):
        i = (k * 7919 + 13) % POPULATION
        person = citizen(i)
        out.append(
            {
                "SoDinhDanh": person.SoDinhDanh,
                "HoVaTen": person.HoVaTen.full,
                "NgayThangNam": person.NgayThangNamSinh.NgayThangNam,
                "GioiTinh": person.GioiTinh,
                "ChuHo": person.ChuHo.SoDinhDanh,
                "ThuongTru": person.ThuongTru.model_dump(),
            }
        )
    return out


@app.get("/_sim/queries", tags=["_sim"])
def queries(
    ma_can_bo: Annotated[str | None, Query(alias="MaCanBo")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The query log (R-POP-03, R-PDP-07), optionally for one officer (R-PDP-08)."""
    sql = "SELECT * FROM query_log"
    params: tuple[Any, ...] = ()
    if ma_can_bo is not None:
        sql += " WHERE ma_can_bo=?"
        params = (ma_can_bo,)
    rows = ctx.db.query(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
    return [{**dict(row), "request": json.loads(row["request"])} for row in rows]
