"""Issue #6 item 10: a citizen logs in with VNeID (a real OIDC provider in its own process),
applies online for a birth registration, uploads the documents, submits; the dossier appears in
"Hồ sơ của tôi"; the counter officer receives it and the citizen sees the receipt and the
due date; logging out ends both sessions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfWriter

from tests.browser.citizen_server import SHOTS, CitizenSite, citizen_site
from tests.browser.conftest import DemoServer

pytestmark = pytest.mark.browser
OFFICER_PASSWORD = "motcua-demo-2026"


@pytest.fixture(scope="session")
def site(demo_server: DemoServer) -> CitizenSite:
    return citizen_site(demo_server)


def vneid_login(page: Page, site: CitizenSite, citizen_id: str = "092190000001") -> None:
    page.goto(f"{site.url}/dang-nhap/")
    page.locator("main").get_by_role("link", name="Đăng nhập bằng VNeID").click()
    assert page.url.startswith(site.vneid_url), page.url
    page.get_by_label("Số định danh cá nhân").fill(citizen_id)
    page.get_by_label("Mật khẩu").fill("vneid-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Hồ sơ của tôi", level=1)).to_be_visible()


def a_pdf(path: Path, pages: int) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_citizen_applies_online_and_follows_the_dossier(
    site: CitizenSite, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 780})
    page = context.new_page()
    vneid_login(page, site)
    expect(page.get_by_role("status")).to_contain_text("Nguyễn Thị An")

    # 1. The e-form, prefilled from VNeID.
    page.goto(f"{site.url}/nop-ho-so/1.001193/")
    expect(page.get_by_role("heading", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    expect(page.get_by_text("092190000001")).to_be_visible()
    expect(page.get_by_role("textbox", name="Số điện thoại di động")).to_have_value("0901234567")

    # A file that only claims to be a PDF is refused, with the reason next to it.
    inputs = page.locator("input[type=file]")
    fake = tmp_path / "to-khai.pdf"
    fake.write_text("không phải PDF")
    inputs.first.set_input_files(str(fake))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("alert")).to_contain_text("không phải PDF, JPG hoặc PNG")

    # 2. Upload real documents, choose the units and the delivery, save a draft, then submit.
    required = page.locator(".upload-list > li", has_text="(bắt buộc)")
    for index in range(required.count()):
        required.nth(index).locator("input[type=file]").set_input_files(
            str(a_pdf(tmp_path / f"giay-{index}.pdf", index + 1))
        )
    page.get_by_role("combobox", name="Cơ quan giải quyết").select_option(
        label="Ủy ban nhân dân phường Ninh Kiều"
    )
    centre = page.get_by_role("combobox", name="Nơi tiếp nhận hồ sơ")
    ninh_kieu = centre.locator("option", has_text="Ninh Kiều").first.get_attribute("value")
    assert ninh_kieu
    centre.select_option(value=ninh_kieu)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu hồ sơ nháp")
    expect(page.get_by_text("Đã tải lên: giay-0.pdf (1 trang)")).to_be_visible()
    page.get_by_role("radio", name="Trực tuyến").check()
    page.get_by_label("Tôi cam đoan").check()
    page.screenshot(path=str(SHOTS / "citizen-eform-360.png"), full_page=True)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    # 3. The dossier in state 1, then in "my dossiers".
    expect(page.get_by_role("heading", name="Hồ sơ chờ tiếp nhận")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp hồ sơ")
    expect(page.locator(".timeline")).to_contain_text("Hồ sơ đã được đăng ký")
    detail_url = page.url
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    row = page.locator(".dossier-list > li").first
    expect(row).to_contain_text("Thủ tục đăng ký khai sinh")
    expect(row).to_contain_text("Mới đăng ký")
    page.screenshot(path=str(SHOTS / "citizen-mine-360.png"), full_page=True)

    # 4. The counter officer of Ninh Kiều receives it at the desk.
    officer = browser.new_context(locale="vi-VN").new_page()
    officer.goto(f"{site.url}/accounts/login/")
    officer.get_by_label("Tên đăng nhập").fill("motcua.ninhkieu")
    officer.get_by_label("Mật khẩu").fill(OFFICER_PASSWORD)
    officer.get_by_role("button", name="Đăng nhập").click()
    expect(officer.get_by_role("heading", name="Bàn làm việc")).to_be_visible()
    dossier_id = detail_url.rstrip("/").rsplit("/", 1)[-1]
    officer.goto(f"{site.url}/desk/dossiers/{dossier_id}/")
    label = "Tiếp nhận (cấp Giấy tiếp nhận, Mẫu 01)"
    officer.locator("form.action-form").filter(
        has=officer.get_by_role("button", name=label)
    ).get_by_role("button", name=label).click()
    expect(officer.get_by_role("status")).to_contain_text("Đã thực hiện")
    officer.context.close()

    # 5. The citizen sees the receipt, the code and the due date.
    page.goto(detail_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ H92.")
    expect(page.locator(".timeline")).to_contain_text("Hồ sơ đã được tiếp nhận")
    expect(page.locator(".badge").first).to_contain_text("Đã tiếp nhận")
    due = page.locator("dt:has-text('Ngày hẹn trả kết quả') + dd").inner_text()
    assert "/" in due, due
    page.screenshot(path=str(SHOTS / "citizen-dossier-360.png"), full_page=True)

    # 6. Logout at both ends: here, then at VNeID (the next login asks for the password again).
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Bạn đã đăng xuất")).to_be_visible()
    page.goto(f"{site.url}/auth/vneid/login")
    expect(page.get_by_label("Số định danh cá nhân")).to_be_visible()
    context.close()
