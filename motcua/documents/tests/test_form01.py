"""Form 01, the receipt and appointment slip (DOMAIN.md §5.1, R-FORM-05, R-ID-13)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.documents.forms import Applicant
from motcua.documents.pdf import render_form01
from motcua.documents.tests import samples
from motcua.documents.tests.pdftools import (
    page_sizes_mm,
    page_texts,
    qr_texts,
    raw_text,
    render_png,
    text_of,
)


def test_it_prints_the_applicant_procedure_and_components_in_vietnamese() -> None:
    """GIVEN a received dossier with Vietnamese names carrying every tone mark
    WHEN Form 01 is rendered
    THEN the PDF holds them as real NFC text (DOMAIN.md §5.1)."""
    text = text_of(render_form01(samples.form01()))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ PHƯỜNG NINH KIỀU",
        "Nguyễn Thị Ánh Tuyết",
        "Số 12, hẻm 51, đường Nguyễn Việt Hồng",
        "Đăng ký khai sinh",
        "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp",
        "Bản sao có chứng thực",
        "Ngay trong ngày làm việc",
        "Quầy số 3",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Quốc Hưng",
        "Mẫu số 01, Phụ lục I, Thông tư 03/2025/TT-VPCP",
    ):
        assert expected in text, expected


def test_it_prints_the_dossier_code_and_times_as_hour_minute_date_in_local_time() -> None:
    """GIVEN a dossier received at 07:30 UTC and due at 09:05 UTC two days later
    WHEN Form 01 is rendered
    THEN the code is printed as text and both times read "… giờ … phút, ngày … tháng … năm …"
    in Asia/Ho_Chi_Minh time (R-FORM-05, R-ID-13)."""
    text = text_of(render_form01(samples.form01()))
    assert samples.CODE in text
    assert "Thời gian nhận hồ sơ: 14 giờ 30 phút, ngày 15 tháng 9 năm 2025" in text
    assert "16 giờ 05 phút, ngày 17 tháng 9 năm 2025" in text
    assert "Cần Thơ, ngày 15 tháng 9 năm 2025" in text


def test_a_local_receipt_time_is_printed_as_given() -> None:
    """GIVEN times already in Vietnamese local time, early in the month
    WHEN Form 01 is rendered
    THEN they print unchanged, with the leading zeros of a legal date (R-FORM-05)."""
    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    data = samples.form01(
        received_at=datetime(2026, 2, 3, 7, 5, tzinfo=hcm),
        due_at=datetime(2026, 2, 5, 16, 45, tzinfo=hcm),
    )
    text = text_of(render_form01(data))
    assert "07 giờ 05 phút, ngày 03 tháng 02 năm 2026" in text
    assert "16 giờ 45 phút, ngày 05 tháng 02 năm 2026" in text


def test_naive_datetimes_are_refused() -> None:
    """A time without zone could be printed 7 hours off (R-FORM-05): refuse it."""
    with pytest.raises(ValueError, match="timezone-aware"):
        render_form01(samples.form01(received_at=datetime(2025, 9, 15, 14, 30)))  # noqa: DTZ001


def test_the_qr_code_decodes_to_the_tracking_url() -> None:
    """GIVEN a slip for a dossier with a tracking URL
    WHEN page 1 is printed at 200 dpi and scanned
    THEN the QR code reads back exactly the tracking URL (R-ID-13, Circular 01/2018 Art. 19(2))."""
    image = render_png(render_form01(samples.form01()), dpi=200)
    assert qr_texts(image) == [samples.TRACKING_URL]


def test_a_typical_slip_fits_on_one_a5_page() -> None:
    """GIVEN four components
    WHEN Form 01 is rendered
    THEN it is one A5 portrait page (148 × 210 mm, Circular 01/2018 Art. 9(2), R-FORM-01)."""
    assert page_sizes_mm(render_form01(samples.form01())) == [(148, 210)]


def test_long_names_and_many_components_wrap_onto_a_second_page_without_loss() -> None:
    """GIVEN a 300+ character procedure name and 14 components
    WHEN Form 01 is rendered
    THEN the text wraps, flows onto a second A5 page, and nothing is lost."""
    assert len(samples.LONG_PROCEDURE) > 300
    components = samples.COMPONENTS * 3 + samples.COMPONENTS[:2]
    pdf = render_form01(
        samples.form01(procedure_name=samples.LONG_PROCEDURE, components=components)
    )
    assert page_sizes_mm(pdf) == [(148, 210), (148, 210)]
    text = text_of(pdf)
    assert samples.LONG_PROCEDURE in text
    assert text.count("Giấy tờ chứng minh nơi cư trú của người mẹ") == 3
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in page_texts(pdf)[-1]


def test_decomposed_input_is_printed_as_composed_text() -> None:
    """Officers paste NFD text from Word; the slip still carries NFC text (STYLE, core.text)."""
    nfd_name = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    data = samples.form01(applicant=Applicant(name=nfd_name))
    raw = raw_text(render_form01(data))
    assert unicodedata.is_normalized("NFC", raw)
    assert "Nguyễn Thị Ánh Tuyết" in raw
