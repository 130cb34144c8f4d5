"""Fee rules of the procedure catalogue and a pure fee calculator (R-CAT-01, R-PAY-03).

Standard library only; amounts are **integer VND**, rates are :class:`~decimal.Decimal`, never
floats. A :class:`FeeRule` is stored in the catalogue as JSON through :meth:`FeeRule.to_dict` /
:meth:`FeeRule.from_dict`; :func:`compute_fee` turns a rule and a :class:`FeeInput` into a
:class:`FeeQuote` whose Vietnamese lines add up to the total.

Rule kinds (:class:`FeeKind`):

* ``free`` — nothing to pay (optionally only when registered on time, see ``on_time_only``);
* ``flat`` — ``amount`` once per dossier;
* ``per_transaction`` — ``amount`` × ``transactions`` (contracts, transactions);
* ``per_item`` — ``amount`` × ``items`` (e.g. signature certifications);
* ``per_page`` — ``amount`` × ``pages`` for each copy, capped by ``cap_per_copy``;
* ``per_copy_tiered_pages`` — for each copy, page tiers (``PageTier``) summed and capped by
  ``cap_per_copy``.

Fees set by provincial People's Councils ("HĐND") vary by province and are seeded per province
(R-CAT-02); the ready rules below are the national amounts listed in DOMAIN §14.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "BIRTH_REGISTRATION",
    "CERTIFIED_COPY",
    "CONTRACT_AMENDMENT_CERTIFICATION",
    "JUDICIAL_RECORD",
    "RULES_BY_PROCEDURE",
    "SIGNATURE_CERTIFICATION",
    "TRANSACTION_CERTIFICATION",
    "Exemption",
    "FeeError",
    "FeeInput",
    "FeeKind",
    "FeeLine",
    "FeeQuote",
    "FeeRule",
    "PageTier",
    "compute_fee",
    "format_vnd",
    "guess_rule_from_text",
]


class FeeError(ValueError):
    """A fee rule or fee input is invalid. Message: Vietnamese, then English after ``" / "``."""

    def __init__(self, message_vi: str, message_en: str | None = None) -> None:
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_vi if message_en is None else f"{message_vi} / {message_en}")


class FeeKind(StrEnum):
    """How a fee is computed."""

    FREE = "free"
    FLAT = "flat"
    PER_TRANSACTION = "per_transaction"
    PER_COPY_TIERED_PAGES = "per_copy_tiered_pages"
    PER_PAGE = "per_page"
    PER_ITEM = "per_item"


_PAGE_KINDS = frozenset({FeeKind.PER_PAGE, FeeKind.PER_COPY_TIERED_PAGES})
_DEFAULT_UNIT_VI: dict[FeeKind, str] = {
    FeeKind.PER_TRANSACTION: "hợp đồng, giao dịch",
    FeeKind.PER_ITEM: "trường hợp",
    FeeKind.PER_PAGE: "trang",
}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_amount(value: object, field_vi: str, field_en: str, *, positive: bool = False) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise FeeError(
            f"{field_vi} phải là số nguyên (đồng): {value!r}",
            f"{field_en} must be an integer number of VND: {value!r}",
        )
    if value < 0 or (positive and value == 0):
        bound_vi, bound_en = ("> 0", "> 0") if positive else ("≥ 0", ">= 0")
        raise FeeError(f"{field_vi} phải {bound_vi}: {value}", f"{field_en} must be {bound_en}")


def format_vnd(amount: int) -> str:
    """``2000`` → ``"2.000 đ"`` (Vietnamese thousands separator ``.``; negatives ``"-2.000 đ"``)."""
    if not _is_int(amount):
        raise FeeError(
            f"Số tiền phải là số nguyên (đồng): {amount!r}",
            f"Amount must be an integer number of VND: {amount!r}",
        )
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,} đ".replace(",", ".")


@dataclass(frozen=True)
class PageTier:
    """From page ``from_page`` (1-based) on, each page costs ``amount_per_page`` VND."""

    from_page: int
    amount_per_page: int

    def __post_init__(self) -> None:
        if not _is_int(self.from_page) or self.from_page < 1:
            raise FeeError(
                f"Bậc trang phải bắt đầu từ trang ≥ 1: {self.from_page!r}",
                f"A page tier must start at page >= 1: {self.from_page!r}",
            )
        _check_amount(self.amount_per_page, "Mức thu mỗi trang", "Amount per page")


@dataclass(frozen=True)
class Exemption:
    """A fee exemption or reduction: the applicant pays ``rate`` × the fee.

    ``rate`` 0 = fully exempt, ``Decimal("0.5")`` = half; ``code`` identifies the category in
    :class:`FeeInput` (e.g. ``"hoc_sinh_sinh_vien"``).
    """

    code: str
    label_vi: str
    rate: Decimal

    def __post_init__(self) -> None:
        if not (isinstance(self.code, str) and self.code.strip()):
            raise FeeError(
                "Mã đối tượng miễn, giảm không được để trống",
                "Exemption code must not be empty",
            )
        if not isinstance(self.rate, Decimal) or not self.rate.is_finite():
            raise FeeError(
                f"Tỷ lệ phải nộp phải là số thập phân (Decimal): {self.rate!r}",
                f"Exemption rate must be a Decimal: {self.rate!r}",
            )
        if not Decimal(0) <= self.rate <= Decimal(1):
            raise FeeError(
                f"Tỷ lệ phải nộp phải từ 0 đến 1: {self.rate}",
                f"Exemption rate must be between 0 and 1: {self.rate}",
            )

    @property
    def reduction_label_vi(self) -> str:
        """``"Miễn"`` or ``"Giảm 50%"``."""
        if self.rate == 0:
            return "Miễn"
        pct = (Decimal(1) - self.rate) * 100
        if pct == pct.to_integral_value():
            text = str(int(pct))
        else:
            text = format(pct.normalize(), "f").replace(".", ",")
        return f"Giảm {text}%"


@dataclass(frozen=True)
class FeeInput:
    """What the applicant asks for; ``exemption_code`` picks one of the rule's exemptions."""

    copies: int = 1
    pages: int = 0
    transactions: int = 1
    items: int = 1
    exemption_code: str | None = None
    on_time: bool = True

    def __post_init__(self) -> None:
        for name, minimum in (("copies", 1), ("pages", 0), ("transactions", 1), ("items", 1)):
            value = getattr(self, name)
            if not _is_int(value) or value < minimum:
                raise FeeError(
                    f"Giá trị {name} phải là số nguyên ≥ {minimum}: {value!r}",
                    f"{name} must be an integer >= {minimum}: {value!r}",
                )


