"""Issue #18 "done when": on a 360 px phone a citizen files a report with a photo and its place
on the portal form; the competent commune's specialist answers it at the desk with a file; axe
finds no serious violation on either page. Screenshots go to MOTCUA_SCREENSHOT_DIR (docs)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

from tests.browser.citizen_server import SHOTS
from tests.browser.conftest import DemoServer
from tests.browser.test_citizen_flow import assert_accessible
from tests.browser.test_counter_flow import login

pytestmark = pytest.mark.browser


def _photo(path: Path) -> Path:
    image = Image.new("RGB", (1200, 900), (90, 140, 200))
    exif = Image.Exif()
    exif[0x0110] = "SecretPhone 9"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_a_report_with_a_photo_and_a_place_is_answered(
    browser: Browser, demo_server: DemoServer, tmp_path: Path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(f"{demo_server.url}/phan-anh-kien-nghi/")
    page.get_by_label("Phản ánh", exact=True).check()
    page.get_by_label("Cơ quan, đơn vị được phản ánh, kiến nghị").select_option(
        label="Ủy ban nhân dân phường Ninh Kiều"
    )
    page.get_by_label("Tiêu đề").fill("Đèn đường hỏng")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Đèn đường trước số 45 Mậu Thân tắt nhiều đêm, đường rất tối."
    )
    page.get_by_label("Họ và tên").fill("Trần Văn Bình")
    page.get_by_label("Số điện thoại di động (để nhận trả lời và tra cứu)").fill("0912345678")
    page.get_by_label("Địa điểm (số nhà, đường, xã/phường — không bắt buộc)").fill(
        "45 Mậu Thân, Phường Ninh Kiều"
    )
    page.get_by_label("Ảnh chụp (tối đa 3 ảnh, không bắt buộc)").set_input_files(
        str(_photo(tmp_path / "den-duong.jpg"))
    )
    # The place picked on the map (a tap), as well as typed.
    page.get_by_role("region", name="Bản đồ chọn vị trí").click()
    expect(page.locator("#place-picked")).to_contain_text("Đã chọn vị trí 10.")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "petition-form-360.png"), full_page=True)
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    expect(page).to_have_url(re.compile(r"/phan-anh-kien-nghi/da-gui/PAKN-"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    context.close()

    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 780})
    page = context.new_page()
    login(page, demo_server, "chuyenvien.ninhkieu")
    expect(page.locator('[data-alert="new"]')).to_be_visible()  # the desk badge
    page.goto(f"{demo_server.url}/desk/petitions/{code}/")
    expect(page.get_by_text("45 Mậu Thân, Phường Ninh Kiều")).to_be_visible()
    expect(page.get_by_text("Vị trí trên bản đồ: 10.")).to_be_visible()  # the picked place
    expect(page.locator("img[src*='/phan-anh-kien-nghi/anh/']")).to_have_count(1)
    page.get_by_label("Nội dung trả lời", exact=True).fill(
        "Phường đã thay bóng đèn ngày hôm nay. Cảm ơn ông đã phản ánh."
    )
    page.get_by_label("Tệp đính kèm câu trả lời").set_input_files(
        str(_photo(tmp_path / "da-sua.jpg"))
    )
    assert_accessible(page)
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Phường đã thay bóng đèn ngày hôm nay.")).to_be_visible()
    expect(page.get_by_role("link", name="da-sua.jpg")).to_be_visible()
    page.screenshot(path=str(SHOTS / "petition-desk-answered-360.png"), full_page=True)
    context.close()
