"""Forms that help (issue #14 item 4): unit lists in one Vietnamese order, the citizen's commune
preselected from their address, a procedure page that agrees with itself at every online level,
the fee and its reason where the citizen decides to pay, the beneficiary on the VietQR page, and
the citizen's own uploaded files (scoped to the owner)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import zxingcpp
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit, UnitKind
from motcua.catalog.models import OnlineLevel, Procedure, ProcedureVersion
from motcua.core.text import vi_sorted
from motcua.dossiers.actions import do_forward_dossier, do_request_payment
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.payments.actions import do_create_payment_order
from motcua.payments.selectors import vietqr_payload
from motcua.payments.vietqr import parse_tlv
from motcua.portal.models import VneidIdentity
from motcua.portal.tests.conftest import pdf_bytes
from motcua.portal.tests.test_apply import BIRTH, start_draft

pytestmark = pytest.mark.django_db

CAI_KHE_ADDRESS = "Số 5 đường Trần Văn Khéo, phường Cái Khế, thành phố Cần Thơ"


def _identity(user: User, address: str) -> None:
    VneidIdentity.objects.update_or_create(
        user=user,
        defaults={
            "sub": f"test-{user.pk}",
            "loa": "2",
            "address": address,
            "last_login_at": timezone.now(),
        },
    )


def _options(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of a select's options, in page order."""
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, name
    return [
        (value, text.strip(), " selected" in attrs)
        for value, attrs, text in re.findall(
            r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', match.group(1)
        )
    ]


def test_the_e_form_lists_units_in_vietnamese_order_with_d_stroke_after_d(
    citizen: User, pc_a: Unit, pc_b: Unit
) -> None:
    """GIVEN three implementing units named so that a byte or accent-folded order would differ
    from the Vietnamese one WHEN the citizen opens the e-form THEN the competent units come in
    the order of the one collation (Đ after D, tones in dictionary order), on either database."""
    version = Procedure.objects.get(province_id=92, code_national=BIRTH).current
    assert version is not None
    units = list(version.implementing_units.filter(kind=UnitKind.COMMUNE_PC)[:3])
    assert len(units) == 3
    for unit, name in zip(
        units, ["UBND xã Đa Lộc", "UBND xã Dương Hòa", "UBND xã Da Bà"], strict=True
    ):
        Unit.objects.filter(pk=unit.pk).update(name=name)
    client = logged_in(citizen)
    page = client.get(start_draft(client)).content.decode()
    names = [text for value, text, _ in _options(page, "competent_unit") if value]
    assert names == vi_sorted(names)
    assert names.index("UBND xã Da Bà") < names.index("UBND xã Dương Hòa")
    assert names.index("UBND xã Dương Hòa") < names.index("UBND xã Đa Lộc")
    assert 'data-searchable="1"' in page
    assert "web/choices.js" in page


def test_the_e_form_preselects_the_commune_of_the_citizens_address(
    citizen: User, pc_b: Unit, psc_b: Unit
) -> None:
    _identity(citizen, CAI_KHE_ADDRESS)
    client = logged_in(citizen)
    page = client.get(start_draft(client)).content.decode()
    competent = [value for value, _, selected in _options(page, "competent_unit") if selected]
    receiving = [value for value, _, selected in _options(page, "receiving_unit") if selected]
    assert competent == [str(pc_b.pk)]
    assert receiving == [str(psc_b.pk)]


def test_an_address_that_names_no_commune_preselects_nothing(citizen: User) -> None:
    _identity(citizen, "Số 1 đường Không Tên, tỉnh Nào Đó")
    client = logged_in(citizen)
    page = client.get(start_draft(client)).content.decode()
    assert not [v for v, _, selected in _options(page, "competent_unit") if selected and v]


def test_the_petition_form_preselects_the_citizens_commune_and_sorts_units(
    citizen: User, pc_b: Unit
) -> None:
    _identity(citizen, CAI_KHE_ADDRESS)
    page = logged_in(citizen).get("/phan-anh-kien-nghi/").content.decode()
    options = _options(page, "unit")
    assert [v for v, _, selected in options if selected] == [str(pc_b.pk)]
    communes = [t for _, t, _ in options if t.startswith(("UBND xã", "UBND phường"))]
    assert communes == vi_sorted(communes)
    anonymous = Client().get("/phan-anh-kien-nghi/").content.decode()
    assert not [v for v, _, selected in _options(anonymous, "unit") if selected and v]


