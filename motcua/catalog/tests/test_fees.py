"""Fee rules and calculator — DOMAIN §14 rows 11-16 and 19, §4.6, §7.5 (R-CAT-01/02, R-PAY-03)."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal

import pytest

from motcua.catalog.fees import (
    BIRTH_REGISTRATION,
    CERTIFIED_COPY,
    CONTRACT_AMENDMENT_CERTIFICATION,
    JUDICIAL_RECORD,
    RULES_BY_PROCEDURE,
    SIGNATURE_CERTIFICATION,
    TRANSACTION_CERTIFICATION,
    Exemption,
    FeeError,
    FeeInput,
    FeeKind,
    FeeLine,
    FeeRule,
    PageTier,
    compute_fee,
    format_vnd,
    guess_rule_from_text,
)

# --------------------------------------------------------------------------- certified copies

CERTIFIED_COPY_TABLE = [
    pytest.param(1, 1, 2_000, id="1-page"),
    pytest.param(2, 1, 4_000, id="2-pages"),
    pytest.param(3, 1, 5_000, id="3-pages-third-at-1000"),
    pytest.param(10, 1, 12_000, id="10-pages"),
    pytest.param(197, 1, 199_000, id="197-pages-under-cap"),
    pytest.param(198, 1, 200_000, id="198-pages-exactly-cap"),
    pytest.param(199, 1, 200_000, id="199-pages-capped-from-201000"),
    pytest.param(1_000, 1, 200_000, id="1000-pages-capped"),
    pytest.param(1, 3, 6_000, id="3-copies-of-1-page"),
    pytest.param(10, 3, 36_000, id="3-copies-of-10-pages"),
    pytest.param(199, 2, 400_000, id="cap-applies-per-copy"),
]


@pytest.mark.parametrize(("pages", "copies", "total"), CERTIFIED_COPY_TABLE)
def test_the_certified_copy_fee_follows_the_page_tiers_and_the_cap_per_copy(
    pages: int, copies: int, total: int
) -> None:
    """GIVEN a certified copy of an original of N pages WHEN the fee is computed THEN pages 1-2
    cost 2,000 VND, each further page 1,000 VND, at most 200,000 VND per copy, times the number
    of copies (DOMAIN §14 rows 11 and 16: 2.000815, 2.000942; R-CAT-01)."""
    quote = compute_fee(CERTIFIED_COPY, FeeInput(pages=pages, copies=copies))
    assert quote.total == total
    assert sum(line.amount for line in quote.lines) == quote.total


def test_the_certified_copy_quote_explains_each_tier_in_vietnamese() -> None:
    """GIVEN 10 pages, 1 copy WHEN the fee is computed THEN the lines name the page ranges."""
    quote = compute_fee(CERTIFIED_COPY, FeeInput(pages=10))
    assert quote.lines == (
        FeeLine("Trang 1–2: 2 × 2.000 đ", 4_000),
        FeeLine("Trang 3–10: 8 × 1.000 đ", 8_000),
    )
    assert quote.total_vi == "12.000 đ"


def test_a_single_page_in_a_tier_is_named_alone() -> None:
    quote = compute_fee(CERTIFIED_COPY, FeeInput(pages=3))
    assert [line.description for line in quote.lines] == [
        "Trang 1–2: 2 × 2.000 đ",
        "Trang 3: 1 × 1.000 đ",
    ]


def test_the_cap_appears_as_a_negative_line_multiplied_by_the_copies() -> None:
    """GIVEN 2 copies of 199 pages WHEN the fee is computed THEN the 1,000 VND above the cap is
    removed per copy (DOMAIN §14 row 11)."""
    quote = compute_fee(CERTIFIED_COPY, FeeInput(pages=199, copies=2))
    assert quote.lines == (
        FeeLine("Trang 1–2: 2 × 2.000 đ × 2 bản", 8_000),
        FeeLine("Trang 3–199: 197 × 1.000 đ × 2 bản", 394_000),
        FeeLine("Mức thu tối đa 200.000 đ/bản: -1.000 đ × 2 bản", -2_000),
    )
    assert quote.total == 400_000


def test_a_page_rule_needs_at_least_one_page() -> None:
    with pytest.raises(FeeError, match="số trang"):
        compute_fee(CERTIFIED_COPY, FeeInput(pages=0))


# --------------------------------------------------------------------------- other certifications

SIMPLE_TABLE = [
    pytest.param(SIGNATURE_CERTIFICATION, FeeInput(), 10_000, id="signature-1"),
    pytest.param(SIGNATURE_CERTIFICATION, FeeInput(items=3), 30_000, id="signature-3"),
    pytest.param(TRANSACTION_CERTIFICATION, FeeInput(), 50_000, id="transaction-1"),
    pytest.param(TRANSACTION_CERTIFICATION, FeeInput(transactions=2), 100_000, id="transaction-2"),
    pytest.param(CONTRACT_AMENDMENT_CERTIFICATION, FeeInput(), 30_000, id="amendment-1"),
    pytest.param(
        CONTRACT_AMENDMENT_CERTIFICATION, FeeInput(transactions=4), 120_000, id="amendment-4"
    ),
    pytest.param(JUDICIAL_RECORD, FeeInput(), 200_000, id="judicial-record"),
    pytest.param(BIRTH_REGISTRATION, FeeInput(on_time=True), 0, id="birth-on-time-free"),
]


@pytest.mark.parametrize(("rule", "inp", "total"), SIMPLE_TABLE)
def test_the_national_certification_fees_match_the_catalogue(
    rule: FeeRule, inp: FeeInput, total: int
) -> None:
    """GIVEN a ready rule WHEN the fee is computed THEN it matches DOMAIN §14: 10,000 VND per
    signature certification (2.000884), 50,000 per transaction (2.001035), 30,000 per amendment
    (2.000913), 200,000 per judicial record (2.000488), birth registration free on time
    (1.001193) (R-CAT-01)."""
    quote = compute_fee(rule, inp)
    assert quote.total == total
    assert sum(line.amount for line in quote.lines) == total


def test_a_transaction_line_names_the_count_and_unit_amount() -> None:
    quote = compute_fee(TRANSACTION_CERTIFICATION, FeeInput(transactions=2))
    assert quote.lines == (FeeLine("2 hợp đồng, giao dịch × 50.000 đ", 100_000),)


EXEMPTION_TABLE = [
    pytest.param("hoc_sinh_sinh_vien", 100_000, id="student"),
    pytest.param("nguoi_co_cong", 100_000, id="person-with-merits"),
    pytest.param("than_nhan_liet_si", 100_000, id="martyrs-relative"),
]


@pytest.mark.parametrize(("code", "total"), EXEMPTION_TABLE)
def test_judicial_record_reductions_halve_the_fee(code: str, total: int) -> None:
    """GIVEN a judicial record requested by a student, a person with merits or a martyr's
    relative WHEN the fee is computed THEN 100,000 VND instead of 200,000 (DOMAIN §14 row 19)."""
    quote = compute_fee(JUDICIAL_RECORD, FeeInput(exemption_code=code))
    assert quote.total == total
    assert quote.lines[-1].amount == -100_000
    assert quote.lines[-1].description.startswith("Giảm 50% (")


def test_an_unknown_exemption_code_is_refused() -> None:
    with pytest.raises(FeeError, match="không có đối tượng miễn, giảm"):
        compute_fee(JUDICIAL_RECORD, FeeInput(exemption_code="khong_ton_tai"))


def test_a_full_exemption_brings_the_fee_to_zero() -> None:
    rule = FeeRule(
        kind=FeeKind.FLAT,
        amount=200_000,
        exemptions=(Exemption("ho_ngheo", "Người thuộc hộ nghèo", Decimal(0)),),
    )
    quote = compute_fee(rule, FeeInput(exemption_code="ho_ngheo"))
    assert quote.total == 0
    assert quote.lines[-1] == FeeLine("Miễn (Người thuộc hộ nghèo): -200.000 đ", -200_000)


def test_a_fractional_reduction_rounds_half_up_to_the_dong() -> None:
    rule = FeeRule(
        kind=FeeKind.FLAT,
        amount=1_001,
        exemptions=(Exemption("x", "Đối tượng X", Decimal("0.5")),),
    )
    quote = compute_fee(rule, FeeInput(exemption_code="x"))
    assert quote.total == 501
    assert isinstance(quote.total, int)


def test_a_late_birth_registration_needs_the_provincial_fee() -> None:
    """GIVEN a late birth registration WHEN no provincial late fee is seeded THEN FeeError: the
    amount is set by the People's Council and must not be guessed (R-CAT-02)."""
    with pytest.raises(FeeError, match="HĐND"):
        compute_fee(BIRTH_REGISTRATION, FeeInput(on_time=False))


