"""Issue #14 "Done when": every declared procedure (catalog/data/declarations.json) walked from
the e-form to the signed result document.

For each procedure the citizen (logged in with VNeID once for the module) opens the e-form in
chromium at 360 px, fills every declaration field from its definition (the sample values of
motcua/dossiers/tests/test_declarations.py), uploads the required components, picks the units
and submits, landing on the confirmation page. The officers then take the dossier to the signed
result over HTTP only (no page is rendered): the counter receives and forwards and the
specialist proposes through /api/v1/dossiers; the leader previews and approves through the
desk's action form, in one signing session opened with one TOTP code (issue #14 item 1: the API
asks a fresh code per approval, a 30-second TOTP step each). The signed result is downloaded
and checked: pdftotext shows every declared value, pdfsig says the signature is valid."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Browser, BrowserContext, expect

from motcua.catalog.declaration import FieldType, clean_values, labelled_values
from motcua.dossiers.tests.test_declarations import DECLARED, sample
from motcua.worktime.calc import TZ
from tests.browser.citizen_server import citizen_site
from tests.browser.conftest import DemoServer
from tests.browser.test_citizen_flow import a_pdf, vneid_login
from tests.browser.test_counter_flow import login

pytestmark = pytest.mark.browser

COUNTER, SPECIALIST, LEADER = "motcua.ninhkieu", "chuyenvien.ninhkieu", "lanhdao.ninhkieu"

# The demo seeds officers of Ninh Kiều only; a procedure handled by a provincial unit needs
# officers there too. The walk gives the same three people the roles at the provincial units
# (as test_declarations.py grants them), once, in the demo server's database.
GRANT = f"""
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit, UnitKind
for unit in Unit.objects.filter(commune__isnull=True):
    if unit.kind in (UnitKind.PROVINCIAL_PSC, UnitKind.PSC_BRANCH):
        roles = [("{COUNTER}", Role.ONE_STOP_OFFICER)]
    else:
        roles = [("{SPECIALIST}", Role.SPECIALIST), ("{LEADER}", Role.UNIT_LEADER)]
    for username, role in roles:
        RoleAssignment.objects.get_or_create(
            user=User.objects.get(username=username), unit=unit, role=role
        )
"""


class Officers:
    """HTTP clients with the officers' sessions (logged in through the desk's form once)."""

    def __init__(self, server: DemoServer, browser: Browser) -> None:
        self.server = server
        self.contexts: dict[str, BrowserContext] = {}
        for username in (COUNTER, SPECIALIST, LEADER):
            context = browser.new_context(locale="vi-VN")
            page = context.new_page()
            login(page, server, username, otp=username == LEADER)
            page.close()
            self.contexts[username] = context
        self.signing_open = False

    def _client(self, username: str) -> tuple[APIRequestContext, str]:
        context = self.contexts[username]
        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        return context.request, token

    def api(self, username: str, key: str, action: str, **body: Any) -> dict[str, Any]:
        request, token = self._client(username)
        response = request.post(
            f"{self.server.url}/api/v1/dossiers/{key}/{action}",
            data=body,
            headers={"X-CSRFToken": token, "Referer": self.server.url},
        )
        assert response.ok, (action, response.status, response.text())
        answer: dict[str, Any] = response.json()
        return answer

    def receive(self, key: str) -> None:
        """The counter receives; a procedure that publishes no time limit needs the appointment
        the officer sets (as test_declarations.py gives it), ten days on."""
        request, token = self._client(COUNTER)
        url = f"{self.server.url}/api/v1/dossiers/{key}/receive"
        headers = {"X-CSRFToken": token, "Referer": self.server.url}
        response = request.post(url, data={}, headers=headers)
        if response.status == 422 and response.json()["details"] == {"field": "appointment_at"}:
            appointment = (datetime.now(TZ) + timedelta(days=10)).replace(microsecond=0)
            response = request.post(
                url, data={"appointment_at": appointment.isoformat()}, headers=headers
            )
        assert response.ok, (response.status, response.text())

    def approve(self, key: str) -> None:
        """The leader previews the result, then approves with the explicit confirmation; the
        first approval opens the signing session with a fresh TOTP code."""
        request, token = self._client(LEADER)
        assert request.get(f"{self.server.url}/desk/dossiers/{key}/preview/").ok
        form: dict[str, str | float | bool] = {"csrfmiddlewaretoken": token, "confirm": "on"}
        if not self.signing_open:
            form["otp"] = self.server.motcua("demo_otp", LEADER).strip()
        response = request.post(
            f"{self.server.url}/desk/dossiers/{key}/act/approve/",
            form=form,
            headers={"Referer": self.server.url},
        )
        assert response.ok, response.status
        self.signing_open = True

    def result(self, key: str) -> bytes:
        request, _ = self._client(COUNTER)
        response = request.get(f"{self.server.url}/desk/dossiers/{key}/result.pdf")
        assert response.ok, response.status
        assert response.headers["content-type"] == "application/pdf"
        return response.body()

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="module")
def officers(demo_server: DemoServer, browser: Browser) -> Iterator[Officers]:
    demo_server.motcua("shell", "-c", GRANT)
    team = Officers(demo_server, browser)
    yield team
    team.close()


@pytest.fixture(scope="module")
def citizen(demo_server: DemoServer, browser: Browser) -> Iterator[BrowserContext]:
    """The citizen's phone (360 px), logged in with VNeID once for every e-form."""
    site = citizen_site(demo_server)
    login_context = browser.new_context(locale="vi-VN")
    vneid_login(login_context.new_page(), site)
    state = login_context.storage_state()
    login_context.close()
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 360, "height": 780}, storage_state=state
    )
    yield context
    context.close()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("components")
    return [a_pdf(folder / f"giay-{n}.pdf", 1) for n in range(12)]


