"""Screenshots of the operations centre (issue #8) from a running server.

    .venv/bin/python docs/screenshots/capture_ioc.py http://127.0.0.1:8000 [password]

Taken on the benchmark database (`motcua bench seed --dossiers 1000000`), logged in as the
operations-centre viewer ioc.tinh.
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


def main(base: str, password: str, period: str, commune: str) -> None:
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
        page.goto(f"{base}/ioc/bao-cao/")
        for fmt in ("xlsx", "pdf"):
            page.select_option("#ky", period)
            page.select_option("#dinh-dang", fmt)
            page.get_by_role("button", name="Lập báo cáo").click()
        page.screenshot(path=OUT / "ioc-reports.png", full_page=True)
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
        phone.context.add_cookies(page.context.cookies())  # type: ignore[arg-type]
        phone.goto(f"{base}/ioc/?ky={period}")
        phone.screenshot(path=OUT / "ioc-overview-phone.png")
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000",
        sys.argv[2] if len(sys.argv) > 2 else "motcua-demo-2026",
        sys.argv[3] if len(sys.argv) > 3 else "2026-Q3",
        sys.argv[4] if len(sys.argv) > 4 else "31117",
    )