def test_a_seeded_late_fee_is_charged_when_not_on_time() -> None:
    """GIVEN a province that seeded 8,000 VND for late birth registration WHEN registration is
    late THEN 8,000 VND, and still free on time (R-CAT-02)."""
    rule = FeeRule(kind=FeeKind.FREE, on_time_only=True, late_amount=8_000)
    assert compute_fee(rule, FeeInput(on_time=False)).total == 8_000
    assert compute_fee(rule, FeeInput(on_time=True)).total == 0


def test_the_ready_rules_are_indexed_by_national_procedure_code() -> None:
    assert RULES_BY_PROCEDURE["2.000815"] is CERTIFIED_COPY
    assert RULES_BY_PROCEDURE["2.000942"] is CERTIFIED_COPY
    for code, rule in RULES_BY_PROCEDURE.items():
        assert code in rule.legal_basis
        assert unicodedata.is_normalized("NFC", rule.legal_basis + rule.label_vi)


# --------------------------------------------------------------------------- format_vnd


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        pytest.param(0, "0 đ", id="zero"),
        pytest.param(500, "500 đ", id="hundreds"),
        pytest.param(2_000, "2.000 đ", id="thousands"),
        pytest.param(200_000, "200.000 đ", id="cap"),
        pytest.param(1_234_567, "1.234.567 đ", id="millions"),
        pytest.param(-1_000, "-1.000 đ", id="negative"),
    ],
)
def test_amounts_are_formatted_with_the_vietnamese_thousands_separator(
    amount: int, text: str
) -> None:
    assert format_vnd(amount) == text


