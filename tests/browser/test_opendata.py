"""Issue #17 item 6: the open-data pages pass axe-core with no serious or critical violation at
360 px and at desktop width, nothing scrolls sideways on the phone, and a visitor finds a
dataset, previews it and downloads it. The demo server published the datasets at setup."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.citizen_server import SHOTS, CitizenSite
from tests.browser.test_a11y import WIDTHS, check, site  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.browser
PAGES = {
    "opendata-list": "/du-lieu-mo/",
    "opendata-search": "/du-lieu-mo/?q=thong+ke",
    "opendata-766": "/du-lieu-mo/chi-so-766/",
    "opendata-catalogue": "/du-lieu-mo/danh-muc-thu-tuc-hanh-chinh/",
    "opendata-calendar": "/du-lieu-mo/lich-lam-viec/",
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_open_data_pages_are_accessible(
    site: CitizenSite,  # noqa: F811
    browser: Browser,
    name: str,
    width: str,
) -> None:
    w, h = WIDTHS[width]
    page = browser.new_page(locale="vi-VN", viewport={"width": w, "height": h})
    page.goto(f"{site.url}{PAGES[name]}")
    check(page, name, width)
    if width == "desktop":
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.close()


def test_a_visitor_finds_previews_and_downloads_a_dataset(
    site: CitizenSite,  # noqa: F811
    browser: Browser,
) -> None:
    page = browser.new_page(locale="vi-VN", viewport={"width": 360, "height": 780})
    page.goto(f"{site.url}/du-lieu-mo/")
    page.get_by_role("searchbox", name="Tìm bộ dữ liệu").fill("lich lam viec")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Lịch làm việc", exact=True).click()
    assert page.get_by_role(
        "heading", name="Xem trước: Ngày nghỉ và ngày làm việc hoán đổi"
    ).is_visible()
    assert page.locator("table tbody tr").count() >= 10
    link = page.locator('a[href$="/lich-lam-viec/ngay-dac-biet.csv"]')
    assert link.inner_text().startswith("Tải CSV")
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    assert path.read_text(encoding="utf-8-sig").startswith("day,kind,kind_label,name,")
    page.close()
