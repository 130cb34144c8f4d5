"""Paying a dossier's fee through the (simulated) national payment platform: INIT over HTTP,
the payer's page, the signed confirmation, replays, forgeries, wrong amounts, the receipt and
the daily reconciliation (R-PAY-01..09)."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from django.test import Client

from contracts import payment as c
from contracts.common import now_ts
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.clock import local_today
from motcua.documents.models import DocumentKind, SignedDocument
from motcua.documents.tests.pdftools import text_of
from motcua.dossiers.actions import do_forward_dossier, do_request_payment
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.payments.actions import (
    do_apply_confirmation,
    do_create_payment_order,
    do_start_online_payment,
)
from motcua.payments.jobs import reconcile_day
from motcua.payments.models import (
    CallbackOutcome,
    IssueKind,
    OrderStatus,
    PaymentCallback,
    PaymentOrder,
)
from motcua.payments.selectors import paid_online, vietqr_payload
from motcua.payments.vietqr import parse_tlv, verify_crc
from simulators.tests.conftest import PAYMENT_SECRET, SimProcess

pytestmark = pytest.mark.django_db

UNREACHABLE = "http://127.0.0.1:9/thanh-toan/thong-bao/"  # the sim's callback fails: we relay it


def dossier_with_fee(officer: User, psc: Unit, pc: Unit) -> Dossier:
    return received(officer, at=psc, competent=pc, code=TRANSACTION_CERT)


def pay_at_platform(url: str, *, action: str = "pay") -> dict[str, str]:
    """The payer presses the button on the platform's page; we read the signed fields the
    browser is redirected back with."""
    response = httpx.post(url, data={"action": action}, follow_redirects=False, timeout=10)
    assert response.status_code == 303
    return dict(parse_qsl(urlsplit(response.headers["location"]).query))


def started(order: PaymentOrder) -> str:
    return do_start_online_payment(
        order,
        return_url=f"http://testserver/thanh-toan/{order.pk}/ket-qua/",
        notify_url=UNREACHABLE,
        ip="127.0.0.1",
    )


def signed(**fields: Any) -> dict[str, Any]:
    callback = c.Callback(**fields)
    callback.MaXacThuc = c.callback_checksum(callback, PAYMENT_SECRET)
    return callback.model_dump(mode="json")


def post_callback(fields: dict[str, Any]) -> Any:
    return Client().post("/thanh-toan/thong-bao/", fields, content_type="application/json")


def test_the_fee_comes_from_the_catalogue_and_the_reference_follows_r_pay_09(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    dossier = dossier_with_fee(officer_a, psc_a, pc_a)
    order = do_create_payment_order(dossier, acting_user=None)
    assert dossier.code is not None
    assert order.amount == 50_000  # 2.001035: 50.000 đ per transaction (Circular 226/2016)
    assert order.reference.startswith("dvc" + dossier.code.replace(".", "").replace("-", ""))
    assert (
        len(order.reference)
        == 3 + len(dossier.code) - dossier.code.count(".") - dossier.code.count("-") + 14
    )
    assert do_create_payment_order(dossier, acting_user=None) == order  # reused while unpaid


def test_a_citizen_pays_online_and_a_replayed_callback_changes_nothing(
    paygov: SimProcess, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN an order INIT at the platform WHEN the payer pays and the platform confirms with
    MaLoi 00 THEN the order is paid once, online (R-PAY-04), with a signed e-receipt; the same
    confirmation again (callback or browser return) changes nothing (R-PAY-07)."""
    dossier = dossier_with_fee(officer_a, psc_a, pc_a)
    order = do_create_payment_order(dossier, acting_user=None)
    url = started(order)
    assert url.startswith(paygov.url + "/pay/")
    assert started(order) == url  # the same INIT again: the same page
    fields = pay_at_platform(url)
    assert fields["MaLoi"] == "00"

    response = post_callback(fields)
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.transaction_id == fields["MaGiaoDich"]
    assert order.is_paid_online
    assert paid_online(dossier)
    assert order.receipt is not None
    version = order.version
    events = dossier.events.filter(kind="dossier:payment:paid").count()
    assert events == 1

    assert post_callback(fields).status_code == 200
    page = Client().get(f"/thanh-toan/{order.pk}/ket-qua/", fields)
    assert "Thanh toán thành công 50.000 đ" in page.content.decode()
    order.refresh_from_db()
    assert order.version == version
    assert dossier.events.filter(kind="dossier:payment:paid").count() == 1
    assert SignedDocument.objects.filter(kind=DocumentKind.RECEIPT).count() == 1
    outcomes = list(order.callbacks.order_by("id").values_list("outcome", flat=True))
    assert outcomes == [
        CallbackOutcome.ACCEPTED,
        CallbackOutcome.DUPLICATE,
        CallbackOutcome.DUPLICATE,
    ]

    receipt = Client().get(f"/thanh-toan/{order.pk}/bien-lai.pdf")
    pdf = b"".join(receipt.streaming_content)  # type: ignore[attr-defined]
    text = text_of(pdf)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ" in text
    assert "50.000 đ" in text
    assert fields["MaGiaoDich"] in text
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        report = subprocess.run(
            ["/usr/bin/pdfsig", handle.name], capture_output=True, text=True, check=False
        ).stdout
    assert "Signature is Valid." in report


