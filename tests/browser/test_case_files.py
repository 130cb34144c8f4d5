"""Issue #16, R-DOC-20 in a real browser: the clerk opens a file in the body's yearly list and
closes it when the work ends; the page warns of files due at the archive within 30 days. The
page passes axe-core (no serious or critical violation) at 360 px and at desktop width, without
scrolling sideways at 360 px. Screenshots go to MOTCUA_SCREENSHOT_DIR."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.citizen_server import SHOTS
from tests.browser.conftest import DemoServer
from tests.browser.test_a11y import check
from tests.browser.test_counter_flow import login

pytestmark = pytest.mark.browser


def test_the_clerk_keeps_the_list_of_files_and_sees_the_archive_warning(
    browser: Browser, demo_server: DemoServer
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # A file of last year whose work ended almost a year ago: due at the archive in ten days.
    ended = datetime.now(tz=ZoneInfo("Asia/Ho_Chi_Minh")).date() - timedelta(days=355)
    page = browser.new_page(locale="vi-VN", viewport={"width": 360, "height": 780})
    login(page, demo_server, "vanthu.ninhkieu")
    page.goto(f"{demo_server.url}/desk/documents/")
    page.get_by_role("link", name="Danh mục hồ sơ, in sổ").click()
    page.get_by_label("Năm", exact=True).select_option(str(ended.year))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", name=f"Danh mục hồ sơ năm {ended.year}")).to_be_visible()
    page.get_by_label("Ký hiệu hồ sơ").fill("09.VP")
    page.get_by_label("Tiêu đề hồ sơ").fill("Hồ sơ tổ chức Hội nghị tổng kết công tác cải cách")
    page.get_by_label("Thời hạn bảo quản").select_option("permanent")
    page.get_by_role("button", name="Mở hồ sơ", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã mở hồ sơ 09.VP")
    row = page.locator('tr[data-file="09.VP"]')
    row.get_by_label("Ngày kết thúc").fill(ended.isoformat())
    row.get_by_role("button", name="Kết thúc hồ sơ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã kết thúc hồ sơ 09.VP")
    warning = page.get_by_role("region", name="Hồ sơ đến hạn nộp lưu")
    expect(warning).to_contain_text("09.VP")
    expect(warning).to_contain_text("Sắp đến hạn")
    expect(page.locator('tr[data-file="09.VP"]')).to_contain_text("Đã kết thúc")
    check(page, "case-files", "phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    check(page, "case-files", "desktop")
    page.screenshot(path=str(SHOTS / "document-case-files-desktop.png"), full_page=True)
    page.close()
