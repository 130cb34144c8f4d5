"""Screenshots of the operations centre (issue #8) from a running server.

    .venv/bin/python docs/screenshots/capture_ioc.py http://127.0.0.1:8000 [password]

Taken on the benchmark database (`motcua bench seed --dossiers N`), logged in as the
operations-centre viewer ioc.tinh. Issue #14 item 7: the scored table with each formula and
points rule (ioc-points.png), the communes without dossiers listed apart (ioc-unranked.png) and
the overview at 360 px (ioc-overview-360.png).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).parent


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    if "/accounts/otp/" in page.url:
        code = subprocess.run(
            [".venv/bin/motcua", "demo_otp", username], capture_output=True, text=True, check=True
        ).stdout.strip()
        page.get_by_label("Mã xác thực 6 chữ số").fill(code)
        page.get_by_role("button", name="Xác thực").click()


def main(base: str, password: str, period: str, commune: str, sparse: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        login(page, base, "ioc.tinh", password)
        for name, path in [
            ("ioc-overview", f"/ioc/?ky={period}"),
            ("ioc-commune", f"/ioc/xa/{commune}/?ky={period}"),
            (
                "ioc-drilldown",
                f"/ioc/chi-so/on_time/ho-so/?pham-vi=province&ky={period}&phan=tu-so",
            ),
        ]:
            page.goto(base + path)
            page.screenshot(path=OUT / f"{name}.png", full_page=True)
        page.goto(f"{base}/ioc/?ky={period}")
        page.locator("section", has=page.locator("#points-title")).screenshot(
            path=OUT / "ioc-points.png"
        )
        page.goto(f"{base}/ioc/?ky={sparse}")  # a month with few dossiers: communes apart
        page.locator("details.unranked").first.evaluate("d => d.open = true")
        page.locator("section", has=page.locator("#rank-title")).screenshot(
            path=OUT / "ioc-unranked.png"
        )
        page.goto(f"{base}/ioc/chi-so/open_in_time/ho-so/?pham-vi=province&ky={period}&phan=tu-so")
        page.screenshot(path=OUT / "ioc-not-late-yet.png", full_page=True)
        page.goto(f"{base}/ioc/bao-cao/")
        for fmt in ("xlsx", "pdf"):
            page.select_option("#ky", period)
            page.select_option("#dinh-dang", fmt)
            page.get_by_role("button", name="Lập báo cáo").click()
        page.screenshot(path=OUT / "ioc-reports.png", full_page=True)
        phone = browser.new_page(viewport={"width": 360, "height": 800}, locale="vi-VN")
        login(phone, base, "ioc.tinh", password)
        phone.goto(f"{base}/ioc/?ky={period}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the overview is {width} px wide at 360 px"
        phone.screenshot(path=OUT / "ioc-overview-360.png")  # the first screen
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000",
        sys.argv[2] if len(sys.argv) > 2 else "motcua-demo-2026",
        sys.argv[3] if len(sys.argv) > 3 else "2026-Q3",
        sys.argv[4] if len(sys.argv) > 4 else "31135",
        sys.argv[5] if len(sys.argv) > 5 else "2026-M12",
    )