def test_format_vnd_refuses_floats() -> None:
    with pytest.raises(FeeError):
        format_vnd(2000.0)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- JSON storage

READY_RULES = [
    pytest.param(CERTIFIED_COPY, id="certified-copy"),
    pytest.param(SIGNATURE_CERTIFICATION, id="signature"),
    pytest.param(TRANSACTION_CERTIFICATION, id="transaction"),
    pytest.param(CONTRACT_AMENDMENT_CERTIFICATION, id="amendment"),
    pytest.param(JUDICIAL_RECORD, id="judicial-record"),
    pytest.param(BIRTH_REGISTRATION, id="birth-registration"),
]


@pytest.mark.parametrize("rule", READY_RULES)
def test_a_rule_survives_a_json_round_trip(rule: FeeRule) -> None:
    """GIVEN a ready rule WHEN stored as JSON in the catalogue and read back THEN it is equal
    (R-CAT-01)."""
    stored = json.dumps(rule.to_dict(), ensure_ascii=False)
    assert FeeRule.from_dict(json.loads(stored)) == rule


def test_rates_are_stored_as_decimal_strings() -> None:
    data = JUDICIAL_RECORD.to_dict()
    exemptions = data["exemptions"]
    assert isinstance(exemptions, list)
    assert exemptions[0]["rate"] == "0.5"


