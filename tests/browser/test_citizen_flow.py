"""Issue #6 item 10: a citizen logs in with VNeID (a real OIDC provider in its own process),
applies online for a birth registration, uploads the documents, submits; the dossier appears in
"Hồ sơ của tôi"; the counter officer receives it and the citizen sees the receipt and the
due date; the specialist asks for a fee, the citizen pays it on the (simulated) national payment
platform and comes back to the portal; the officers' steps appear on the citizen's timeline; the
citizen downloads the signed result, which poppler's pdfsig and pyHanko both verify, and finds it
in the personal data store; logging out ends both sessions."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pypdf import PdfReader, PdfWriter

from motcua.documents import signing
from tests.browser.citizen_server import AXE, SHOTS, CitizenSite, citizen_site
from tests.browser.conftest import DemoServer
from tests.browser.declaration import CHILD, fill_birth_declaration
from tests.browser.test_counter_flow import act, login, logout, sign

pytestmark = pytest.mark.browser


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
    fill_birth_declaration(page)
    page.locator("section.declaration").screenshot(path=str(SHOTS / "citizen-declaration-360.png"))
    page.get_by_role("radio", name="Trực tuyến").check()
    page.get_by_label("Tôi cam đoan").check()
    page.screenshot(path=str(SHOTS / "citizen-eform-360.png"), full_page=True)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    # 3. The confirmation with a reference to track at once (issue #14 item 3), the dossier
    # in state 1, then in "my dossiers".
    expect(page.get_by_role("heading", name="Đã nộp hồ sơ", level=1)).to_be_visible()
    expect(page.locator("[data-reference]")).to_have_text(re.compile(r"^[0-9A-F]{4}-[0-9A-F]{4}$"))
    page.screenshot(path=str(SHOTS / "citizen-submitted-360.png"), full_page=True)
    page.get_by_role("link", name="Xem hồ sơ").click()
    expect(page.get_by_role("heading", name="Hồ sơ chờ tiếp nhận")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Hồ sơ đã được đăng ký")
    detail_url = page.url
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    row = page.locator(".dossier-list > li").first
    expect(row).to_contain_text("Thủ tục đăng ký khai sinh")
    expect(row).to_contain_text("Mới đăng ký")
    page.screenshot(path=str(SHOTS / "citizen-mine-360.png"), full_page=True)

    # 4. The counter officer of Ninh Kiều receives it at the desk and forwards it.
    officer = browser.new_context(locale="vi-VN").new_page()
    login(officer, site.server, "motcua.ninhkieu")
    dossier_id = detail_url.rstrip("/").rsplit("/", 1)[-1]
    desk_url = f"{site.url}/desk/dossiers/{dossier_id}/"
    officer.goto(desk_url)
    act(officer, "Tiếp nhận (cấp Giấy tiếp nhận, Mẫu 01)")

    # 5. The bell counts the in-app notice of receipt (issue #14 item 3); the citizen sees
    # the receipt, the code and the due date.
    page.goto(f"{site.url}/thong-bao/")
    expect(page.locator("[data-unread]").first).to_be_visible()
    expect(page.locator(".notification-list .unread").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "citizen-notifications-360.png"), full_page=True)
    page.goto(detail_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ H92.")
    detail_code = page.get_by_role("heading", level=1).inner_text().replace("Hồ sơ", "").strip()
    expect(page.locator(".timeline")).to_contain_text("Hồ sơ đã được tiếp nhận")
    expect(page.locator(".badge").first).to_contain_text("Đã tiếp nhận")
    due = page.locator("dt:has-text('Ngày hẹn trả kết quả') + dd").inner_text()
    assert "/" in due, due
    page.screenshot(path=str(SHOTS / "citizen-dossier-360.png"), full_page=True)

    # 6. The counter forwards it; the specialist asks for a fee (R-PAY-02).
    act(officer, "Chuyển đến cơ quan giải quyết")
    logout(officer)
    login(officer, site.server, "chuyenvien.ninhkieu")
    officer.goto(desk_url)
    act(
        officer,
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        amount="8000",
        reason="Lệ phí cấp bản sao trích lục khai sinh",
    )

    # 7. The citizen pays on the national payment platform and comes back (R-PAY-05..07).
    page.goto(detail_url)
    expect(page.locator(".badge").first).to_contain_text("Chờ thực hiện nghĩa vụ tài chính")
    expect(page.locator(".timeline")).to_contain_text("Chờ thực hiện nghĩa vụ tài chính")
    page.get_by_role("button", name="Thanh toán phí, lệ phí").click()
    expect(page.get_by_role("heading", name="Thanh toán phí, lệ phí")).to_be_visible()
    expect(page.locator(".amount")).to_contain_text("8.000")
    page.get_by_role("button", name="Thanh toán qua Cổng thanh toán").click()
    page.wait_for_url(f"{site.server.payment_url}/pay/**")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(f"{site.url}/thanh-toan/**")
    expect(page.get_by_role("status")).to_contain_text("Thanh toán thành công")
    expect(page.get_by_role("link", name="Tải biên lai điện tử (PDF)")).to_be_visible()
    page.screenshot(path=str(SHOTS / "citizen-paid-360.png"), full_page=True)
    page.goto(detail_url)
    expect(page.locator(".timeline")).to_contain_text("Đã thanh toán phí, lệ phí trực tuyến")
    expect(page.locator(".badge").first).to_contain_text("Đang thẩm định")
    expect(page.locator(".badge.ok", has_text="Đã thanh toán")).to_be_visible()
    expect(page.get_by_role("link", name="Biên lai điện tử (PDF)")).to_be_visible()

    # 8. The specialist submits, the leader (password + TOTP) signs, the counter returns.
    officer.goto(desk_url)
    act(officer, "Trình ký duyệt", opinion="Hồ sơ đủ điều kiện đăng ký khai sinh")
    logout(officer)
    login(officer, site.server, "lanhdao.ninhkieu", otp=True)
    officer.goto(desk_url)
    sign(officer, site.server, "lanhdao.ninhkieu")
    logout(officer)
    login(officer, site.server, "motcua.ninhkieu")
    officer.goto(desk_url)
    act(officer, "Trả kết quả")
    officer.context.close()

    # 9. Every officer step shows on the citizen's timeline, in plain words.
    page.goto(detail_url)
    expect(page.locator(".badge").first).to_contain_text("Đã trả kết quả")
    timeline = page.locator(".timeline").inner_text()
    steps = (
        "Hồ sơ đã được đăng ký",
        "Hồ sơ đã được tiếp nhận",
        "Hồ sơ đang được xử lý",
        "Chờ thực hiện nghĩa vụ tài chính",
        "Đã thanh toán phí, lệ phí trực tuyến",
        "Đang chờ lãnh đạo ký duyệt",
        "Đã có kết quả",
        "Đã trả kết quả",
    )
    positions = [timeline.index(step) for step in steps]
    assert positions == sorted(positions), timeline
    page.screenshot(path=str(SHOTS / "citizen-returned-360.png"), full_page=True)

    # 10. The signed result, downloaded from the portal, verifies with pdfsig and pyHanko.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải kết quả đã ký số (PDF)").click()
    result = tmp_path / "ket-qua.pdf"
    download.value.save_as(result)
    verify_signed_pdf(result, site.server)
    # The result is the birth extract with the declared child and mother (issue #14 item 2).
    text = " ".join(
        (p.extract_text() or "") for p in PdfReader(io.BytesIO(result.read_bytes())).pages
    )
    text = " ".join(unicodedata.normalize("NFC", text).split())
    assert "GIẤY KHAI SINH" in text
    assert CHILD in text
    assert "Nguyễn Thị An" in text
    png = SHOTS / "result-birth"  # pdftoppm adds ".png"
    subprocess.run(
        ["/usr/bin/pdftoppm", "-png", "-r", "70", "-singlefile", str(result), str(png)],
        check=True,
    )
    tampered = tmp_path / "sua.pdf"
    data = bytearray(result.read_bytes())
    data[data.index(b"stream", 1000) + 20] ^= 0x01
    tampered.write_bytes(bytes(data))
    assert "Signature is Valid." not in pdfsig(tampered)

    # 11. The result waits in the personal data store, for its owner only (issue #6 item 7).
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    page.get_by_role("link", name="Kho dữ liệu cá nhân").click()
    expect(page.get_by_role("heading", name="Kho dữ liệu cá nhân", level=1)).to_be_visible()
    stored = page.locator(".store-list > li", has_text=detail_code).first
    expect(stored).to_be_visible()
    with page.expect_download() as again:
        stored.get_by_role("link", name="Tải về (PDF)").click()
    assert Path(again.value.path()).read_bytes() == result.read_bytes()
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "citizen-store-360.png"), full_page=True)

    # 12. The citizen rates the service once (R-SAT-01).
    page.goto(detail_url)
    page.get_by_role("link", name="Đánh giá việc giải quyết hồ sơ").click()
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá")).to_be_visible()
    page.goto(detail_url)
    expect(page.get_by_text("Bạn đã đánh giá: Hài lòng")).to_be_visible()

    # 13. Logout at both ends: here, then at VNeID (the next login asks for the password again).
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Bạn đã đăng xuất")).to_be_visible()
    page.goto(f"{site.url}/auth/vneid/login")
    expect(page.get_by_label("Số định danh cá nhân")).to_be_visible()
    context.close()


def assert_accessible(page: Page) -> None:
    """axe-core: no serious or critical violation (issue #6 item 9), nothing wider than 360 px."""
    # Evaluated over CDP, not an inline <script>: the page's CSP forbids those.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    bad = [v["id"] for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    assert not bad, bad
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def pdfsig(path: Path) -> str:
    run = subprocess.run(
        ["/usr/bin/pdfsig", str(path)], capture_output=True, text=True, check=False
    )
    return run.stdout + run.stderr


def verify_signed_pdf(path: Path, server: DemoServer) -> None:
    """poppler and pyHanko agree: one intact PAdES signature over the whole file, by the
    competent commune, chaining to the demo server's own root CA (R-RES-05)."""
    report = pdfsig(path)
    assert "Signature is Valid." in report, report
    assert "Total document signed" in report, report
    assert "ETSI.CAdES.detached" in report, report
    assert "Signer Certificate Common Name: Ủy ban nhân dân phường Ninh Kiều" in report, report
    pki = Path(server.env.get("MOTCUA_PKI_DIR") or Path(server.env["MOTCUA_VAR_DIR"]) / "pki")

    def validate() -> Any:
        with path.open("rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            return validate_pdf_signature(
                reader.embedded_signatures[0], signing.validation_context(pki / "root-ca.pem")
            )

    # pyHanko runs its own asyncio loop; Playwright's sync API already has one in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate).result(timeout=60)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line
