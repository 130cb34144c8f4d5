"""Issue #16 "done when": a consultation letter from drafting to the consulted body's answer.

Commune A's specialist drafts the letter from a dossier in inter-agency consultation, submits
it; the leader approves it (confirmation and a fresh TOTP code) and signs it; the clerk numbers,
seals and releases it. The consulted department's side (receipt, registration, assignment, the
answer naming the letter in ResponseFor, approved, signed and released) happens in the
department's desk in the browser too; only the axis delivery of the two packages runs as the
worker would, in-process against the demo server's database (``motcua shell``), and the
department's leader is set up there as an admin would. The browser then shows the answer on
the dossier's page under the consultation's deadline and in its trail. Screenshots at 360 px
and desktop go to MOTCUA_SCREENSHOT_DIR (docs/screenshots for the documentation)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.citizen_server import SHOTS
from tests.browser.conftest import DemoServer
from tests.browser.test_counter_flow import login

pytestmark = pytest.mark.browser

#: Put a demo dossier of commune A in consultation with the Department of Justice.
ASK = """
from motcua.accounts.models import User
from motcua.agencies.models import Unit, UnitKind
from motcua.dossiers.actions import do_request_consultation
from motcua.dossiers.models import Dossier
specialist = User.objects.get(username="chuyenvien.ninhkieu")
justice = Unit.objects.get(kind=UnitKind.DEPARTMENT, name="Sở Tư pháp")
dossier = Dossier.objects.filter(
    competent_unit__commune__name="Phường Ninh Kiều", competent_unit__kind=UnitKind.COMMUNE_PC,
    state="in_appraisal",
).order_by("created_at").first()
do_request_consultation(dossier, acting_user=specialist,
                        requests=[(justice, "Đề nghị xác minh giấy tờ chứng thực kèm theo", 3)])
print(dossier.code)
"""

#: The department's leader, set up as the provincial admin would (a leader role and a TOTP
#: device: approving needs a second factor, R-DOC-07), and the axis delivering the letter to the
#: department (the worker's job). Prints the incoming document's id and the clerk's username.
DELIVER = """
from django_otp.plugins.otp_totp.models import TOTPDevice
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit, UnitKind
from motcua.correspondence import incoming
from motcua.correspondence.models import Document
from motcua.accounts.demo import DEMO_PASSWORD
letter = Document.objects.get(pk="{pk}")
justice = Unit.objects.get(kind=UnitKind.DEPARTMENT, name="Sở Tư pháp")
leader, made = User.objects.get_or_create(username="lanhdao.sotuphap.demo",
    defaults={{"kind": "officer", "full_name": "Võ Thanh Tùng"}})
if made:
    leader.set_password(DEMO_PASSWORD)
    leader.save()