def test_missing_optional_keys_take_their_defaults() -> None:
    rule = FeeRule.from_dict({"kind": "flat", "amount": 15_000})
    assert rule == FeeRule(kind=FeeKind.FLAT, amount=15_000)


FROM_DICT_INVALID = [
    pytest.param({}, "kind", id="missing-kind"),
    pytest.param({"kind": "weekly"}, "Loại cách tính phí", id="unknown-kind"),
    pytest.param({"kind": "flat", "amount": 2000.0}, "số nguyên", id="float-amount"),
    pytest.param({"kind": "flat", "amount": "2000"}, "số nguyên", id="string-amount"),
    pytest.param({"kind": "flat", "amount": True}, "số nguyên", id="bool-amount"),
    pytest.param({"kind": "flat", "amount": -1}, "Mức thu", id="negative-amount"),
    pytest.param({"kind": "flat"}, "Mức thu", id="flat-without-amount"),
    pytest.param({"kind": "free", "amount": 1_000}, "miễn phí", id="free-with-amount"),
    pytest.param({"kind": "flat", "amount": 1, "colour": "red"}, "không xác định", id="unknown"),
    pytest.param({"kind": "per_copy_tiered_pages"}, "ít nhất một bậc", id="no-tiers"),
    pytest.param(
        {"kind": "per_copy_tiered_pages", "tiers": [{"from_page": 2, "amount_per_page": 1}]},
        "trang 1",
        id="first-tier-not-page-1",
    ),
    pytest.param(
        {
            "kind": "per_copy_tiered_pages",
            "tiers": [
                {"from_page": 1, "amount_per_page": 2},
                {"from_page": 1, "amount_per_page": 1},
            ],
        },
        "tăng dần",
        id="tiers-not-increasing",
    ),
    pytest.param(
        {"kind": "per_copy_tiered_pages", "tiers": {"from_page": 1}},
        "danh sách",
        id="tiers-not-a-list",
    ),
    pytest.param(
        {"kind": "flat", "amount": 1, "tiers": [{"from_page": 1, "amount_per_page": 1}]},
        "bậc trang",
        id="tiers-on-flat",
    ),
    pytest.param(
        {"kind": "flat", "amount": 1, "cap_per_copy": 10}, "tối đa", id="cap-on-flat-rule"
    ),
    pytest.param(
        {"kind": "flat", "amount": 1, "exemptions": [{"code": "x", "rate": 0.5}]},
        "Tỷ lệ",
        id="float-rate",
    ),
    pytest.param(
        {"kind": "flat", "amount": 1, "exemptions": [{"code": "x", "rate": "1.5"}]},
        "từ 0 đến 1",
        id="rate-above-1",
    ),
    pytest.param(
        {"kind": "flat", "amount": 1, "exemptions": [{"code": "x", "rate": "abc"}]},
        "Tỷ lệ",
        id="rate-not-a-number",
    ),
    pytest.param(
        {
            "kind": "flat",
            "amount": 1,
            "exemptions": [{"code": "x", "rate": "0"}, {"code": "x", "rate": "0.5"}],
        },
        "trùng",
        id="duplicate-exemption",
    ),
    pytest.param({"kind": "flat", "amount": 1, "late_amount": 5}, "quá hạn", id="late-not-ontime"),
    pytest.param({"kind": "free", "on_time_only": "yes"}, "true/false", id="bool-as-string"),
]


