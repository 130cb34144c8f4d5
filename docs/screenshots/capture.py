"""Take the documentation screenshots from a running demo (`make demo`).

    .venv/bin/python docs/screenshots/capture.py http://127.0.0.1:8000

Phone width (390 px) for citizen pages, desktop width for the desk.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).parent
PASSWORD = "motcua-demo-2026"  # noqa: S105 - the published demo password


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if "/accounts/otp/" in page.url:
        code = subprocess.run(
            [".venv/bin/motcua", "demo_otp", username], capture_output=True, text=True, check=True
        ).stdout.strip()
        page.get_by_label("Mã xác thực 6 chữ số").fill(code)
        page.get_by_role("button", name="Xác thực").click()


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
        for name, path in [
            ("portal-home", "/"),
            ("catalogue-search", "/thu-tuc/?q=khai+sinh"),
            ("procedure-1.001193", "/thu-tuc/1.001193/"),
        ]:
            phone.goto(base + path)
            phone.screenshot(path=OUT / f"{name}.png", full_page=True)
        desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        login(desk, base, "motcua.ninhkieu")
        desk.screenshot(path=OUT / "desk-home.png", full_page=True)
        desk.goto(f"{base}/desk/dossiers/")
        desk.screenshot(path=OUT / "desk-dossiers.png", full_page=True)
        desk.locator("table a").first.click()
        desk.screenshot(path=OUT / "desk-dossier.png", full_page=True)
        desk.goto(f"{base}/desk/dossiers/new/?procedure=1.001193")
        desk.screenshot(path=OUT / "desk-counter.png", full_page=True)
        desk.get_by_role("button", name="Đăng xuất").click()
        login(desk, base, "quantri.tinh")
        desk.goto(f"{base}/desk/calendar/2026/")
        desk.screenshot(path=OUT / "desk-calendar.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
