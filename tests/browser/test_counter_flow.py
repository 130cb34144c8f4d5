"""Issue #5 item 9: a counter officer in one commune receives a birth registration of another
commune, prints Form 01 (code, due time, QR to the tracking page), the competent commune's
specialist appraises, the leader approves, the result is returned; the timeline shows each step."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import DemoServer
from tests.browser.declaration import fill_birth_declaration

pytestmark = pytest.mark.browser
PASSWORD = "motcua-demo-2026"


def login(page: Page, server: DemoServer, username: str, *, otp: bool = False) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if otp:
        expect(page.get_by_role("heading", name="Xác thực hai lớp")).to_be_visible()
        code = server.motcua("demo_otp", username).strip()
        page.get_by_label("Mã xác thực 6 chữ số").fill(code)
        page.get_by_role("button", name="Xác thực").click()
    expect(page.get_by_role("heading", name="Bàn làm việc")).to_be_visible()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def act(page: Page, label: str, **fields: str) -> None:
    form = page.locator("form.action-form").filter(has=page.get_by_role("button", name=label))
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button", name=label).click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện")


def sign(page: Page, server: DemoServer, username: str) -> None:
    """The leader signs (issue #14 item 1): previews the exact result document, ticks the
    explicit confirmation, and enters a fresh TOTP code for the signing session."""
    dossier_url = page.url
    page.get_by_role("link", name="Xem trước văn bản sẽ ký").click()
    expect(page.locator(".viewer-page img").first).to_be_visible()
    page.goto(dossier_url)
    form = page.locator("form.action-form").filter(
        has=page.get_by_role("button", name="Phê duyệt, ký kết quả")
    )
    form.get_by_label("Tôi đã xem toàn văn văn bản và xác nhận ký số").check()
    otp = form.get_by_label("Mã xác thực 6 chữ số (mở phiên ký)")
    if otp.count():
        otp.fill(server.motcua("demo_otp", username).strip())
    form.get_by_role("button", name="Phê duyệt, ký kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện")


def test_boundary_free_birth_registration_from_counter_to_return(
    demo_server: DemoServer, browser: Browser, tmp_path: Path
) -> None:
    page = browser.new_page(locale="vi-VN")
    # 1. Commune B's counter registers a birth for commune A.
    login(page, demo_server, "motcua.caikhe")
    page.goto(f"{demo_server.url}/desk/dossiers/new/?procedure=1.001193")
    page.get_by_label("Cơ quan có thẩm quyền giải quyết").select_option(
        label="Ủy ban nhân dân phường Ninh Kiều"
    )
    page.get_by_label("Họ và tên / Tên tổ chức").fill("Nguyễn Thị Ánh Tuyết")
    page.get_by_label("Số định danh cá nhân / Mã số thuế").fill("092190000001")
    page.get_by_label("Số điện thoại").fill("0901234567")
    fill_birth_declaration(page)
    for box in page.locator("input[name=components]").all():
        box.check()
    page.get_by_role("button", name="Ghi nhận hồ sơ").click()
    act(page, "Tiếp nhận (cấp Giấy tiếp nhận, Mẫu 01)")
    heading = page.get_by_role("heading", level=1).inner_text()
    code = heading.replace("Hồ sơ", "").strip()
    assert re.fullmatch(r"H92\.31120\.01-\d{6}-\d{4}", code), code
    dossier_url = page.url
    due_text = page.locator("dt:has-text('Hạn giải quyết theo quy định') + dd").inner_text()

    # 2. Form 01: the code, the appointment, and a QR that opens the tracking page.
    href = page.get_by_role("link", name="In Mẫu số 01 (PDF)").get_attribute("href")
    form = page.request.get(f"{demo_server.url}{href}")  # the page's session cookie goes along
    assert form.ok
    reader = PdfReader(io.BytesIO(form.body()))
    text = unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in reader.pages))
    assert code in text.replace("\n", "")
    due = re.match(r"(\d\d):(\d\d) (\d\d)/(\d\d)/(\d{4})", due_text)
    assert due is not None, due_text
    hour, minute, _day, month, _year = due.groups()
    assert f"{int(hour)} giờ {minute} phút" in text or f"{hour} giờ {minute} phút" in text
    assert f"tháng {month}" in text or f"tháng {int(month)}" in text
    pdf = tmp_path / "form01.pdf"
    pdf.write_bytes(form.body())
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    qr = [
        b.text
        for b in zxingcpp.read_barcodes(
            Image.open(next(tmp_path.glob("p*.png"))),
            formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        )
    ]
    assert qr == [f"{demo_server.url}/tra-cuu/?ma={code}"]
    act(page, "Chuyển đến cơ quan giải quyết")
    logout(page)

    # 3. Commune A's specialist appraises.
    login(page, demo_server, "chuyenvien.ninhkieu")
    page.goto(f"{demo_server.url}/desk/dossiers/?queue=to_appraise")
    page.get_by_role("link", name=code).click()
    act(page, "Trình ký duyệt", opinion="Hồ sơ đủ điều kiện đăng ký khai sinh")
    logout(page)

    # 4. Commune A's leader (password + TOTP) approves.
    login(page, demo_server, "lanhdao.ninhkieu", otp=True)
    page.goto(dossier_url)
    sign(page, demo_server, "lanhdao.ninhkieu")
    logout(page)

    # 5. Commune B's counter returns the result; the timeline shows every step.
    login(page, demo_server, "motcua.caikhe")
    page.goto(dossier_url)
    act(page, "Trả kết quả")
    timeline = page.locator("ol.timeline").inner_text()
    for step in (
        "Tiếp nhận hồ sơ",
        "Chuyển hồ sơ đến Ủy ban nhân dân phường Ninh Kiều",
        "Hồ sơ đủ điều kiện đăng ký khai sinh",
        "Phê duyệt, ký kết quả",
        "Trả kết quả tại bộ phận một cửa",
    ):
        assert step in timeline, step
    for person in ("Võ Thanh Em", "Lê Thị Cúc", "Phạm Minh Dũng"):
        assert person in timeline
    expect(page.locator(".badge").first).to_contain_text("Đã trả kết quả")
    page.close()
