"""Forms 02–05: supplement request, refusal, apology with new date, stop notice (DOMAIN.md §5)."""

from __future__ import annotations

from motcua.documents.pdf import render_form02, render_form03, render_form04, render_form05
from motcua.documents.tests import samples
from motcua.documents.tests.pdftools import page_sizes_mm, text_of

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def test_form02_lists_each_item_to_supplement_with_its_reason_and_the_contact_officer() -> None:
    """GIVEN two missing items, each with a reason
    WHEN Form 02 is rendered
    THEN every item, its reason and the contact officer are printed (R-SUP-01)."""
    pdf = render_form02(samples.form02())
    text = text_of(pdf)
    for expected in (
        *MOTTO,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Mẫu số 02, Phụ lục I, Thông tư 03/2025/TT-VPCP",
        "Nguyễn Thị Ánh Tuyết",
        samples.LONG_PROCEDURE,
        "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp (Bản chính, 01 bản)",
        "Bản nộp là bản chụp, không đọc được số hiệu và dấu của bệnh viện",
        "Văn bản ủy quyền chưa được chứng thực chữ ký của người ủy quyền theo quy định",
        "Lê Hoàng Yến Nhi, số điện thoại 0292 3820 111",
        "NGƯỜI HƯỚNG DẪN",
        "Cần Thơ, ngày 15 tháng 9 năm 2025",
        samples.CODE,
    ):
        assert expected in text, expected
    assert page_sizes_mm(pdf) == [(148, 210)]


def test_form03_prints_every_specific_reason_for_refusal() -> None:
    """GIVEN a refusal with two reasons
    WHEN Form 03 is rendered
    THEN both reasons are printed, numbered (R-RCV-07)."""
    pdf = render_form03(samples.form03())
    text = text_of(pdf)
    for expected in (
        *MOTTO,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 03, Phụ lục I, Thông tư 03/2025/TT-VPCP",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "1. Hồ sơ thuộc thẩm quyền giải quyết của Ủy ban nhân dân cấp tỉnh",
        "2. Giấy xác nhận tình trạng hôn nhân đã hết thời hạn sử dụng (quá 06 tháng).",
        "Sở Tư pháp thành phố Cần Thơ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ):
        assert expected in text, expected
    assert page_sizes_mm(pdf) == [(148, 210)]


def test_form04_carries_the_apology_the_agency_at_fault_and_the_new_date_and_place() -> None:
    """GIVEN a late dossier whose appointment moves from 17/9 16:05 to 22/9 09:00
    WHEN Form 04 is rendered
    THEN it states the receipt, original appointment, status, reason, agency at fault, apology,
    new date and place, and the signer (R-LATE-04, R-LATE-05)."""
    pdf = render_form04(samples.form04())
    text = text_of(pdf)
    for expected in (
        *MOTTO,
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Mẫu số 04, Phụ lục I, Thông tư 03/2025/TT-VPCP",
        "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết",
        "Vào 14 giờ 30 phút, ngày 15 tháng 9 năm 2025",
        samples.CODE,
        "Thời gian hẹn trả kết quả: 16 giờ 05 phút, ngày 17 tháng 9 năm 2025.",
        "Tình trạng hồ sơ hiện nay: Đang thẩm định.",
        "Công chức Tư pháp - Hộ tịch Phường Ninh Kiều chưa giải quyết xong",
        "Lý do: Cần xác minh thông tin hộ tịch với Ủy ban nhân dân xã Phong Điền.",
        "thành thật xin lỗi Ông/Bà",
        "Thời gian hẹn trả kết quả mới: 09 giờ 00 phút, ngày 22 tháng 9 năm 2025, tại Quầy số 3",
        "CHỦ TỊCH",
        "Phạm Thị Hồng Nhung",
        "Cần Thơ, ngày 16 tháng 9 năm 2025",
    ):
        assert expected in text, expected
    assert page_sizes_mm(pdf) == [(148, 210)]


def test_form05_notifies_the_stop_with_its_moment_and_reason() -> None:
    """GIVEN an applicant's stop request accepted the next day
    WHEN Form 05 is rendered
    THEN it names the dossier, the moment processing stops and the reason (R-STOP-01, R-STOP-02)."""
    pdf = render_form05(samples.form05())
    text = text_of(pdf)
    for expected in (
        *MOTTO,
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 05, Phụ lục I, Thông tư 03/2025/TT-VPCP",
        "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết",
        "Vào 10 giờ 30 phút, ngày 16 tháng 9 năm 2025",
        samples.CODE,
        "Điều 21 Nghị định số 118/2025/NĐ-CP",
        "kể từ 14 giờ 30 phút, ngày 16 tháng 9 năm 2025",
        "rút hồ sơ để bổ sung giấy tờ của người cha",
        "PHÓ CHỦ TỊCH",
        "Võ Văn Được",
    ):
        assert expected in text, expected
    assert page_sizes_mm(pdf) == [(148, 210)]
