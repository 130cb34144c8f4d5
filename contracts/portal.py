"""National Public Service Portal (DVCQG) dossier synchronization contract.

Rules: R-SYNC-01 (three POST endpoints: create / update / process steps), R-SYNC-02 (reply
envelope, "đã tồn tại" on create), R-SYNC-03 (``yyyyMMddHHmmss`` strings, chunks of ≤10 steps),
R-SYNC-04 (statuses 1-10 of the §4.11 table), R-SYNC-05 (process-step payload), R-SYNC-06
(DVCQG status strings), R-ID-15 (``LoaiDinhDanh`` 1 = 12 digits, 2 = 9 digits).

Field names follow DOMAIN.md §9.1 exactly; they are the wire names.

Error codes used by the simulator (the production portal's full list was not available,
R-SYNC-07; only ``"0"``, ``"3"`` and ``"-3"`` are attested):

==========  ==============================================================
``"0"``     success, message contains "thành công"
``"3"``     create of an existing ``MaHoSo``: message contains "đã tồn tại" → call update
``"-1"``    invalid payload (schema, chunk of more than 10 steps, empty list)
``"-2"``    update / steps for a ``MaHoSo`` the portal does not know
``"-3"``    illegal status sequence (see :data:`NATIONAL_TRANSITIONS`)
``"-4"``    ``Idempotency-Key`` reused with a different body
==========  ==============================================================
"""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Final

from pydantic import Field, StringConstraints

from contracts.common import ContractModel, Flag01, Timestamp

CREATE_PATH: Final = "/api/dossiers/create"
UPDATE_PATH: Final = "/api/dossiers/update"
STEPS_PATH: Final = "/api/dossiers/steps"

#: R-SYNC-03: process steps are pushed in chunks of at most ten.
MAX_STEPS_PER_CHUNK: Final = 10

ERR_OK: Final = "0"
ERR_EXISTS: Final = "3"
ERR_INVALID: Final = "-1"
ERR_NOT_FOUND: Final = "-2"
ERR_ILLEGAL_STATUS: Final = "-3"
ERR_IDEMPOTENCY_MISMATCH: Final = "-4"


class NationalStatus(IntEnum):
    """National status codes ``TrangThaiHoSo`` (DOMAIN.md §4.11, R-STATE-01, R-SYNC-04)."""

    INTEROPERATING = 0  # liên thông / posting
    RECEIVING = 1  # Mới đăng ký
    NEW = 2  # Được tiếp nhận
    DENIED = 3  # Không được tiếp nhận
    PROCESSING = 4  # Đang xử lý
    WAITING = 5  # Yêu cầu bổ sung giấy tờ
    PAYING = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    CANCELLED = 7  # Công dân yêu cầu rút hồ sơ
    UNRESOLVED = 8  # Dừng xử lý
    RELEASING = 9  # Đã xử lý xong
    DONE = 10  # Đã trả kết quả


S = NationalStatus

#: R-SYNC-06: DVCQG status strings → national codes.
DVCQG_STATUS_STRINGS: Final[dict[str, NationalStatus]] = {
    "receiving": S.RECEIVING,
    "new": S.NEW,
    "denied": S.DENIED,
    "processing": S.PROCESSING,
    "waiting": S.WAITING,
    "paying": S.PAYING,
    "cancelled": S.CANCELLED,
    "unresolved": S.UNRESOLVED,
    "releasing": S.RELEASING,
    "done": S.DONE,
    "interoperating": S.INTEROPERATING,
    "posting": S.INTEROPERATING,
}

#: Statuses a dossier may have when it is first created on the portal: submitted online (1),
#: received at the counter (2) or refused at reception (3) (§4.11 table; R-SYNC-05 says the first
#: process step is always "Tiếp nhận hồ sơ" with status 2).
INITIAL_STATUSES: Final[frozenset[NationalStatus]] = frozenset({S.RECEIVING, S.NEW, S.DENIED})

