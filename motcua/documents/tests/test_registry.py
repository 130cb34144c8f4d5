"""The forms as versioned templates with a legal basis (R-FORM-01, R-FORM-02)."""

from __future__ import annotations

from datetime import date

from motcua.documents.forms import (
    FORMS,
    FORMS_2018,
    NUMBER_2018_TO_2025,
    Orientation,
    Paper,
    template_for,
)
from motcua.documents.qr import qr_png, qr_svg
from motcua.documents.wording import date_text, place_of


def test_the_2025_set_has_seven_forms_with_legal_basis_version_and_paper() -> None:
    """GIVEN Circular 03/2025 Appendix I
    WHEN the registry is read
    THEN Forms 01–07 carry their official names, legal basis, version 2025.1, effective
    15/9/2025; 01–05 are A5, 06 A4 and the book A4 landscape (R-FORM-01)."""
    assert list(FORMS) == ["01", "02", "03", "04", "05", "06", "07"]
    assert FORMS["04"].title_vi == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    assert FORMS["05"].title_vi == "Thông báo dừng giải quyết hồ sơ"
    assert FORMS["07"].title_vi == "Sổ theo dõi hồ sơ"
    for number, template in FORMS.items():
        assert template.legal_basis == f"Mẫu số {number}, Phụ lục I, Thông tư 03/2025/TT-VPCP"
        assert template.version == "2025.1"
        assert template.effective_from == date(2025, 9, 15)
    assert {n for n, t in FORMS.items() if t.paper == Paper.A5} == {"01", "02", "03", "04", "05"}
    assert FORMS["06"].paper == Paper.A4
    assert (FORMS["07"].paper, FORMS["07"].orientation) == (Paper.A4, Orientation.LANDSCAPE)


def test_2018_numbers_map_onto_2025_numbers() -> None:
    """R-FORM-02: 01–04 keep their numbers, the control sheet moves 05 → 06, the book 06 → 07,
    and the 2025 stop notice (05) is new."""
    assert NUMBER_2018_TO_2025 == {
        "01": "01",
        "02": "02",
        "03": "03",
        "04": "04",
        "05": "06",
        "06": "07",
    }
    assert FORMS_2018["05"].title_vi == FORMS["06"].title_vi
    assert "05" not in NUMBER_2018_TO_2025.values()


def test_the_template_in_force_depends_on_the_issue_date() -> None:
    """R-FORM-01: the 2025 set applies to forms issued from 15/9/2025; the 2018 set before."""
    assert template_for("06", date(2025, 9, 14)) == FORMS_2018["05"]
    assert template_for("06", date(2025, 9, 15)) == FORMS["06"]
    assert template_for("05", date(2025, 9, 14)) is None
    assert FORMS_2018["04"].in_force_on(date(2025, 9, 14))
    assert not FORMS_2018["04"].in_force_on(date(2025, 9, 15))


def test_dates_follow_the_administrative_document_style() -> None:
    assert date_text(date(2026, 2, 3)) == "ngày 03 tháng 02 năm 2026"
    assert date_text(date(2025, 12, 25)) == "ngày 25 tháng 12 năm 2025"
    assert place_of("Thành phố Cần Thơ") == "Cần Thơ"
    assert place_of("Tỉnh An Giang") == "An Giang"


def test_qr_images_are_png_and_svg() -> None:
    assert qr_png("https://example.vn/a").startswith(b"\x89PNG")
    assert "<svg" in qr_svg("https://example.vn/a")
