"""Client of the national payment platform (PayGov-style, DOMAIN §9.2), over real HTTP.

Configuration switches the endpoint, never the implementation: ``MOTCUA_PAYMENT_URL``,
``MOTCUA_PAYMENT_KEY`` (``X-Api-Key``), ``MOTCUA_PAYMENT_SECRET`` (the R-PAY-06 checksum secret)
and ``MOTCUA_PAYMENT_MERCHANT`` (``MaDoiTac``). Every call has a timeout; every failure is a
:class:`PaymentPlatformError` with a Vietnamese message and whether a retry may help.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
from django.conf import settings

from contracts import payment as c
from contracts.common import format_ts

__all__ = [
    "PaymentPlatformError",
    "Platform",
    "callback_is_authentic",
    "platform",
]


class PaymentPlatformError(Exception):
    def __init__(self, message_vi: str, *, retryable: bool, code: str = "") -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.retryable = retryable
        self.code = code


@dataclass(frozen=True)
class Platform:
    url: str
    key: str
    secret: str
    merchant: str
    timeout_s: float

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = httpx.post(
                f"{self.url}{path}",
                json=body,
                headers={"X-Api-Key": self.key},
                timeout=self.timeout_s,
            )
        except httpx.TimeoutException as exc:
            raise PaymentPlatformError(
                "Nền tảng thanh toán không phản hồi kịp; vui lòng thử lại sau ít phút.",
                retryable=True,
            ) from exc
        except httpx.HTTPError as exc:
            raise PaymentPlatformError(
                "Không kết nối được nền tảng thanh toán; vui lòng thử lại sau.", retryable=True
            ) from exc
        if response.status_code >= 500:
            raise PaymentPlatformError(
                "Nền tảng thanh toán đang gián đoạn; vui lòng thử lại sau.", retryable=True
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise PaymentPlatformError(
                "Nền tảng thanh toán trả lời không đúng định dạng.", retryable=True
            ) from exc
        if not isinstance(data, dict):
            raise PaymentPlatformError(
                "Nền tảng thanh toán trả lời không đúng định dạng.", retryable=True
            )
        if response.status_code >= 400 and "error_code" not in data:
            raise PaymentPlatformError(
                f"Nền tảng thanh toán từ chối yêu cầu (HTTP {response.status_code}).",
                retryable=False,
            )
        return data

    def init(self, request: c.InitRequest) -> c.InitResult:
        """INIT (R-PAY-05) signed with R-PAY-06; the payer's page URL."""
        request.MaDoiTac = self.merchant
        request.MaXacThuc = c.init_checksum(request, self.secret)
        data = self._post(c.INIT_PATH, request.model_dump(mode="json", exclude_none=True))
        code = str(data.get("error_code", ""))
        if code != c.ERR_OK:
            raise PaymentPlatformError(
                f"Nền tảng thanh toán từ chối khởi tạo giao dịch: {data.get('message', '')}",
                retryable=False,
                code=code,
            )
        try:
            return c.parse_init_message(str(data["message"]))
        except (KeyError, ValueError) as exc:
            raise PaymentPlatformError(
                "Nền tảng thanh toán trả lời không đúng định dạng.", retryable=True
            ) from exc

    def query(self, reference: str, at: datetime) -> c.Transaction | None:
        """QUERY (R-PAY-08); ``None`` when the platform does not know the reference."""
        request = c.QueryRequest(
            MaDoiTac=self.merchant, MaThamChieu=reference, ThoiGianGD=format_ts(at)
        )
        request.MaXacThuc = c.query_checksum(request, self.secret)
        data = self._post(c.QUERY_PATH, request.model_dump(mode="json"))
        code = str(data.get("error_code", ""))
        if code == c.ERR_NOT_FOUND:
            return None
        if code != c.ERR_OK:
            raise PaymentPlatformError(
                f"Không tra cứu được giao dịch: {data.get('message', '')}",
                retryable=False,
                code=code,
            )
        return c.Transaction.model_validate_json(str(data["message"]))

    def reconciliation(self, day: date) -> c.ReconciliationReport:
        """The platform's report of every transaction created on ``day`` (local)."""
        request = c.ReconciliationRequest(MaDoiTac=self.merchant, Ngay=day.strftime("%Y%m%d"))
        request.MaXacThuc = c.reconciliation_checksum(request, self.secret)
        report = c.ReconciliationReport.model_validate(
            self._post(c.RECONCILIATION_PATH, request.model_dump(mode="json"))
        )
        if report.error_code != c.ERR_OK:
            raise PaymentPlatformError(
                f"Không lấy được báo cáo đối soát: {report.message}",
                retryable=False,
                code=report.error_code,
            )
        return report

    def callback_is_authentic(self, callback: c.Callback) -> bool:
        """R-PAY-07: recompute ``MaXacThuc`` and compare in constant time."""
        expected = c.callback_checksum(callback, self.secret)
        return hmac.compare_digest(
            expected.lower().encode(), callback.MaXacThuc.strip().lower().encode()
        )


def platform() -> Platform:
    """The configured payment platform (read on each call, so tests can point it elsewhere)."""
    return Platform(
        url=settings.MOTCUA_PAYMENT_URL.rstrip("/"),
        key=settings.MOTCUA_PAYMENT_KEY,
        secret=settings.MOTCUA_PAYMENT_SECRET,
        merchant=settings.MOTCUA_PAYMENT_MERCHANT,
        timeout_s=float(settings.MOTCUA_PAYMENT_TIMEOUT_SECONDS),
    )


def callback_is_authentic(callback: c.Callback) -> bool:
    return platform().callback_is_authentic(callback)