#: Allowed national-status transitions (R-STATE-01): every edge of the local state machine
#: (``motcua.dossiers.states.TRANSITIONS``, §4.1-4.9) seen through its national codes, plus the
#: resumption of a dossier whose pause was reported as 9 (R-STATE-02). A test keeps it a superset
#: of the local machine (``motcua/dossiers/tests/test_sync.py``). Repeating the current status is
#: always accepted (idempotent re-send, and 5 → 8 reported as 9 → 9); anything not listed is
#: rejected with ``"-3"``. Terminal: 3 (refused), 7 (withdrawn), 8 (stopped), 10 (returned).
#:
#: ====  ======================  =====================================================
#: from  to                      why
#: ====  ======================  =====================================================
#: 1     2, 3, 5, 7, 8, 9        received or refused (R-RCV-07); one supplement request
#:                               before receipt (5, or 9 by R-STATE-02); withdrawn or
#:                               stopped before receipt (R-STOP-01/02, Form 05)
#: 2     0, 4, 5, 7, 8, 9        received → processing / inter-agency / supplement /
#:                               withdrawn / stopped / immediate result
#: 4     0, 5, 6, 7, 8, 9        processing → any pause, stop or result
#: 5     1, 2, 4, 7, 8           supplement delivered (back to the counter before receipt,
#:                               re-received, or back to processing), withdrawn, stopped
#: 6     4, 7, 8, 9              fees paid → processing or result; withdrawn; stopped
#: 0     4, 5, 7, 8, 9           inter-agency partner answers, asks a supplement, the
#:                               applicant withdraws (R-STOP-02), stops, or the result
#: 9     1, 4, 7, 10             result returned (10); or, for a supplement, payment or
#:                               stop reported as 9 (R-STATE-02): the dossier resumes at
#:                               the counter (1) or in processing (4), or is withdrawn (7)
#: ====  ======================  =====================================================
NATIONAL_TRANSITIONS: Final[dict[NationalStatus, frozenset[NationalStatus]]] = {
    S.RECEIVING: frozenset({S.NEW, S.DENIED, S.WAITING, S.CANCELLED, S.UNRESOLVED, S.RELEASING}),
    S.NEW: frozenset(
        {S.INTEROPERATING, S.PROCESSING, S.WAITING, S.CANCELLED, S.UNRESOLVED, S.RELEASING}
    ),
    S.PROCESSING: frozenset(
        {S.INTEROPERATING, S.WAITING, S.PAYING, S.CANCELLED, S.UNRESOLVED, S.RELEASING}
    ),
    S.WAITING: frozenset({S.RECEIVING, S.NEW, S.PROCESSING, S.CANCELLED, S.UNRESOLVED}),
    S.PAYING: frozenset({S.PROCESSING, S.CANCELLED, S.UNRESOLVED, S.RELEASING}),
    S.INTEROPERATING: frozenset({S.PROCESSING, S.WAITING, S.CANCELLED, S.UNRESOLVED, S.RELEASING}),
    S.RELEASING: frozenset({S.RECEIVING, S.PROCESSING, S.CANCELLED, S.DONE}),
    S.DENIED: frozenset(),
    S.CANCELLED: frozenset(),
    S.UNRESOLVED: frozenset(),
    S.DONE: frozenset(),
}

TERMINAL_STATUSES: Final[frozenset[NationalStatus]] = frozenset(
    s for s, targets in NATIONAL_TRANSITIONS.items() if not targets
)


def is_allowed_transition(current: NationalStatus, new: NationalStatus) -> bool:
    """True when the portal accepts ``current → new`` (same status = idempotent re-send)."""
    return current == new or new in NATIONAL_TRANSITIONS[current]


StatusCode = Annotated[int, Field(ge=0, le=10)]


class PersonId(ContractModel):
    """``DinhDanhCHS[]`` item: 1 = 12-digit personal ID, 2 = 9-digit CMND (R-ID-15)."""

    LoaiDinhDanh: Annotated[str, StringConstraints(pattern=r"^[12]$")]
    SoDinhDanh: Annotated[str, StringConstraints(pattern=r"^\d{9}(\d{3})?$")]


class QueriedDatabase(ContractModel):
    """``DSKetNoiCSDL[]`` item: a database consulted for the dossier."""

    MaCSDL: str


class SubmittedDocument(ContractModel):
    """``TaiLieuNop[]`` item."""

    TepDinhKemId: str | None = None
    TenTepDinhKem: str | None = None
    IsDeleted: bool | None = None
    MaThanhPhanHoSo: str | None = None
    DuongDanTaiTepTin: str | None = None
    DuocSoHoa: Flag01 | None = None
    DuocTaiSuDung: Annotated[str, StringConstraints(pattern=r"^[012]$")] | None = None
    DuocLayTuKhoDMQG: Flag01 | None = None
    MaKetQuaThayThe: str | None = None


