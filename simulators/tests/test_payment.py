"""Payment simulator over real HTTP (R-PAY-05..09)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from contracts import payment as c
from contracts.common import ApiResponse, now_ts
from simulators.tests.conftest import PAYMENT_SECRET, SimProcess


class _Merchant(BaseHTTPRequestHandler):
    received: list[dict[str, object]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def merchant() -> Iterator[str]:
    """A merchant endpoint on loopback that records the callbacks it receives."""
    server = HTTPServer(("127.0.0.1", 0), _Merchant)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/callback"
    server.shutdown()
    server.server_close()


def init_request(ref: str, **extra: str) -> c.InitRequest:
    req = c.InitRequest(
        MaDoiTac="MOTCUA",
        MaThamChieu=ref,
        SoTien=150_000,
        ThongTinGiaoDich="Lệ phí hồ sơ 000.00.01.H26-250801-0001",
        ThoiGianGD=now_ts(),
        Ip="127.0.0.1",
        ThongTinBienLai=c.Receipt(MaHoSo="000.00.01.H26-250801-0001", MaTTHC="1.001234"),
        **extra,  # type: ignore[arg-type]
    )
    req.MaXacThuc = c.init_checksum(req, PAYMENT_SECRET)
    return req


def post_init(payment: SimProcess, req: c.InitRequest) -> ApiResponse:
    with payment.client() as client:
        response = client.post(c.INIT_PATH, json=req.model_dump(mode="json"))
    assert response.status_code == 200, response.text
    return ApiResponse.model_validate_json(response.content)


def test_wrong_checksum_is_rejected(payment: SimProcess) -> None:
    req = init_request(c.reference_for("000.00.01.H26-250801-0001", now_ts()))
    req.MaXacThuc = c.init_checksum(req, "not-the-secret")
    assert post_init(payment, req).error_code == c.ERR_BAD_CHECKSUM


def test_reference_follows_r_pay_09() -> None:
    assert c.reference_for("000.00.01.H26-250801-0001", "20250801090000") == (
        "dvc0000001H26250801000120250801090000"
    )


def test_pay_page_marks_paid_and_sends_a_signed_callback(
    payment: SimProcess, merchant: str
) -> None:
    ref = c.reference_for("000.00.01.H26-250801-0002", now_ts())
    answer = post_init(
        payment, init_request(ref, UrlTraVe="http://127.0.0.1:1/return", UrlThongBao=merchant)
    )
    assert answer.ok, answer.message
    url = c.parse_init_message(answer.message).UrlThanhToan
    assert post_init(payment, init_request(ref)).error_code in {"0", "-3"}
    with payment.client(key="") as browser:
        page = browser.get(url)
        assert "Thanh toán" in page.text
        paid = browser.post(url, data={"action": "pay"}, follow_redirects=False)
    assert paid.status_code == 303
    location = urlsplit(paid.headers["location"])
    assert location.path == "/return"
    redirected = c.Callback.model_validate(dict(parse_qsl(location.query)))
    assert redirected.MaLoi == c.MALOI_SUCCESS
    assert redirected.MaXacThuc == c.callback_checksum(redirected, PAYMENT_SECRET)
    (posted,) = [cb for cb in _Merchant.received if cb["MaThamChieu"] == ref]
    assert c.Callback.model_validate(posted) == redirected

    query = c.QueryRequest(MaDoiTac="MOTCUA", MaThamChieu=ref, ThoiGianGD=now_ts())
    query.MaXacThuc = c.query_checksum(query, PAYMENT_SECRET)
    report = c.ReconciliationRequest(MaDoiTac="MOTCUA", Ngay=now_ts()[:8])
    report.MaXacThuc = c.reconciliation_checksum(report, PAYMENT_SECRET)
    with payment.client() as client:
        status = ApiResponse.model_validate_json(
            client.post(c.QUERY_PATH, json=query.model_dump()).content
        )
        day = c.ReconciliationReport.model_validate_json(
            client.post(c.RECONCILIATION_PATH, json=report.model_dump()).content
        )
    assert c.Transaction.model_validate_json(status.message).TrangThai == "PAID"
    assert ref in {t.MaThamChieu for t in day.DanhSach}
    assert day.TongTienDaThanhToan >= 150_000


def test_malformed_fault_gives_an_unparsable_body(payment: SimProcess) -> None:
    req = init_request(c.reference_for("000.00.01.H26-250801-0003", now_ts()))
    with payment.client() as client:
        response = client.post(
            c.INIT_PATH, json=req.model_dump(mode="json"), headers={"X-Sim-Fault": "malformed"}
        )
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