RoleAssignment.objects.get_or_create(user=leader, unit=justice, role=Role.UNIT_LEADER)
TOTPDevice.objects.get_or_create(user=leader, name="demo", defaults={{"confirmed": True}})
got = incoming.do_receive_document(justice, letter.package.read(), acting_user=None)
clerk = RoleAssignment.objects.filter(unit=justice, role=Role.CLERK).first().user
print(got.pk, clerk.username)
"""

#: The axis brings the department's released answer back to commune A (the worker's job).
RETURN = """
from motcua.correspondence import incoming
from motcua.correspondence.models import Document
reply = Document.objects.get(pk="{reply}")
letter = Document.objects.get(pk="{pk}")
answer = incoming.do_receive_document(letter.owner_unit, reply.package.read(), acting_user=None)
print(answer.pk)
"""


DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 780}


def _step(page: Page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện")


def _approve_and_sign(browser: Browser, demo_server: DemoServer, url: str, leader: str) -> None:
    """The leader approves the submitted draft (confirmation and a fresh TOTP code, R-DOC-07)
    and signs it, on a desktop."""
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    login(page, demo_server, leader, otp=True)
    page.goto(url)
    page.get_by_label("Tôi đã đọc dự thảo và đồng ý phê duyệt.").check()
    page.get_by_label("Mã xác thực (6 chữ số)").fill(demo_server.motcua("demo_otp", leader).strip())
    _step(page, "Phê duyệt")
    _step(page, "Ký số")
    context.close()


def _release(
    browser: Browser,
    demo_server: DemoServer,
    url: str,
    clerk: str,
    number: str,
    *,
    from_queue: bool = False,
    shot: str = "",
) -> None:
    """The clerk numbers, seals and releases the signed document (R-DOC-05), on a phone;
    ``from_queue``: opened from the queue to release, where it must be listed."""
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    login(page, demo_server, clerk)
    if from_queue:
        page.goto(f"{demo_server.url}/desk/documents/?queue=to_release")
        pk = url.rstrip("/").rsplit("/", 1)[1]
        link = page.locator(f'a[href$="/desk/documents/{pk}/"]')
        expect(link).to_be_visible()
        link.click()
    else:
        page.goto(url)
    _step(page, "Cấp số, đóng dấu và phát hành")
    expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()
    if shot:
        page.screenshot(path=str(SHOTS / shot), full_page=True)
    context.close()


def test_a_consultation_letter_reaches_the_consulted_body_and_its_answer_comes_back(
    browser: Browser, demo_server: DemoServer
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    code = demo_server.motcua("shell", "-c", ASK).strip().splitlines()[-1]

    # 1. Commune A's specialist drafts the letter from the dossier and submits it.
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    login(page, demo_server, "chuyenvien.ninhkieu")
    page.goto(f"{demo_server.url}/desk/dossiers/{code}/")
    page.get_by_role("link", name="Soạn công văn lấy ý kiến").click()
    expect(page.get_by_role("heading", name="Soạn công văn lấy ý kiến")).to_be_visible()
    page.get_by_label("Chức vụ người ký").fill("Chủ tịch")
    page.screenshot(path=str(SHOTS / "document-consultation-draft-desktop.png"), full_page=True)
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page).to_have_url(re.compile(r"/desk/documents/[0-9a-f-]{36}/$"))
    document_url = page.url
    pk = document_url.rstrip("/").rsplit("/", 1)[1]
    _step(page, "Trình duyệt")
    context.close()

    # 2. The leader approves (confirmation and a fresh code) and signs.
    _approve_and_sign(browser, demo_server, document_url, "lanhdao.ninhkieu")

    # 3. The clerk numbers, seals and releases it (on a phone), from the queue to release.
    _release(
        browser, demo_server, document_url, "vanthu.ninhkieu", r"Văn bản số \d+.UBND-VP",
        from_queue=True, shot="document-released-360.png",
    )  # fmt: skip

    # 4. The consulted department, in its own desk: the clerk registers the letter, the leader
    # assigns it, the specialist drafts the answer (ResponseFor: the letter), the leader approves
    # and signs it, the clerk releases it; the axis brings it back to commune A.
    got, clerk = demo_server.motcua("shell", "-c", DELIVER.format(pk=pk)).split()[-2:]
    incoming_url = f"{demo_server.url}/desk/documents/{got}/"
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    login(page, demo_server, clerk)
    page.goto(f"{demo_server.url}/desk/documents/?queue=to_register")
    page.locator(f'a[href$="/desk/documents/{got}/"]').click()
    _step(page, "Vào sổ văn bản đến")
    # The arrival number of the department's register (R-DOC-08), beside the sender's number.
    expect(page.locator("dt", has_text="Số đến")).to_be_visible()
    page.screenshot(path=str(SHOTS / "document-incoming-registered-360.png"), full_page=True)
    context.close()

    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    login(page, demo_server, "lanhdao.sotuphap.demo", otp=True)
    page.goto(incoming_url)
    page.get_by_label("Người xử lý").select_option(label="Đặng Quốc Gia")
    page.get_by_label("Thời hạn xử lý (ngày làm việc)").fill("2")
    _step(page, "Phân công")
    context.close()

    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    login(page, demo_server, "chuyenvien.sotuphap")
    page.goto(incoming_url)
    _step(page, "Nhận xử lý")
    page.get_by_role("link", name="Soạn văn bản trả lời").click()
    page.get_by_label("Trích yếu").fill("V/v trả lời đề nghị xác minh giấy tờ chứng thực")
    page.get_by_label("Nội dung", exact=True).fill(
        "Sở Tư pháp đã xác minh: giấy tờ chứng thực kèm theo hồ sơ là hợp lệ."
    )
    page.get_by_label("Chữ viết tắt đơn vị soạn thảo (công văn)").fill("HCTP")
    page.get_by_label("Người ký", exact=True).select_option(label="Võ Thanh Tùng")
    page.get_by_label("Chức vụ người ký").fill("Giám đốc")
    page.screenshot(path=str(SHOTS / "document-answer-draft-desktop.png"), full_page=True)
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page).to_have_url(re.compile(r"/desk/documents/[0-9a-f-]{36}/$"))
    reply_url = page.url
    _step(page, "Trình duyệt")
    context.close()

    _approve_and_sign(browser, demo_server, reply_url, "lanhdao.sotuphap.demo")
    _release(browser, demo_server, reply_url, clerk, r"Văn bản số \d+.\S+-HCTP")
    reply = reply_url.rstrip("/").rsplit("/", 1)[1]
    answer = demo_server.motcua("shell", "-c", RETURN.format(reply=reply, pk=pk)).split()[-1]

    # 5. The dossier shows both letters under the consultation's deadline, and its trail.
    for name, viewport in (("desktop", DESKTOP), ("360", PHONE)):
        context = browser.new_context(locale="vi-VN", viewport=viewport)
        page = context.new_page()
        login(page, demo_server, "chuyenvien.ninhkieu")
        page.goto(f"{demo_server.url}/desk/dossiers/{code}/")
        section = page.get_by_role("region", name="Văn bản đi, đến của hồ sơ")
        expect(section.locator('li[data-role="consultation"]')).to_contain_text("Đã phát hành")
        expect(section.locator('li[data-role="answer"]')).to_contain_text("Đúng hạn")
        expect(page.get_by_text("Văn bản đến", exact=False).first).to_be_visible()
        section.screenshot(path=str(SHOTS / f"document-dossier-answer-{name}.png"))
        context.close()
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    login(page, demo_server, "chuyenvien.ninhkieu")
    page.goto(f"{demo_server.url}/desk/documents/{answer}/")
    expect(page.get_by_text("V/v trả lời đề nghị xác minh giấy tờ chứng thực")).to_be_visible()
    page.screenshot(path=str(SHOTS / "document-answer-desktop.png"), full_page=True)
    context.close()
