"""Form 06 (process control sheet) and Form 07 (tracking book) (DOMAIN.md §5.1)."""

from __future__ import annotations

from motcua.documents.pdf import render_form06, render_form07
from motcua.documents.tests import samples
from motcua.documents.tests.pdftools import page_sizes_mm, page_texts, text_of
from motcua.documents.wording import short_moment

A4_PORTRAIT = (210, 297)
A4_LANDSCAPE = (297, 210)


def test_form06_has_one_hand_over_row_per_step_with_its_result() -> None:
    """GIVEN three hand-overs ended early, on time and late
    WHEN Form 06 is rendered on A4
    THEN each row names giver and receiver, the moment and the result (DOMAIN.md §5.1, §6.6)."""
    pdf = render_form06(samples.form06())
    text = text_of(pdf)
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 06, Phụ lục I, Thông tư 03/2025/TT-VPCP",
        f"Mã hồ sơ: {samples.CODE}",
        "Thời gian nhận hồ sơ: 14 giờ 30 phút, ngày 15 tháng 9 năm 2025",
        "Thời gian hẹn trả kết quả: 16 giờ 05 phút, ngày 17 tháng 9 năm 2025",
        "1.1. Giao: Bộ phận Tiếp nhận và Trả kết quả Phường Ninh Kiều",
        "1.2. Nhận: Công chức Tư pháp - Hộ tịch",
        "15 giờ 10 phút, ngày 15 tháng 9 năm 2025",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Chờ xác minh thông tin hộ tịch với xã Phong Điền",
        samples.LONG_PROCEDURE,
    ):
        assert expected in text, expected
    assert set(page_sizes_mm(pdf)) == {A4_PORTRAIT}


def test_form07_with_sixty_dossiers_spans_pages_each_with_the_header_row() -> None:
    """GIVEN sixty dossiers in the month
    WHEN the tracking book is rendered
    THEN it runs over several A4 landscape pages, every page repeats the column headings, and
    every dossier code is printed once (DOMAIN.md §5.1, R-FORM-01)."""
    pdf = render_form07(samples.form07(60))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert set(page_sizes_mm(pdf)) == {A4_LANDSCAPE}
    for page in pages:
        assert "STT Mã hồ sơ Tên thủ tục hành chính Số lượng hồ sơ (bộ)" in page
        assert "Cơ quan chủ trì giải quyết" in page
        assert "Ký nhận Ghi chú" in page
        assert "Mẫu số 07, Phụ lục I, Thông tư 03/2025/TT-VPCP" in page
    text = " ".join(pages)
    for n in range(1, 61):
        assert text.count(f"000.00.15.H13-250915-{n:04d}") == 1
    assert "SỔ THEO DÕI HỒ SƠ" in pages[0]
    assert "Huỳnh Thị Mỹ Dung" in text
    for row in samples.book_rows(60):
        # Dates never break inside a cell (the column fits "dd/mm/yyyy" at 6.5 pt).
        assert f"{short_moment(row.received_at)} {short_moment(row.due_at)}" in text


def test_form07_keeps_long_procedure_names_whole() -> None:
    """A 300+ character procedure name wraps inside its column; none of it is cut."""
    text = text_of(render_form07(samples.form07(3)))
    assert samples.LONG_PROCEDURE in text
