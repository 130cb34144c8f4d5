"""Screenshots of the open-data pages (issue #17) from a running demo server.

    .venv/bin/python docs/screenshots/capture_opendata.py http://127.0.0.1:8000

Taken on the demo database (`motcua demo_setup` publishes the datasets once).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent
PAGES = [
    ("opendata-list", "/du-lieu-mo/", 1280),
    ("opendata-766", "/du-lieu-mo/chi-so-766/", 1280),
    ("opendata-catalogue", "/du-lieu-mo/danh-muc-thu-tuc-hanh-chinh/", 1280),
    ("opendata-list-360", "/du-lieu-mo/", 360),
    ("opendata-calendar-360", "/du-lieu-mo/lich-lam-viec/", 360),
]


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, path, width in PAGES:
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="vi-VN")
            page.goto(f"{base}{path}")
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