@pytest.mark.parametrize(("data", "message"), FROM_DICT_INVALID)
def test_an_invalid_stored_rule_is_refused_in_vietnamese(
    data: dict[str, object], message: str
) -> None:
    """GIVEN an invalid JSON rule WHEN it is loaded THEN FeeError with a Vietnamese message first
    (R-CAT-01)."""
    with pytest.raises(FeeError, match=message) as excinfo:
        FeeRule.from_dict(data)
    assert " / " in str(excinfo.value)
    assert unicodedata.is_normalized("NFC", str(excinfo.value))


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"copies": 0}, id="zero-copies"),
        pytest.param({"pages": -1}, id="negative-pages"),
        pytest.param({"transactions": 0}, id="zero-transactions"),
        pytest.param({"items": 0}, id="zero-items"),
        pytest.param({"pages": 2.0}, id="float-pages"),
    ],
)
def test_an_invalid_fee_input_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(FeeError):
        FeeInput(**kwargs)  # type: ignore[arg-type]


def test_a_page_tier_must_start_at_page_1_or_later() -> None:
    with pytest.raises(FeeError):
        PageTier(from_page=0, amount_per_page=1_000)


# --------------------------------------------------------------------------- guessing from text

GUESSES = [
    pytest.param("Miễn phí", FeeRule(kind=FeeKind.FREE), id="mien-phi"),
    pytest.param("Không", FeeRule(kind=FeeKind.FREE), id="khong"),
    pytest.param("  KHÔNG THU PHÍ. ", FeeRule(kind=FeeKind.FREE), id="khong-thu-phi-upper"),
    pytest.param("Miễn lệ phí", FeeRule(kind=FeeKind.FREE), id="mien-le-phi"),
    pytest.param("0 đồng", FeeRule(kind=FeeKind.FREE), id="zero-dong"),
    pytest.param(
        "Lệ phí: 200.000 đồng", FeeRule(kind=FeeKind.FLAT, amount=200_000), id="le-phi-dots"
    ),
    pytest.param("50,000 đồng", FeeRule(kind=FeeKind.FLAT, amount=50_000), id="comma-separator"),
    pytest.param("100000đ", FeeRule(kind=FeeKind.FLAT, amount=100_000), id="no-separator"),
    pytest.param(
        "Mức thu: 1.000.000 VNĐ", FeeRule(kind=FeeKind.FLAT, amount=1_000_000), id="vnd-million"
    ),
    pytest.param(
        "100.000 đồng/hồ sơ", FeeRule(kind=FeeKind.FLAT, amount=100_000), id="per-dossier"
    ),
    pytest.param(
        unicodedata.normalize("NFD", "Miễn phí"), FeeRule(kind=FeeKind.FREE), id="nfd-input"
    ),
]


@pytest.mark.parametrize(("text", "rule"), GUESSES)
def test_the_simplest_published_wordings_are_recognized(text: str, rule: FeeRule) -> None:
    """GIVEN a published fee wording that is plainly free or a single amount WHEN it is read
    THEN the matching free/flat rule is proposed (R-CAT-02 seeding aid)."""
    assert guess_rule_from_text(text) == rule


UNSURE = [
    pytest.param(
        "2.000 đồng/trang; từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa 200.000 đồng/bản",
        id="certified-copy-wording",
    ),
    pytest.param("50.000 đồng/hợp đồng, giao dịch", id="per-transaction"),
    pytest.param("10.000 đồng/trường hợp", id="per-case"),
    pytest.param("Theo Nghị quyết của HĐND tỉnh", id="hdnd"),
    pytest.param(
        "Miễn lệ phí đối với trường hợp đăng ký đúng hạn; quá hạn: 8.000 đồng", id="conditional"
    ),
    pytest.param("200.000 đồng; học sinh, sinh viên: 100.000 đồng", id="two-amounts"),
    pytest.param("Giảm 50% lệ phí: 100.000 đồng", id="percentage"),
    pytest.param("1,5 triệu đồng", id="millions-in-words"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", UNSURE)
def test_an_unclear_wording_is_left_to_a_human(text: str) -> None:
    """GIVEN a tiered, per-unit, conditional or People's Council wording WHEN it is read THEN no
    rule is guessed (R-CAT-02)."""
    assert guess_rule_from_text(text) is None
