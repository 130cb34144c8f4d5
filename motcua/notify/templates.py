"""Vietnamese message templates for the applicant, one per moment that matters (issue #6 item 5).

Pure: plain values in, text out. SMS texts stay short and carry the dossier code; the e-mail
and in-app copies add the details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from motcua.core.text import unaccent

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    sms: str
    body: str

    def __post_init__(self) -> None:
        # SMS go out without diacritics (one GSM-7 segment carries 160 characters, not 70).
        object.__setattr__(self, "sms", unaccent(self.sms))


@dataclass(frozen=True)
class Facts:
    code: str
    procedure: str
    unit: str
    due_at: datetime | None = None
    reason: str = ""
    amount: int | None = None
    tracking_url: str = ""
    rating_url: str = ""  # the signed rating link once the result is returned (R-SAT-01)


def _when(moment: datetime | None, *, sms: bool = False) -> str:
    """'17:00 ngày 16/03/2026'; in SMS without diacritics ('ngay'), like the rest of the SMS."""
    if moment is None:
        return "-" if sms else "—"
    local = moment.astimezone(TZ)
    return f"{local:%H}:{local:%M} {'ngay' if sms else 'ngày'} {local:%d/%m/%Y}"


def received(f: Facts) -> Message:
    return Message(
        "received",
        f"Đã tiếp nhận hồ sơ {f.code}",
        f"Ho so {f.code} da duoc tiep nhan. Hen tra: {_when(f.due_at, sms=True)}. "
        f"Tra cuu: {f.tracking_url}",
        f"{f.unit} đã tiếp nhận hồ sơ {f.code} ({f.procedure}). Thời gian hẹn trả kết quả: "
        f"{_when(f.due_at)}. Tra cứu tình trạng hồ sơ: {f.tracking_url}",
    )


def supplement(f: Facts) -> Message:
    return Message(
        "supplement",
        f"Hồ sơ {f.code} cần bổ sung",
        f"Ho so {f.code} can bo sung giay to. Vui long xem chi tiet: {f.tracking_url}",
        f"Hồ sơ {f.code} ({f.procedure}) cần bổ sung, hoàn thiện: {f.reason}. Thời hạn giải quyết "
        "được tính lại khi nhận đủ hồ sơ bổ sung.",
    )


def payment_due(f: Facts) -> Message:
    amount = f"{f.amount:,}".replace(",", ".") if f.amount else "—"
    return Message(
        "payment_due",
        f"Hồ sơ {f.code}: cần thực hiện nghĩa vụ tài chính",
        f"Ho so {f.code} can nop {amount} dong de tiep tuc giai quyet. Chi tiet: {f.tracking_url}",
        f"Hồ sơ {f.code} cần nộp {amount} đồng ({f.reason}). Thời gian chờ nộp không tính vào "
        "thời hạn giải quyết.",
    )


def apology(f: Facts) -> Message:
    return Message(
        "apology",
        f"Xin lỗi: hồ sơ {f.code} được hẹn lại ngày trả",
        f"Xin loi: ho so {f.code} cham tra. Hen lai: {_when(f.due_at, sms=True)}. "
        f"Chi tiet: {f.tracking_url}",
        f"{f.unit} xin lỗi vì hồ sơ {f.code} ({f.procedure}) chưa giải quyết kịp. Lý do: "
        f"{f.reason}. Ngày hẹn mới: {_when(f.due_at)}.",
    )


def result_ready(f: Facts) -> Message:
    return Message(
        "result_ready",
        f"Hồ sơ {f.code} đã có kết quả",
        f"Ho so {f.code} da co ket qua. Moi ong/ba nhan tai {f.unit} hoac xem: {f.tracking_url}",
        f"Hồ sơ {f.code} ({f.procedure}) đã có kết quả. Nơi trả kết quả: {f.unit}.",
    )


def returned(f: Facts) -> Message:
    """The last message: the rating link (R-SAT-01) if there is one, else the tracking page."""
    rate = f" Đánh giá tại: {f.rating_url}" if f.rating_url else ""
    return Message(
        "returned",
        f"Đã trả kết quả hồ sơ {f.code}",
        f"Ho so {f.code} da tra ket qua. Moi danh gia muc do hai long: "
        f"{f.rating_url or f.tracking_url}",
        f"Kết quả hồ sơ {f.code} ({f.procedure}) đã được trả. Mời ông/bà đánh giá mức độ hài "
        f"lòng với việc giải quyết thủ tục.{rate}",
    )