@pytest.mark.parametrize("code", sorted(DECLARED))
def test_the_declaration_goes_from_the_e_form_to_the_signed_result(
    code: str,
    demo_server: DemoServer,
    citizen: BrowserContext,
    officers: Officers,
    pdfs: list[Path],
    tmp_path: Path,
) -> None:
    """GIVEN the declaration of procedure ``code`` WHEN the citizen fills it on the e-form and
    the officers receive, appraise and sign THEN the signed result shows every declared value
    and pdfsig verifies its signature."""
    form = DECLARED[code]
    values = sample(form)
    page = citizen.new_page()
    page.goto(f"{demo_server.url}/nop-ho-so/{code}/")
    expect(page.get_by_role("heading", name="Nộp hồ sơ trực tuyến")).to_be_visible()

    # 1. Every declaration field, generically from its definition.
    for f in form.fields:
        field = page.locator(f"[name=decl_{f.name}]")
        if f.type == FieldType.CHOICE and field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(values[f.name])
        else:
            field.fill(values[f.name])

    # 2. The required components, the units (kept when preselected), online delivery.
    required = page.locator(".upload-list > li", has_text="(bắt buộc)")
    for index in range(required.count()):
        required.nth(index).locator("input[type=file]").set_input_files(str(pdfs[index]))
    for label in ("Cơ quan giải quyết", "Nơi tiếp nhận hồ sơ"):
        select = page.get_by_role("combobox", name=label)
        if not select.input_value():
            options = select.locator("option:not([value=''])")
            value = options.first.get_attribute("value")
            assert value, (code, label)
            select.select_option(value=value)
    page.get_by_role("radio", name="Trực tuyến").check()
    page.get_by_label("Tôi cam đoan").check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_role("heading", name="Đã nộp hồ sơ", level=1)).to_be_visible()
    href = page.get_by_role("link", name="Xem hồ sơ").get_attribute("href")
    assert href
    key = href.rstrip("/").rsplit("/", 1)[-1]
    page.close()

    # 3. The officers, over HTTP: receive, forward, propose, preview and sign.
    officers.receive(key)
    officers.api(COUNTER, key, "forward")
    officers.api(SPECIALIST, key, "submit", proposal="approved", opinion="Đủ điều kiện")
    officers.approve(key)

    # 4. The signed result carries the declaration; pdfsig verifies the signature.
    path = tmp_path / "result.pdf"
    path.write_bytes(officers.result(key))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    cleaned = clean_values(form, values, today=datetime.now(TZ).date())[0]
    for _, label, shown in labelled_values(form, cleaned):
        assert " ".join(shown.split()) in text, (code, label, shown)
    report = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, check=False
    ).stdout
    assert "Signature is Valid." in report, report
