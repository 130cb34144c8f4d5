"""Fill the birth registration's declaration (tờ khai), the same on the e-form and at the
counter (both name the fields ``decl_<name>``; issue #14 item 2)."""

from __future__ import annotations

from playwright.sync_api import Page

CHILD = "Nguyễn Minh Khang"
BIRTH = {
    "child_full_name": CHILD,
    "child_birth_date": "2026-02-01",
    "child_birth_place": "Bệnh viện Phụ sản thành phố Cần Thơ",
    "child_hometown": "Cần Thơ",
    "child_ethnicity": "Kinh",
    "child_nationality": "Việt Nam",
    "mother_full_name": "Nguyễn Thị An",
    "mother_birth_year": "1995",
    "mother_ethnicity": "Kinh",
    "mother_nationality": "Việt Nam",
    "mother_residence": "Phường Ninh Kiều, Thành phố Cần Thơ",
    "requester_relationship": "Mẹ",
}


def fill_birth_declaration(page: Page) -> None:
    for name, value in BIRTH.items():
        page.locator(f"[name=decl_{name}]").fill(value)
    page.locator("[name=decl_child_gender]").select_option("nam")