@pytest.mark.parametrize(
    ("level", "button", "words"),
    [
        (OnlineLevel.FULL, True, "Toàn trình: nộp hồ sơ"),
        (OnlineLevel.PARTIAL, True, "Một phần: nộp hồ sơ trực tuyến"),
        (OnlineLevel.UNKNOWN, True, "chưa được công bố"),
        (OnlineLevel.NONE, False, "chưa cung cấp dịch vụ công trực tuyến"),
    ],
)
def test_the_procedure_page_and_the_apply_button_agree_at_every_level(
    citizen: User, level: str, button: bool, words: str
) -> None:
    """R-ONL-01/02: the level shown, the sentence under it, the "apply online" button and what
    the button leads to say the same thing, for each of the four levels."""
    procedure = Procedure.objects.get(province_id=92, code_national=BIRTH)
    assert procedure.current_id is not None
    # a level that was read (decision 0027: an inferred "none" keeps the form open, below)
    ProcedureVersion.objects.filter(pk=procedure.current_id).update(
        online_level=level, inferred_fields=[]
    )
    page = Client().get(f"/thu-tuc/{BIRTH}/").content.decode()
    assert words in page
    assert str(OnlineLevel(level).label) in page
    assert (f'href="/nop-ho-so/{BIRTH}/"' in page) is button
    started = logged_in(citizen).get(f"/nop-ho-so/{BIRTH}/")
    assert started.status_code == (302 if button else 409)


def test_a_level_of_none_inferred_from_the_national_record_keeps_the_form_open(
    citizen: User,
) -> None:
    """Decision 0027: "none" read from the national record's channels is inferred and national;
    the page says so and the form stays open (a "none" that was read closes it, above)."""
    procedure = Procedure.objects.get(province_id=92, code_national=BIRTH)
    assert procedure.current_id is not None
    ProcedureVersion.objects.filter(pk=procedure.current_id).update(
        online_level=OnlineLevel.NONE, inferred_fields=["online_level"]
    )
    page = Client().get(f"/thu-tuc/{BIRTH}/").content.decode()
    assert "không ghi kênh nộp trực tuyến" in page
    assert "chưa được tỉnh xác nhận" in page
    assert f'href="/nop-ho-so/{BIRTH}/"' in page
    assert logged_in(citizen).get(f"/nop-ho-so/{BIRTH}/").status_code == 302


def _awaiting_payment(
    officer: User, specialist: User, psc: Unit, pc: Unit, citizen: User
) -> Dossier:
    dossier = received(officer, at=psc, competent=pc, code=TRANSACTION_CERT)
    Dossier.objects.filter(pk=dossier.pk).update(citizen=citizen)
    do_forward_dossier(dossier, acting_user=officer, at_unit=psc)
    do_request_payment(
        dossier, acting_user=specialist, amount=120_000, reason="Lệ phí chứng thực hợp đồng"
    )
    return dossier


def test_the_dossier_page_states_the_fee_and_its_reason_where_the_citizen_pays(
    citizen: User, officer_a: User, specialist_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    dossier = _awaiting_payment(officer_a, specialist_a, psc_a, pc_a, citizen)
    page = logged_in(citizen).get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    notice = page[page.index('id="fee-notice"') :]
    assert "120.000 đ" in notice
    assert "Lệ phí chứng thực hợp đồng" in notice
    assert notice.index("120.000 đ") < notice.index("Thanh toán phí, lệ phí")


def test_the_vietqr_page_names_the_beneficiary_the_code_pays(
    citizen: User, officer_a: User, specialist_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """The holder, the bank and the account shown are those of the QR's EMVCo field 38 (NAPAS
    GUID, bank BIN, account), decoded from the served PNG with zxing-cpp."""
    dossier = _awaiting_payment(officer_a, specialist_a, psc_a, pc_a, citizen)
    order = do_create_payment_order(dossier, acting_user=None)
    page = Client().get(f"/thanh-toan/{order.pk}/").content.decode()
    shown = page[page.index('id="beneficiary"') :]
    png = Client().get(f"/thanh-toan/{order.pk}/vietqr.png").content
    [code] = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert code.text == vietqr_payload(order)
    merchant = parse_tlv(parse_tlv(code.text)["38"])
    beneficiary = parse_tlv(merchant["01"])
    assert merchant["00"] == "A000000727"
    assert beneficiary["00"] == "970415"
    assert "VietinBank" in shown
    assert f"<code>{beneficiary['01']}</code>" in shown
    assert "TRUNG TAM PHUC VU HANH CHINH CONG" in shown
    assert parse_tlv(code.text)["54"] == "120000"


def test_the_citizen_opens_their_own_uploaded_file_and_nobody_else_can(
    citizen: User, officer_a: User, psc_a: Unit, pc_a: Unit, media: Path
) -> None:
    dossier = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
    Dossier.objects.filter(pk=dossier.pk).update(citizen=citizen)
    component = dossier.components.filter(provided=True).first()
    assert component is not None
    component.file.save("to-khai.pdf", ContentFile(pdf_bytes(1)), save=True)
    url = f"/ho-so-cua-toi/{dossier.pk}/giay-to/{component.pk}/"
    page = logged_in(citizen).get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert f'href="{url}"' in page
    opened = logged_in(citizen).get(url)
    assert opened.status_code == 200
    assert opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("inline")
    assert "no-store" in opened["Cache-Control"]
    other = User.objects.create_user(username="congdan.khac", kind=User.Kind.CITIZEN)
    assert logged_in(other).get(url).status_code == 404
    assert Client().get(url).status_code in (302, 404)
    assert logged_in(officer_a).get(url).status_code in (302, 403, 404)
    unknown = f"/ho-so-cua-toi/{dossier.pk}/giay-to/999999/"
    assert logged_in(citizen).get(unknown).status_code == 404
