"""Issue #14 item 5 in a real browser at 360 px: the counter officer types a procedure's name
without diacritics and picks it from the list that appears as they type (htmx), looks the
applicant up by personal ID number in the population database (simulated, through the
exchange), ticks the complete checklist and receives the dossier in one step. Every page passes
axe-core and fits 360 px; screenshots at 360 px and desktop width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import DemoServer
from tests.browser.declaration import fill_birth_declaration
from tests.browser.test_counter_flow import login
from tests.browser.test_officer_journey import PHONE, checked

pytestmark = pytest.mark.browser


def test_the_counter_finds_looks_up_and_receives_in_one_step_on_a_phone(
    demo_server: DemoServer, browser: Browser
) -> None:
    page = browser.new_page(locale="vi-VN", viewport=PHONE)
    login(page, demo_server, "motcua.ninhkieu")
    page.goto(f"{demo_server.url}/desk/dossiers/new/")
    search = page.get_by_label("Thủ tục: gõ tên hoặc mã", exact=False)
    search.press_sequentially("dang ky khai sinh", delay=20)
    match = page.locator("#procedure-matches").get_by_role("link", name="1.001193", exact=False)
    # The first search of a fresh process builds the catalogue's index (issue #14 item 9).
    expect(match.first).to_be_visible(timeout=60_000)
    checked(page, "officer-counter-search")
    match.first.click()
    expect(page.get_by_role("heading", name="1.001193", exact=False)).to_be_visible()

    page.get_by_label("Số định danh cá nhân / Mã số thuế").fill("092190000001")
    page.get_by_role("button", name="Tra cứu CSDL dân cư").click()
    expect(page.get_by_role("status")).to_contain_text("Cơ sở dữ liệu quốc gia về dân cư")
    expect(page.get_by_label("Họ và tên / Tên tổ chức")).to_have_value("Nguyễn Thị An")
    checked(page, "officer-counter-lookup")

    fill_birth_declaration(page)
    for box in page.locator("input[name=components]").all():
        box.check()
    page.get_by_role("button", name="Tiếp nhận ngay (đủ thành phần)").click()
    expect(page.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(page.locator("#national-status")).to_contain_text("Được tiếp nhận (mã 2)")
    checked(page, "officer-counter-received")
