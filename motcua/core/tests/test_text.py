from __future__ import annotations

import unicodedata

import pytest

from motcua.core.text import fold, nfc


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cần Thơ", "can tho"),
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("  LÝ LỊCH   tư pháp ", "ly lich tu phap"),
        ("Phường Ninh Kiều", "phuong ninh kieu"),
        ("Xã Cờ Đỏ", "xa co do"),
        ("1.001193", "1 001193"),
    ],
)
def test_it_folds_vietnamese_for_search(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_it_normalises_decomposed_input_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị An")
    assert decomposed != "Nguyễn Thị An"
    assert nfc(f"  {decomposed} ") == "Nguyễn Thị An"
    assert fold(decomposed) == "nguyen thi an"