class Fee(ContractModel):
    """``DanhSachLePhi[]`` item."""

    TenPhiLePhi: str | None = None
    MaPhiLePhi: str | None = None
    HinhThucThu: str | None = None
    Gia: int | None = None
    LoaiPhiLePhi: str | None = None


class SupplementRequest(ContractModel):
    """``DanhSachHoSoBoSung[]`` item (supplement rounds)."""

    HoSoBoSungId: str | None = None
    NguoiYeuCauBoSung: str | None = None
    NoiDungBoSung: str | None = None
    NgayBoSung: Timestamp | None = None
    NguoiTiepNhanBoSung: str | None = None
    ThongTinTiepNhan: str | None = None
    NgayTiepNhanBoSung: Timestamp | None = None
    TrangThaiBoSung: str | None = None
    DanhSachGiayToBoSung: list[dict[str, object]] = Field(default_factory=list)
    DanhSachLePhiBoSung: list[dict[str, object]] = Field(default_factory=list)
    NgayHenTraTruoc: Timestamp | None = None
    NgayHenTraMoi: Timestamp | None = None


class ResultDocument(ContractModel):
    """``DanhSachGiayToKetQua[]`` item."""

    TenGiayTo: str | None = None
    MaThanhPhanHoSo: str | None = None
    GiayToId: str | None = None
    DuongDanTepTinKetQua: str | None = None
    MaGiayToKetQua: str | None = None


class OtherAttachment(ContractModel):
    """``DanhSachTepDinhKemKhac[]`` item."""

    TenGiayTo: str | None = None
    SoLuong: int | None = None
    LoaiGiayTo: str | None = None


class DossierSync(ContractModel):
    """One dossier as sent to create / update (DOMAIN.md §9.1 dossier payload, R-SYNC-04)."""

    MaHoSo: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    MaTTHC: str | None = None
    TenTTHC: str | None = None
    MaLinhVuc: str | None = None
    TenLinhVuc: str | None = None
    KenhThucHien: Annotated[str, StringConstraints(pattern=r"^[123]$")] | None = None
    ChuHoSo: str | None = None
    SoGiayToChuHoSo: str | None = None
    LoaiDoiTuong: Annotated[str, StringConstraints(pattern=r"^[1234]$")] | None = None
    MaDoiTuong: str | None = None
    Email: str | None = None
    Fax: str | None = None
    SoDienThoai: str | None = None
    ThongTinKhac: str | None = None
    TrichYeuHoSo: Annotated[str, StringConstraints(max_length=1000)] | None = None
    NgayTiepNhan: Timestamp | None = None
    NgayHenTra: Timestamp | None = None
    NgayTra: Timestamp | None = None
    NgayKetThucXuLy: Timestamp | None = None
    NgayTuChoi: Timestamp | None = None
    NgayNopHoSo: Timestamp | None = None
    TrangThaiHoSo: StatusCode
    HinhThuc: str | None = None
    DonViXuLy: str | None = None
    NoiNopHoSo: str | None = None
    HoSoCoThanhPhanSoHoa: Flag01 | None = None
    TaiKhoanDuocXacThucVoiVNeID: Flag01 | None = None
    DuocThanhToanTrucTuyen: Flag01 | None = None
    DinhDanhCHS: list[PersonId] = Field(default_factory=list)
    DSKetNoiCSDL: list[QueriedDatabase] = Field(default_factory=list)
    TaiLieuNop: list[SubmittedDocument] = Field(default_factory=list)
    DanhSachLePhi: list[Fee] = Field(default_factory=list)
    DanhSachHoSoBoSung: list[SupplementRequest] = Field(default_factory=list)
    DanhSachGiayToKetQua: list[ResultDocument] = Field(default_factory=list)
    DanhSachTepDinhKemKhac: list[OtherAttachment] = Field(default_factory=list)


class ProcessStep(ContractModel):
    """One process step (R-SYNC-05); the first is "Tiếp nhận hồ sơ" with ``TrangThai`` 2."""

    MaHoSo: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    NguoiXuLy: Annotated[str, StringConstraints(max_length=50)]
    ChucDanh: str | None = None
    ThoiDiemXuLy: Timestamp
    PhongBanXuLy: str | None = None
    NoiDungXuLy: str | None = None
    TrangThai: StatusCode
    NgayBatDau: Timestamp | None = None
    NgayKetThucTheoQuyDinh: Timestamp | None = None


#: Request bodies: both create/update and steps take a JSON array (R-SYNC-01).
DossierBatch = list[DossierSync]
StepBatch = list[ProcessStep]
