"""Realistic Vietnamese sample data for the form tests (every tone mark, long names)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from motcua.documents.forms import (
    Applicant,
    BookRow,
    ComponentLine,
    Form01Data,
    Form02Data,
    Form03Data,
    Form04Data,
    Form05Data,
    Form06Data,
    Form07Data,
    HandoverStep,
    Issuer,
    StepResult,
    SupplementItem,
)

ISSUER = Issuer(
    unit_name="Bộ phận Tiếp nhận và Trả kết quả Phường Ninh Kiều",
    province_name="Thành phố Cần Thơ",
    parent_name="Ủy ban nhân dân Phường Ninh Kiều",
)
APPLICANT = Applicant(
    name="Nguyễn Thị Ánh Tuyết",
    address="Số 12, hẻm 51, đường Nguyễn Việt Hồng, khu vực 3, Phường Ninh Kiều, Cần Thơ",
    phone="0901 234 567",
    email="anhtuyet.nguyen@example.vn",
    id_number="092190000001",
)
LONG_PROCEDURE = (
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của "
    "Việt Nam cấp hoặc chứng nhận; giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước "
    "ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm "
    "quyền của nước ngoài cấp hoặc chứng nhận (áp dụng chung cho cả trường hợp yêu cầu cấp bản "
    "sao từ sổ gốc đã bị hư hỏng, thất lạc)"
)
CODE = "000.00.15.H13-250915-0007"
TRACKING_URL = "https://dichvucong.cantho.gov.vn/tra-cuu/000.00.15.H13-250915-0007"
# 07:30 UTC = 14 giờ 30 phút in Asia/Ho_Chi_Minh (R-FORM-05).
RECEIVED = datetime(2025, 9, 15, 7, 30, tzinfo=UTC)
DUE = datetime(2025, 9, 17, 9, 5, tzinfo=UTC)
COMPONENTS = [
    ComponentLine("Tờ khai đăng ký khai sinh theo mẫu", "Bản chính", 1),
    ComponentLine("Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp", "Bản chính", 1),
    ComponentLine(
        "Văn bản ủy quyền có chứng thực (trường hợp ủy quyền thực hiện thủ tục)",
        "Bản sao có chứng thực",
        2,
    ),
    ComponentLine("Giấy tờ chứng minh nơi cư trú của người mẹ", "Bản sao", 1),
]


def form01(**changes: object) -> Form01Data:
    values: dict[str, object] = {
        "issuer": ISSUER,
        "dossier_code": CODE,
        "applicant": APPLICANT,
        "procedure_name": "Đăng ký khai sinh",
        "components": COMPONENTS,
        "statutory_time_text": "Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì "
        "trả kết quả trong ngày làm việc tiếp theo",
        "received_at": RECEIVED,
        "due_at": DUE,
        "return_place_text": "Quầy số 3, Bộ phận Tiếp nhận và Trả kết quả Phường Ninh Kiều",
        "tracking_url": TRACKING_URL,
        "officer_name": "Trần Quốc Hưng",
        "book_ref": "Quyển số 02/2025, số thứ tự 1.247",
    }
    values.update(changes)
    return Form01Data(**values)  # type: ignore[arg-type]


def form02() -> Form02Data:
    return Form02Data(
        issuer=ISSUER,
        issued_at=RECEIVED,
        applicant=APPLICANT,
        procedure_name=LONG_PROCEDURE,
        dossier_code=CODE,
        items=[
            SupplementItem(
                "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp",
                "Bản nộp là bản chụp, không đọc được số hiệu và dấu của bệnh viện",
                "Bản chính",
                1,
            ),
            SupplementItem(
                "Văn bản ủy quyền",
                "Văn bản ủy quyền chưa được chứng thực chữ ký của người ủy quyền theo quy định",
                "Bản sao có chứng thực",
                1,
            ),
        ],
        officer_name="Lê Hoàng Yến Nhi",
        contact_phone="0292 3820 111",
        number="15/PBS",
    )


def form03() -> Form03Data:
    return Form03Data(
        issuer=ISSUER,
        issued_at=RECEIVED,
        applicant=APPLICANT,
        procedure_name="Đăng ký kết hôn có yếu tố nước ngoài",
        reasons=[
            "Hồ sơ thuộc thẩm quyền giải quyết của Ủy ban nhân dân cấp tỉnh, không thuộc thẩm "
            "quyền của Ủy ban nhân dân cấp xã.",
            "Giấy xác nhận tình trạng hôn nhân đã hết thời hạn sử dụng (quá 06 tháng).",
        ],
        officer_name="Trần Quốc Hưng",
        dossier_code=CODE,
        contact_text="Sở Tư pháp thành phố Cần Thơ, số 6 Ngô Hữu Hạnh, Phường Ninh Kiều.",
        number="03/TC",
    )


def form04() -> Form04Data:
    return Form04Data(
        issuer=ISSUER,
        issued_at=DUE - timedelta(days=1),
        applicant=APPLICANT,
        dossier_code=CODE,
        procedure_name=LONG_PROCEDURE,
        received_at=RECEIVED,
        previous_due_at=DUE,
        new_due_at=datetime(2025, 9, 22, 2, 0, tzinfo=UTC),
        current_status="Đang thẩm định",
        reason="Cần xác minh thông tin hộ tịch với Ủy ban nhân dân xã Phong Điền",
        agency_at_fault="Công chức Tư pháp - Hộ tịch Phường Ninh Kiều",
        return_place_text="Quầy số 3, Bộ phận Tiếp nhận và Trả kết quả Phường Ninh Kiều",
        signer_title="CHỦ TỊCH",
        signer_name="Phạm Thị Hồng Nhung",
        number="27/XL-UBND",
    )


def form05() -> Form05Data:
    return Form05Data(
        issuer=ISSUER,
        issued_at=RECEIVED + timedelta(days=1),
        applicant=APPLICANT,
        dossier_code=CODE,
        procedure_name="Đăng ký khai sinh",
        received_at=RECEIVED,
        requested_at=RECEIVED + timedelta(hours=20),
        stopped_at=RECEIVED + timedelta(days=1),
        reason="Công dân yêu cầu dừng giải quyết, rút hồ sơ để bổ sung giấy tờ của người cha",
        return_place_text="Quầy số 3, Bộ phận Tiếp nhận và Trả kết quả Phường Ninh Kiều",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Võ Văn Được",
        number="05/TB-UBND",
    )


def form06() -> Form06Data:
    return Form06Data(
        issuer=ISSUER,
        dossier_code=CODE,
        applicant=APPLICANT,
        procedure_name=LONG_PROCEDURE,
        received_at=RECEIVED,
        statutory_time_text="02 ngày làm việc",
        due_at=DUE,
        components=COMPONENTS,
        competent_unit_name="Công chức Tư pháp - Hộ tịch Phường Ninh Kiều",
        steps=[
            HandoverStep(
                "Bộ phận Tiếp nhận và Trả kết quả Phường Ninh Kiều",
                "Công chức Tư pháp - Hộ tịch",
                RECEIVED + timedelta(minutes=40),
                from_person="Trần Quốc Hưng",
                to_person="Lê Hoàng Yến Nhi",
                result=StepResult.EARLY,
            ),
            HandoverStep(
                "Công chức Tư pháp - Hộ tịch",
                "Lãnh đạo Ủy ban nhân dân Phường Ninh Kiều",
                RECEIVED + timedelta(days=1),
                result=StepResult.ON_TIME,
                note="Trình ký",
            ),
            HandoverStep(
                "Lãnh đạo Ủy ban nhân dân Phường Ninh Kiều",
                "Bộ phận Tiếp nhận và Trả kết quả Phường Ninh Kiều",
                DUE + timedelta(hours=3),
                result=StepResult.LATE,
                note="Chờ xác minh thông tin hộ tịch với xã Phong Điền; đã gửi văn bản xin lỗi",
            ),
        ],
    )


NAMES = [
    "Nguyễn Thị Ánh Tuyết",
    "Trần Văn Đức",
    "Lê Hoàng Yến Nhi",
    "Phạm Quốc Khánh",
    "Huỳnh Thị Mỹ Dung",
    "Võ Minh Trí",
]
PROCEDURES = [
    "Đăng ký khai sinh",
    "Đăng ký kết hôn",
    LONG_PROCEDURE,
    "Cấp bản sao trích lục hộ tịch",
    "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm "
    "chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)",
]


def book_rows(count: int) -> list[BookRow]:
    rows = []
    for i in range(count):
        received = RECEIVED + timedelta(hours=3 * i)
        rows.append(
            BookRow(
                dossier_code=f"000.00.15.H13-250915-{i + 1:04d}",
                procedure_name=PROCEDURES[i % len(PROCEDURES)],
                applicant_name=NAMES[i % len(NAMES)],
                applicant_address_phone=f"Số {i + 1}, đường 30 Tháng 4, Phường Ninh Kiều; "
                f"09{i:08d}",
                competent_unit_name="Công chức Tư pháp - Hộ tịch",
                received_at=received,
                due_at=received + timedelta(days=2),
                transferred_at=received + timedelta(hours=1),
                result_received_at=received + timedelta(days=1) if i % 3 else None,
                returned_at=received + timedelta(days=1, hours=2) if i % 3 else None,
                note="Trả qua dịch vụ bưu chính công ích" if i % 7 == 0 else "",
            )
        )
    return rows


def form07(count: int = 60) -> Form07Data:
    return Form07Data(
        issuer=ISSUER,
        issued_at=RECEIVED,
        period_text="Tháng 9 năm 2025",
        rows=book_rows(count),
        book_no="02/2025",
    )