def test_a_forged_or_tampered_confirmation_is_rejected(
    paygov: SimProcess, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    order = do_create_payment_order(dossier_with_fee(officer_a, psc_a, pc_a), acting_user=None)
    fields = pay_at_platform(started(order))
    tampered = {**fields, "MaGiaoDich": "PGFORGED000000"}
    assert post_callback(tampered).status_code == 400
    forged = {**fields, "MaXacThuc": "0" * 64}
    assert post_callback(forged).status_code == 400
    page = Client().get(f"/thanh-toan/{order.pk}/ket-qua/", tampered)
    assert "sai mã xác thực" in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert PaymentCallback.objects.filter(outcome=CallbackOutcome.BAD_CHECKSUM).count() == 3
    assert post_callback({"not": "a callback"}).status_code == 400
    assert (
        post_callback({**fields, "MaXacThuc": "chữ ký giả", "MaDoiTac": "Đối tác"}).status_code
        == 400
    )


def test_a_confirmation_with_another_amount_is_flagged_not_paid(
    officer_a: User, psc_a: Unit, pc_a: Unit, settings: Any
) -> None:
    order = do_create_payment_order(dossier_with_fee(officer_a, psc_a, pc_a), acting_user=None)
    fields = signed(
        MaLoi="00", MaDoiTac=settings.MOTCUA_PAYMENT_MERCHANT, MaThamChieu=order.reference,
        SoTien=5_000, MaGiaoDich="PG1", MaNganHang="PAYMENT", ThoiGianGD=now_ts(),
        ThongTinGiaoDich=order.description,
    )  # fmt: skip
    assert do_apply_confirmation(fields, source="callback").outcome == (
        CallbackOutcome.AMOUNT_MISMATCH
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.MISMATCH
    assert order.reported_amount == 5_000
    assert not order.receipt


def test_a_cancelled_payment_fails_and_is_not_paid_online(
    paygov: SimProcess, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    dossier = dossier_with_fee(officer_a, psc_a, pc_a)
    order = do_create_payment_order(dossier, acting_user=None)
    fields = pay_at_platform(started(order), action="cancel")
    assert fields["MaLoi"] == "24"
    post_callback(fields)
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED
    assert not paid_online(dossier)
    # A new order can be made after a failure.
    assert do_create_payment_order(dossier, acting_user=None) != order


def test_paying_a_financial_obligation_resumes_the_dossier(
    paygov: SimProcess, officer_a: User, specialist_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN a dossier waiting for the applicant's financial obligation (clock stopped,
    R-PAY-02) WHEN the payment is confirmed THEN it goes back to appraisal."""
    dossier = dossier_with_fee(officer_a, psc_a, pc_a)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    do_request_payment(dossier, acting_user=specialist_a, amount=1_250_000, reason="Thuế")
    order = do_create_payment_order(dossier, acting_user=None)
    assert order.amount == 1_250_000
    post_callback(pay_at_platform(started(order)))
    dossier.refresh_from_db()
    assert dossier.state == "in_appraisal"
    assert dossier.clock_paused_at is None


def test_the_order_page_shows_the_amount_both_ways_to_pay_and_a_valid_vietqr(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    order = do_create_payment_order(dossier_with_fee(officer_a, psc_a, pc_a), acting_user=None)
    html = Client().get(f"/thanh-toan/{order.pk}/").content.decode()
    assert "50.000 đ" in html
    assert "Thanh toán qua Cổng thanh toán" in html
    assert "VietQR" in html
    assert "<svg" in html
    payload = vietqr_payload(order)
    assert verify_crc(payload)
    assert parse_tlv(payload)["54"] == "50000"
    png = Client().get(f"/thanh-toan/{order.pk}/vietqr.png")
    assert png["Content-Type"] == "image/png"
    import io

    import zxingcpp
    from PIL import Image

    codes = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png.content)),
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
    )
    assert [code.text for code in codes] == [payload]
    api = Client().get(f"/api/v1/payments/orders/{order.pk}").json()
    assert api["amount"] == 50_000
    assert api["vietqr"] == payload
    assert api["status"] == "pending"
    missing = "00000000-0000-4000-8000-000000000000"
    assert Client().get(f"/thanh-toan/{missing}/").status_code == 404
    assert Client().get(f"/api/v1/payments/orders/{missing}").status_code == 404


def test_a_citizen_starts_a_payment_from_their_dossier_and_goes_to_the_platform(
    paygov: SimProcess, officer_a: User, psc_a: Unit, pc_a: Unit, officer_b: User
) -> None:
    dossier = dossier_with_fee(officer_a, psc_a, pc_a)
    other = Client()
    other.force_login(officer_b)  # commune B sees nothing of commune A's dossier
    assert other.post(f"/thanh-toan/ho-so/{dossier.pk}/").status_code == 404
    client = Client()
    client.force_login(officer_a)
    response = client.post(f"/thanh-toan/ho-so/{dossier.pk}/")
    assert response.status_code == 302
    order = PaymentOrder.objects.get(dossier=dossier)
    go = client.post(f"/thanh-toan/{order.pk}/cong-thanh-toan/")
    assert go.status_code == 303
    assert go["Location"].startswith(paygov.url + "/pay/")


def test_reconciliation_matches_the_day_and_flags_every_difference(
    paygov: SimProcess, officer_a: User, psc_a: Unit, pc_a: Unit, settings: Any
) -> None:
    paid = do_create_payment_order(dossier_with_fee(officer_a, psc_a, pc_a), acting_user=None)
    post_callback(pay_at_platform(started(paid)))
    pending = do_create_payment_order(dossier_with_fee(officer_a, psc_a, pc_a), acting_user=None)
    started(pending)
    lost = do_create_payment_order(dossier_with_fee(officer_a, psc_a, pc_a), acting_user=None)
    pay_at_platform(started(lost))  # paid at the platform; the confirmation never reached us
    other = do_create_payment_order(dossier_with_fee(officer_a, psc_a, pc_a), acting_user=None)
    started(other)
    PaymentOrder.objects.filter(pk=other.pk).update(amount=60_000)  # amounts now differ
    missing = do_create_payment_order(dossier_with_fee(officer_a, psc_a, pc_a), acting_user=None)
    PaymentOrder.objects.filter(pk=missing.pk).update(
        init_ts=now_ts(), channel="paygov"
    )  # we think we INIT'd it; the platform never got it
    stranger = c.InitRequest(
        MaDoiTac=settings.MOTCUA_PAYMENT_MERCHANT, MaThamChieu="dvcKHONGCO20260101000000",
        SoTien=10_000, ThongTinGiaoDich="?", ThoiGianGD=now_ts(), Ip="127.0.0.1",
    )  # fmt: skip
    stranger.MaXacThuc = c.init_checksum(stranger, PAYMENT_SECRET)
    with paygov.client() as http:
        assert http.post(c.INIT_PATH, json=stranger.model_dump()).json()["error_code"] == "0"

    run = reconcile_day(local_today())
    flags = {(i.kind, i.reference) for i in run.issues.all()}
    assert (IssueKind.STATUS, lost.reference) in flags
    assert (IssueKind.AMOUNT, other.reference) in flags
    assert (IssueKind.MISSING, missing.reference) in flags
    assert (IssueKind.UNKNOWN, "dvcKHONGCO20260101000000") in flags
    refs = {ref for _, ref in flags}
    assert paid.reference not in refs
    assert pending.reference not in refs
    assert run.matched >= 2
    assert run.flagged == len(flags)
    assert isinstance(run.day, date)
