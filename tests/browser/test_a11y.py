"""Issue #6 item 9: every citizen page passes axe-core with no serious or critical violation,
at 360 px (a small phone) and at desktop width, and nothing scrolls sideways on the phone.

axe-core comes from npm (``npm install --no-save axe-core@4`` in the project folder); without
it this test fails, it never skips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.citizen_server import AXE, SHOTS, CitizenSite, citizen_site
from tests.browser.conftest import DemoServer
from tests.browser.test_citizen_flow import vneid_login

pytestmark = pytest.mark.browser
WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}
PUBLIC = {
    "home": "/",
    "catalogue": "/thu-tuc/",
    "search": "/thu-tuc/?q=dang+ky+khai+sinh",
    "procedure": "/thu-tuc/1.001193/",
    "tracking": "/tra-cuu/",
    "login": "/dang-nhap/",
    "help": "/tro-giup/",
}
#: The citizen's own pages besides "my dossiers" and the e-form (issue #14 item 8: every page).
CITIZEN_PAGES = {
    "notifications": "/thong-bao/",
    "store": "/kho-du-lieu/",
    "access-log": "/ai-da-tra-cuu-du-lieu-cua-toi/",
}
RATING_TOKEN = (
    "from motcua.dossiers.models import Dossier; from motcua.feedback.tokens import make_token; "
    "d = Dossier.objects.filter(state='returned', rating__isnull=True).first(); "
    "print(make_token(d, 'sms'))"
)


@pytest.fixture(scope="session")
def site(demo_server: DemoServer) -> CitizenSite:
    if not AXE.exists():
        pytest.fail(
            f"axe-core is missing ({AXE}). Install it with `npm install --no-save axe-core@4` "
            "in the project folder (the Makefile's test target does this)."
        )
    return citizen_site(demo_server)


@pytest.fixture(scope="module")
def citizen(browser: Browser, site: CitizenSite) -> Iterator[BrowserContext]:
    """A citizen logged in with VNeID, shared by the pages that need a login."""
    context = browser.new_context(locale="vi-VN")
    vneid_login(context.new_page(), site)
    yield context
    context.close()


def check(page: Page, name: str, width: str) -> None:
    # Evaluated over CDP, not an inline <script>: the page's CSP forbids those.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    bad = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, f"{name} at {width}: " + json.dumps(bad, ensure_ascii=False, indent=1)
    if width == "phone":
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 360 px"
        page.screenshot(path=str(SHOTS / f"a11y-{name}-360.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_are_accessible(
    site: CitizenSite, browser: Browser, name: str, width: str
) -> None:
    w, h = WIDTHS[width]
    page = browser.new_page(locale="vi-VN", viewport={"width": w, "height": h})
    page.goto(f"{site.url}{PUBLIC[name]}")
    check(page, name, width)
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_citizen_pages_are_accessible(
    site: CitizenSite, citizen: BrowserContext, width: str
) -> None:
    w, h = WIDTHS[width]
    page = citizen.new_page()
    page.set_viewport_size({"width": w, "height": h})
    page.goto(f"{site.url}/ho-so-cua-toi/")
    check(page, "mine", width)
    for name, path in CITIZEN_PAGES.items():
        page.goto(f"{site.url}{path}")
        check(page, name, width)
    page.goto(f"{site.url}/nop-ho-so/1.001193/")  # 2.000815 has no online channel (0027)
    check(page, "eform", width)
    # The e-form with its error summary (nothing filled in, submitted).
    page.get_by_role("button", name="Nộp hồ sơ").click()
    check(page, "eform-errors", width)
    # `shell` prints a line about auto-imports first; the token is the last line.
    token = site.server.motcua("shell", "-c", RATING_TOKEN).strip().splitlines()[-1]
    page.goto(f"{site.url}/danh-gia/{token}/")
    assert page.get_by_role("radio").count() == 5, page.content()[:2000]
    check(page, "rating", width)
    page.close()