@dataclass(frozen=True)
class FeeLine:
    """One line of a quote: a Vietnamese description and a signed amount in VND."""

    description: str
    amount: int


@dataclass(frozen=True)
class FeeQuote:
    """The total (integer VND) and the lines it is the sum of."""

    total: int
    lines: tuple[FeeLine, ...]

    @property
    def total_vi(self) -> str:
        """Total formatted in Vietnamese, e.g. ``"12.000 đ"``."""
        return format_vnd(self.total)


@dataclass(frozen=True)
class FeeRule:
    """A catalogue fee rule (R-CAT-01: rate, per-page/transaction caps, exemptions).

    ``on_time_only`` marks a rule that applies only when the event is registered on time (e.g.
    birth registration is free on time, Civil Status Law Art. 11(1)(b)); a late registration then
    costs ``late_amount``, which the provincial People's Council sets (R-CAT-02) — ``None`` means
    "not seeded yet" and :func:`compute_fee` refuses to guess.
    """

    kind: FeeKind
    amount: int = 0
    tiers: tuple[PageTier, ...] = ()
    cap_per_copy: int | None = None
    label_vi: str = ""
    legal_basis: str = ""
    exemptions: tuple[Exemption, ...] = ()
    unit_vi: str = ""
    on_time_only: bool = False
    late_amount: int | None = None

    def __post_init__(self) -> None:  # noqa: PLR0912 - one check per field
        try:
            object.__setattr__(self, "kind", FeeKind(self.kind))
        except ValueError:
            raise FeeError(
                f"Loại cách tính phí không hợp lệ: {self.kind!r}",
                f"Unknown fee kind: {self.kind!r}",
            ) from None
        _check_amount(self.amount, "Mức thu", "Amount")
        kind = self.kind
        if kind == FeeKind.FREE and self.amount != 0:
            raise FeeError("Quy tắc miễn phí phải có mức thu 0", "A free rule must have amount 0")
        if kind in {FeeKind.FLAT, FeeKind.PER_TRANSACTION, FeeKind.PER_ITEM, FeeKind.PER_PAGE}:
            _check_amount(self.amount, "Mức thu", "Amount", positive=True)
        if not isinstance(self.tiers, tuple) or not all(
            isinstance(t, PageTier) for t in self.tiers
        ):
            raise FeeError("Bậc trang phải là danh sách PageTier", "tiers must be PageTier items")
        if kind == FeeKind.PER_COPY_TIERED_PAGES:
            if not self.tiers:
                raise FeeError(
                    "Cách tính theo bậc trang cần ít nhất một bậc",
                    "A tiered per-page rule needs at least one tier",
                )
            if self.tiers[0].from_page != 1:
                raise FeeError(
                    "Bậc trang đầu tiên phải bắt đầu từ trang 1",
                    "The first page tier must start at page 1",
                )
            starts = [t.from_page for t in self.tiers]
            if any(a >= b for a, b in itertools.pairwise(starts)):
                raise FeeError(
                    "Các bậc trang phải có trang bắt đầu tăng dần",
                    "Page tiers must have strictly increasing start pages",
                )
            if self.amount != 0:
                raise FeeError(
                    "Cách tính theo bậc trang không dùng mức thu chung (amount phải bằng 0)",
                    "A tiered per-page rule takes its amounts from the tiers (amount must be 0)",
                )
        elif self.tiers:
            raise FeeError(
                "Chỉ cách tính theo bậc trang mới có bậc trang",
                "Only per_copy_tiered_pages rules have page tiers",
            )
        if self.cap_per_copy is not None:
            if kind not in _PAGE_KINDS:
                raise FeeError(
                    "Mức tối đa mỗi bản chỉ áp dụng cho cách tính theo trang",
                    "A cap per copy only applies to per-page rules",
                )
            _check_amount(self.cap_per_copy, "Mức tối đa mỗi bản", "Cap per copy", positive=True)
        codes = [e.code for e in self.exemptions]
        if not isinstance(self.exemptions, tuple) or not all(
            isinstance(e, Exemption) for e in self.exemptions
        ):
            raise FeeError(
                "Đối tượng miễn, giảm phải là danh sách Exemption",
                "exemptions must be Exemption items",
            )
        if len(set(codes)) != len(codes):
            raise FeeError(
                "Mã đối tượng miễn, giảm bị trùng", "Duplicate exemption codes in the rule"
            )
        if not isinstance(self.on_time_only, bool):
            raise FeeError("on_time_only phải là true/false", "on_time_only must be a boolean")
        if self.late_amount is not None:
            if not self.on_time_only:
                raise FeeError(
                    "Lệ phí quá hạn chỉ dùng khi quy tắc chỉ áp dụng cho trường hợp đúng hạn",
                    "late_amount requires on_time_only",
                )
            _check_amount(self.late_amount, "Lệ phí quá hạn", "Late amount")
        for name in ("label_vi", "legal_basis", "unit_vi"):
            if not isinstance(getattr(self, name), str):
                raise FeeError(f"{name} phải là chuỗi ký tự", f"{name} must be a string")

    def exemption(self, code: str) -> Exemption:
        """The exemption ``code`` of this rule; :class:`FeeError` if the rule has none such."""
        for exemption in self.exemptions:
            if exemption.code == code:
                return exemption
        raise FeeError(
            f"Quy tắc phí không có đối tượng miễn, giảm {code!r}",
            f"The fee rule has no exemption {code!r}",
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (rates as strings, amounts as integers)."""
        return {
            "kind": self.kind.value,
            "amount": self.amount,
            "tiers": [
                {"from_page": t.from_page, "amount_per_page": t.amount_per_page} for t in self.tiers
            ],
            "cap_per_copy": self.cap_per_copy,
            "label_vi": self.label_vi,
            "legal_basis": self.legal_basis,
            "exemptions": [
                {"code": e.code, "label_vi": e.label_vi, "rate": str(e.rate)}
                for e in self.exemptions
            ],
            "unit_vi": self.unit_vi,
            "on_time_only": self.on_time_only,
            "late_amount": self.late_amount,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> FeeRule:
        """Inverse of :meth:`to_dict`; missing keys take their defaults, unknown keys are
        refused, and every problem raises :class:`FeeError` with a Vietnamese message.
        """
        if not isinstance(data, Mapping):
            raise FeeError("Quy tắc phí phải là một đối tượng JSON", "A fee rule must be an object")
        unknown = sorted(set(data) - _RULE_KEYS)
        if unknown:
            raise FeeError(
                f"Quy tắc phí có trường không xác định: {', '.join(map(str, unknown))}",
                f"Unknown fee rule keys: {', '.join(map(str, unknown))}",
            )
        if "kind" not in data:
            raise FeeError("Quy tắc phí thiếu trường kind", "The fee rule has no 'kind'")
        tiers = tuple(
            PageTier(
                from_page=_int_field(t, "from_page"),
                amount_per_page=_int_field(t, "amount_per_page"),
            )
            for t in _list_of_mappings(data.get("tiers", []), "tiers")
        )
        exemptions = tuple(
            Exemption(
                code=_str_field(e, "code"),
                label_vi=_str_field(e, "label_vi", ""),
                rate=_rate_field(e.get("rate")),
            )
            for e in _list_of_mappings(data.get("exemptions", []), "exemptions")
        )
        return cls(
            kind=_kind_field(data["kind"]),
            amount=_int_field(data, "amount", 0),
            tiers=tiers,
            cap_per_copy=_optional_int_field(data, "cap_per_copy"),
            label_vi=_str_field(data, "label_vi", ""),
            legal_basis=_str_field(data, "legal_basis", ""),
            exemptions=exemptions,
            unit_vi=_str_field(data, "unit_vi", ""),
            on_time_only=_bool_field(data, "on_time_only", default=False),
            late_amount=_optional_int_field(data, "late_amount"),
        )


_RULE_KEYS = frozenset(
    {
        "kind",
        "amount",
        "tiers",
        "cap_per_copy",
        "label_vi",
        "legal_basis",
        "exemptions",
        "unit_vi",
        "on_time_only",
        "late_amount",
    }
)
_MISSING = object()


def _kind_field(value: object) -> FeeKind:
    if isinstance(value, str):
        try:
            return FeeKind(value)
        except ValueError:
            pass
    raise FeeError(f"Loại cách tính phí không hợp lệ: {value!r}", f"Unknown fee kind: {value!r}")


def _int_field(data: Mapping[str, object], key: str, default: object = _MISSING) -> int:
    value = data.get(key, default)
    if value is _MISSING:
        raise FeeError(f"Thiếu trường {key}", f"Missing field {key!r}")
    if not isinstance(value, int) or isinstance(value, bool):
        raise FeeError(
            f"Trường {key} phải là số nguyên (không dùng số thực): {value!r}",
            f"Field {key!r} must be an integer (no floats): {value!r}",
        )
    return value


def _optional_int_field(data: Mapping[str, object], key: str) -> int | None:
    if data.get(key) is None:
        return None
    return _int_field(data, key)


def _str_field(data: Mapping[str, object], key: str, default: object = _MISSING) -> str:
    value = data.get(key, default)
    if value is _MISSING:
        raise FeeError(f"Thiếu trường {key}", f"Missing field {key!r}")
    if not isinstance(value, str):
        raise FeeError(
            f"Trường {key} phải là chuỗi ký tự: {value!r}",
            f"Field {key!r} must be a string: {value!r}",
        )
    return value


def _bool_field(data: Mapping[str, object], key: str, *, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise FeeError(
            f"Trường {key} phải là true/false: {value!r}",
            f"Field {key!r} must be a boolean: {value!r}",
        )
    return value


def _rate_field(value: object) -> Decimal:
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    raise FeeError(
        f'Tỷ lệ phải nộp phải là chuỗi số thập phân (ví dụ "0.5"): {value!r}',
        f'Exemption rate must be a decimal string (e.g. "0.5"): {value!r}',
    )


def _list_of_mappings(value: object, key: str) -> list[Mapping[str, object]]:
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise FeeError(f"Trường {key} phải là một danh sách", f"Field {key!r} must be a list")
    items: list[Mapping[str, object]] = []
    for item in value:
        if not isinstance(item, Mapping):
            raise FeeError(
                f"Mỗi phần tử của {key} phải là một đối tượng",
                f"Each {key!r} item must be an object",
            )
        items.append(item)
    return items


# --------------------------------------------------------------------------- calculator


def _pages_label(first: int, last: int) -> str:
    return f"Trang {first}" if first == last else f"Trang {first}–{last}"


def _times_copies(copies: int) -> str:
    return f" × {copies} bản" if copies > 1 else ""


def _page_lines(rule: FeeRule, inp: FeeInput) -> list[FeeLine]:
    if inp.pages < 1:
        raise FeeError(
            "Cần số trang (≥ 1) để tính phí theo trang",
            "The number of pages (>= 1) is needed for a per-page fee",
        )
    copies = inp.copies
    suffix = _times_copies(copies)
    tiers = rule.tiers or (PageTier(1, rule.amount),)
    lines: list[FeeLine] = []
    per_copy = 0
    for index, tier in enumerate(tiers):
        first = tier.from_page
        if first > inp.pages:
            break
        next_start = tiers[index + 1].from_page if index + 1 < len(tiers) else inp.pages + 1
        last = min(next_start - 1, inp.pages)
        count = last - first + 1
        subtotal = count * tier.amount_per_page
        per_copy += subtotal
        lines.append(
            FeeLine(
                f"{_pages_label(first, last)}: {count} × {format_vnd(tier.amount_per_page)}"
                f"{suffix}",
                subtotal * copies,
            )
        )
    if rule.cap_per_copy is not None and per_copy > rule.cap_per_copy:
        excess = per_copy - rule.cap_per_copy
        lines.append(
            FeeLine(
                f"Mức thu tối đa {format_vnd(rule.cap_per_copy)}/bản: "
                f"-{format_vnd(excess)}{suffix}",
                -excess * copies,
            )
        )
    return lines


def _unit(rule: FeeRule) -> str:
    return rule.unit_vi or _DEFAULT_UNIT_VI.get(rule.kind, "")


def _base_lines(rule: FeeRule, inp: FeeInput) -> list[FeeLine]:
    if rule.on_time_only and not inp.on_time:
        if rule.late_amount is None:
            raise FeeError(
                "Chưa cấu hình lệ phí cho trường hợp quá hạn (do HĐND cấp tỉnh quy định, R-CAT-02)",
                "No late-registration fee configured (set by the provincial People's Council, "
                "R-CAT-02)",
            )
        return [FeeLine(f"Lệ phí (quá hạn): {format_vnd(rule.late_amount)}", rule.late_amount)]
    kind = rule.kind
    if kind == FeeKind.FREE:
        return [FeeLine("Miễn phí", 0)]
    if kind == FeeKind.FLAT:
        return [FeeLine(f"{rule.label_vi or 'Lệ phí'}: {format_vnd(rule.amount)}", rule.amount)]
    if kind in {FeeKind.PER_TRANSACTION, FeeKind.PER_ITEM}:
        count = inp.transactions if kind == FeeKind.PER_TRANSACTION else inp.items
        return [
            FeeLine(
                f"{count} {_unit(rule)} × {format_vnd(rule.amount)}",
                count * rule.amount,
            )
        ]
    return _page_lines(rule, inp)


def compute_fee(rule: FeeRule, inp: FeeInput) -> FeeQuote:
    """Compute the fee of ``inp`` under ``rule``; the lines always add up to the total.

    Example (certified copy, 10 pages, 1 copy): ``Trang 1–2: 2 × 2.000 đ`` (4,000) and
    ``Trang 3–10: 8 × 1.000 đ`` (8,000) → 12,000 VND. An exemption multiplies the subtotal by its
    rate (rounded half-up to the đồng) and appears as a negative line.
    """
    lines = _base_lines(rule, inp)
    if inp.exemption_code is not None:
        exemption = rule.exemption(inp.exemption_code)
        subtotal = sum(line.amount for line in lines)
        payable = int((Decimal(subtotal) * exemption.rate).quantize(Decimal(1), ROUND_HALF_UP))
        reduction = subtotal - payable
        if reduction:
            lines.append(
                FeeLine(
                    f"{exemption.reduction_label_vi} ({exemption.label_vi}): "
                    f"-{format_vnd(reduction)}",
                    -reduction,
                )
            )
    return FeeQuote(total=sum(line.amount for line in lines), lines=tuple(lines))


# --------------------------------------------------------------------------- ready rules

_CIRCULAR_226 = "Thông tư 226/2016/TT-BTC, Điều 4"

CERTIFIED_COPY = FeeRule(
    kind=FeeKind.PER_COPY_TIERED_PAGES,
    tiers=(
        PageTier(from_page=1, amount_per_page=2_000),
        PageTier(from_page=3, amount_per_page=1_000),
    ),
    cap_per_copy=200_000,
    label_vi="Phí chứng thực bản sao từ bản chính (tính theo số trang của bản chính)",
    legal_basis=f"{_CIRCULAR_226}; TTHC 2.000815, 2.000942",
)
"""2.000815 / 2.000942: 2,000 VND/page, from page 3 1,000 VND/page, at most 200,000 VND per copy;
pages counted on the original (DOMAIN §14 rows 11 and 16)."""

SIGNATURE_CERTIFICATION = FeeRule(
    kind=FeeKind.PER_ITEM,
    amount=10_000,
    unit_vi="trường hợp chứng thực chữ ký",
    label_vi="Phí chứng thực chữ ký",
    legal_basis=f"{_CIRCULAR_226}; TTHC 2.000884",
)
"""2.000884: 10,000 VND per certification (DOMAIN §14 row 12)."""

TRANSACTION_CERTIFICATION = FeeRule(
    kind=FeeKind.PER_TRANSACTION,
    amount=50_000,
    label_vi="Phí chứng thực hợp đồng, giao dịch",
    legal_basis=f"{_CIRCULAR_226}; TTHC 2.001035",
)
"""2.001035: 50,000 VND per contract/transaction (DOMAIN §14 row 13)."""

CONTRACT_AMENDMENT_CERTIFICATION = FeeRule(
    kind=FeeKind.PER_TRANSACTION,
    amount=30_000,
    label_vi="Phí chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
    legal_basis=f"{_CIRCULAR_226}; TTHC 2.000913",
)
"""2.000913: 30,000 VND per contract/transaction (DOMAIN §14 row 14)."""

JUDICIAL_RECORD = FeeRule(
    kind=FeeKind.FLAT,
    amount=200_000,
    label_vi="Phí cung cấp thông tin lý lịch tư pháp",
    legal_basis="Thông tư 244/2016/TT-BTC; TTHC 2.000488",
    exemptions=(
        Exemption("hoc_sinh_sinh_vien", "Học sinh, sinh viên", Decimal("0.5")),
        Exemption("nguoi_co_cong", "Người có công với cách mạng", Decimal("0.5")),
        Exemption("than_nhan_liet_si", "Thân nhân liệt sĩ", Decimal("0.5")),
    ),
)
"""2.000488: 200,000 VND; 100,000 VND for students, people with merits and martyrs' relatives
(DOMAIN §14 row 19, [S]). Other exemptions of the fee circular are not in DOMAIN (backlog)."""

BIRTH_REGISTRATION = FeeRule(
    kind=FeeKind.FREE,
    on_time_only=True,
    label_vi="Lệ phí đăng ký khai sinh",
    legal_basis=(
        "Luật Hộ tịch 2014, Điều 11 khoản 1 điểm b (miễn lệ phí khi đăng ký đúng hạn); "
        "đăng ký quá hạn: theo nghị quyết HĐND cấp tỉnh; TTHC 1.001193"
    ),
)
"""1.001193: free when registered on time; the late fee is set per province (R-CAT-02) and must be
seeded as ``late_amount`` before late registrations can be priced."""

RULES_BY_PROCEDURE: Mapping[str, FeeRule] = MappingProxyType(
    {
        "2.000815": CERTIFIED_COPY,
        "2.000942": CERTIFIED_COPY,
        "2.000884": SIGNATURE_CERTIFICATION,
        "2.001035": TRANSACTION_CERTIFICATION,
        "2.000913": CONTRACT_AMENDMENT_CERTIFICATION,
        "2.000488": JUDICIAL_RECORD,
        "1.001193": BIRTH_REGISTRATION,
    }
)
"""Ready national rules keyed by national procedure code (DOMAIN §14)."""


# --------------------------------------------------------------------------- text guessing

_FREE_TEXTS = frozenset(
    {
        "miễn phí",
        "miễn lệ phí",
        "miễn phí, lệ phí",
        "không",
        "không có",
        "không thu",
        "không thu phí",
        "không thu lệ phí",
        "không có phí, lệ phí",
        "không có phí và lệ phí",
        "không mất phí",
        "không phải nộp phí",
        "không phải nộp lệ phí",
        "0 đồng",
    }
)
_AMOUNT_RE = re.compile(
    r"(?<![0-9.,])(?P<number>[0-9]{1,3}(?:[.,][0-9]{3})+|[0-9]+)\s*"
    r"(?:đồng|đ|vnđ|vnd)(?![a-zà-ỹđ])",
)
_FLAT_FILLER_WORDS = frozenset({"lệ", "phí", "mức", "thu", "là", "nộp", "hồ", "sơ", "mỗi", "một"})


def guess_rule_from_text(fee_text: str) -> FeeRule | None:  # noqa: PLR0911
    """Best-effort reading of a published fee wording; ``None`` when unsure.

    Recognizes only the simplest forms: "Miễn phí" / "Không" (and close variants) → ``free``;
    a single "N đồng" amount with nothing but filler words around it ("Lệ phí: 200.000 đồng",
    "100.000 đồng/hồ sơ") → ``flat``. Anything per page, per transaction, tiered, capped, with
    exemptions or set by the People's Council needs a human (R-CAT-02).
    """
    if not isinstance(fee_text, str):
        return None
    text = " ".join(unicodedata.normalize("NFC", fee_text).lower().split())
    bare = text.strip(" .;:-")
    if bare in _FREE_TEXTS:
        return FeeRule(kind=FeeKind.FREE)
    matches = list(_AMOUNT_RE.finditer(text))
    if len(matches) != 1:
        return None
    match = matches[0]
    rest = text[: match.start()] + " " + text[match.end() :]
    if re.search(r"[0-9%]", rest):
        return None
    words = re.sub(r"[.,:;()/\-]", " ", rest).split()
    if not set(words) <= _FLAT_FILLER_WORDS:
        return None
    amount = int(re.sub(r"[.,]", "", match["number"]))
    if amount == 0:
        return FeeRule(kind=FeeKind.FREE)
    return FeeRule(kind=FeeKind.FLAT, amount=amount)
