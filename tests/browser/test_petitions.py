"""Feedback and petitions (phản ánh, kiến nghị) in a real browser: the form passes axe-core with
no serious or critical violation at 360 px and at desktop width (also with its Vietnamese error
messages), a citizen files one and gets the reference code, and the lookup shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.citizen_server import CitizenSite
from tests.browser.test_a11y import WIDTHS, check, site  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_the_petition_pages_are_accessible(site: CitizenSite, browser: Browser, width: str) -> None:  # noqa: F811
    w, h = WIDTHS[width]
    page = browser.new_page(locale="vi-VN", viewport={"width": w, "height": h})
    page.goto(f"{site.url}/phan-anh-kien-nghi/")
    check(page, "petition-form", width)
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    assert page.get_by_text("Hãy điền thông tin này.").count() >= 3
    check(page, "petition-form-errors", width)
    page.goto(f"{site.url}/phan-anh-kien-nghi/tra-cuu/")
    check(page, "petition-lookup", width)
    page.close()


def test_a_citizen_files_a_petition_and_looks_it_up(site: CitizenSite, browser: Browser) -> None:  # noqa: F811
    page = browser.new_page(locale="vi-VN", viewport={"width": 360, "height": 780})
    page.goto(f"{site.url}/")
    page.get_by_role("link", name="Phản ánh, kiến nghị").click()
    page.get_by_role("radio", name="Kiến nghị").check()
    page.get_by_label("Cơ quan, đơn vị được phản ánh, kiến nghị").select_option(
        label="Ủy ban nhân dân phường Ninh Kiều"
    )
    page.get_by_label("Tiêu đề").fill("Đề nghị mở thêm quầy buổi sáng")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Buổi sáng thứ Hai đông người, đề nghị mở thêm một quầy tiếp nhận."
    )
    page.get_by_label("Họ và tên", exact=True).fill("Trương Thị Hoa")
    page.get_by_label("Số điện thoại di động (để nhận trả lời và tra cứu)").fill("0977123456")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    code = page.locator("#petition-code").inner_text()
    assert code.startswith("PAKN-")
    check(page, "petition-done", "phone")
    page.get_by_role("link", name="Tra cứu phản ánh, kiến nghị").click()
    page.get_by_label("4 số cuối số điện thoại đã khai khi gửi").fill("3456")
    page.get_by_role("button", name="Tra cứu").click()
    # Auto-waiting assertions: the lookup's answer is a new page load after the click (a bare
    # is_visible() read the page before it arrived once, on a loaded machine).
    expect(page.get_by_text("Đã tiếp nhận, chờ xử lý")).to_be_visible()
    expect(page.get_by_text("Ủy ban nhân dân phường Ninh Kiều").first).to_be_visible()
    page.close()
