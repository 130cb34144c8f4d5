"""The assistant's chat at /tro-ly/ on a phone (360 px): a plain form without JavaScript, an
htmx swap with it, axe-core clean; screenshots go to docs/screenshots/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from tests.browser.citizen_server import AXE
from tests.browser.conftest import DemoServer

pytestmark = pytest.mark.browser
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE: ViewportSize = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def server(demo_server: DemoServer) -> DemoServer:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): `npm install --no-save axe-core@4`.")
    # The index is built ahead, as the worker does in production: requests only load it.
    demo_server.motcua("assistant", "build")
    return demo_server


def accessible(page: Page, name: str) -> None:
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
    assert not bad, f"{name}: " + json.dumps(bad, ensure_ascii=False, indent=1)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 360 px"
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SHOTS / f"assistant-{name}-360.png"), full_page=True)


def test_the_chat_works_without_javascript(server: DemoServer, browser: Browser) -> None:
    context = browser.new_context(locale="vi-VN", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/tro-ly/")
    page.get_by_label("Câu hỏi của bạn").fill("lam giay khai sinh cho con can gi")
    page.get_by_role("button", name="Hỏi", exact=True).click()
    page.wait_for_url("**/tro-ly/?q=*")
    reply = page.locator(".assistant-reply")
    assert "1.001193" in reply.inner_text()
    assert page.get_by_role("link", name="Bắt đầu nộp hồ sơ").count() == 1
    answered = page.url
    context.close()
    # axe-core needs JavaScript: the same server-rendered pages, checked with it on.
    checker = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = checker.new_page()
    page.goto(f"{server.url}/tro-ly/")
    accessible(page, "empty")
    page.goto(answered)
    accessible(page, "answer")
    checker.close()


def test_the_chat_swaps_the_answer_in_with_htmx(server: DemoServer, browser: Browser) -> None:
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/tro-ly/")
    page.get_by_label("Câu hỏi của bạn").fill("cap the can cuoc")
    page.get_by_role("button", name="Hỏi", exact=True).click()
    page.locator(".choices").wait_for()
    assert page.locator(".choices li").count() >= 2
    accessible(page, "clarify")
    page.get_by_label("Câu hỏi của bạn").fill("muốn ly hôn thì làm sao")
    page.get_by_role("button", name="Hỏi", exact=True).click()
    page.get_by_role("link", name="Gửi phản ánh, kiến nghị").wait_for()
    accessible(page, "out-of-scope")
    context.close()
