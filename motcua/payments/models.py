"""Fee payment orders, the platform's callbacks, and the daily reconciliation (R-PAY-01..09).

Amounts are integer VND. An order is paid online only when the payment platform confirmed it
with ``MaLoi = "00"`` in a callback whose checksum we verified (R-PAY-04, R-PAY-07).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel
from motcua.documents.models import SignedDocument
from motcua.dossiers.models import Dossier


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    MISMATCH = "mismatch", _("Sai lệch, cần kiểm tra")


class PaymentChannel(models.TextChoices):
    PAYGOV = "paygov", _("Nền tảng thanh toán trên Cổng DVCQG")
    VIETQR = "vietqr", _("Chuyển khoản VietQR")
    COUNTER = "counter", _("Nộp tại bộ phận một cửa")


#: Channels that count as "paid online" for the indicators (R-PAY-04).
ONLINE_CHANNELS = frozenset({PaymentChannel.PAYGOV})


class PaymentOrder(TimeStampedModel):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payment_orders")
    reference = models.CharField(max_length=100, unique=True)  # MaThamChieu (R-PAY-09)
    amount = models.PositiveBigIntegerField()  # VND
    description = models.CharField(max_length=300)  # ThongTinGiaoDich
    lines = models.JSONField(default=list)  # [{"description", "amount"}] from the fee quote
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    channel = models.CharField(max_length=10, choices=PaymentChannel.choices, blank=True)
    payment_url = models.URLField(max_length=500, blank=True)  # UrlThanhToan
    init_ts = models.CharField(max_length=14, blank=True)  # ThoiGianGD of our INIT (local)
    transaction_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    error_code = models.CharField(max_length=10, blank=True)  # MaLoi of the last callback
    paid_at = models.DateTimeField(null=True, blank=True)
    reported_amount = models.PositiveBigIntegerField(null=True, blank=True)
    receipt = models.ForeignKey(
        SignedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("yêu cầu thanh toán")
        verbose_name_plural = _("yêu cầu thanh toán")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_paid_online(self) -> bool:
        return self.status == OrderStatus.PAID and self.channel in ONLINE_CHANNELS


class CallbackOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Đã ghi nhận")
    DUPLICATE = "duplicate", _("Trùng lặp, không thay đổi")
    BAD_CHECKSUM = "bad_checksum", _("Sai mã xác thực")
    UNKNOWN_ORDER = "unknown_order", _("Không có yêu cầu thanh toán")
    AMOUNT_MISMATCH = "amount_mismatch", _("Sai số tiền")
    FAILED = "failed", _("Giao dịch không thành công")
    CONFLICT = "conflict", _("Mâu thuẫn với kết quả đã ghi nhận")


class PaymentCallback(models.Model):
    """Every confirmation we received, verified or not (an append-only log)."""

    id = models.BigAutoField(primary_key=True)
    order = models.ForeignKey(
        PaymentOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks"
    )
    source = models.CharField(max_length=10)  # callback (server) | return (browser)
    received_at = models.DateTimeField()
    reference = models.CharField(max_length=100, db_index=True)
    transaction_id = models.CharField(max_length=100, blank=True)
    error_code = models.CharField(max_length=10, blank=True)
    amount = models.BigIntegerField(null=True, blank=True)
    checksum_ok = models.BooleanField()
    outcome = models.CharField(max_length=20, choices=CallbackOutcome.choices)
    payload = models.JSONField()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.outcome}"


class ReconciliationRun(models.Model):
    id = models.BigAutoField(primary_key=True)
    day = models.DateField()  # local day of the platform's report
    ran_at = models.DateTimeField()
    reported = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    reported_total_paid = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.day} {self.matched}/{self.reported}"


class IssueKind(models.TextChoices):
    MISSING = "missing", _("Có trong hệ thống, không có trong báo cáo")
    UNKNOWN = "unknown", _("Có trong báo cáo, không có yêu cầu thanh toán")
    AMOUNT = "amount", _("Số tiền khác nhau")
    STATUS = "status", _("Trạng thái khác nhau")


class ReconciliationIssue(models.Model):
    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(max_length=10, choices=IssueKind.choices)
    reference = models.CharField(max_length=100)
    order = models.ForeignKey(
        PaymentOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues"
    )
    expected = models.CharField(max_length=100, blank=True)
    reported = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["run", "kind", "reference"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"
