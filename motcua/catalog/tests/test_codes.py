"""Procedure codes (mã TTHC) — DOMAIN §3.2, R-ID-06..08."""

from __future__ import annotations

import pytest

from motcua.agencies.codes import CodeError, Qcvn102Code, Qd20Code
from motcua.catalog.codes import ParsedProcedureCode, ProcedureCode, parse_procedure_code

NATIONAL_VALID = [
    pytest.param("1.001193", id="birth-registration"),
    pytest.param("2.000815", id="certified-copy"),
    pytest.param("3.000123", id="leading-3"),
    pytest.param("6.006594", id="leading-6-published-on-the-portal"),
    pytest.param("5.003806", id="leading-5-published-on-the-portal"),
]


@pytest.mark.parametrize("text", NATIONAL_VALID)
def test_a_national_procedure_code_is_accepted(text: str) -> None:
    """GIVEN a national code ``d.nnnnnn`` with leading digit 1-9 WHEN it is parsed THEN it has
    no localizing agency (R-ID-06)."""
    parsed = ProcedureCode.parse(text)
    assert parsed == ParsedProcedureCode(national=ProcedureCode(text), agency=None)
    assert not parsed.is_localized
    assert str(parsed) == text


NATIONAL_INVALID = [
    pytest.param("", id="empty"),
    pytest.param("0.001193", id="leading-0"),
    pytest.param("1.00119", id="five-digits"),
    pytest.param("1.0011930", id="seven-digits"),
    pytest.param("1001193", id="no-dot"),
    pytest.param("1,001193", id="comma"),
    pytest.param("1.00A193", id="letter"),
    pytest.param("11.001193", id="two-leading-digits"),
    pytest.param("1.001193.", id="trailing-dot"),
    pytest.param("1.00119٣", id="arabic-indic-digit"),
]


@pytest.mark.parametrize("text", NATIONAL_INVALID)
def test_an_invalid_national_code_is_refused(text: str) -> None:
    """GIVEN a string not matching ``^[1-9]\\.\\d{6}$`` WHEN it is used as a national code THEN
    CodeError is raised (R-ID-06)."""
    with pytest.raises(CodeError):
        ProcedureCode.parse(text)
    with pytest.raises(CodeError):
        ProcedureCode(text)


LOCALIZED = [
    pytest.param(
        "1.001193.000.00.00.H56",
        "1.001193",
        Qcvn102Code.parse("000.00.00.H56"),
        id="long-thanh-hoa",
    ),
    pytest.param(
        "1.001122.000.00.00.H48",
        "1.001122",
        Qcvn102Code.parse("000.00.00.H48"),
        id="long-quang-ngai",
    ),
    pytest.param("2.002621.H56", "2.002621", Qd20Code.parse("H56"), id="short-h56"),
    pytest.param(" 1.000948.h38 ", "1.000948", Qd20Code.parse("H38"), id="short-lowercase"),
]


@pytest.mark.parametrize(("text", "national", "agency"), LOCALIZED)
def test_a_localized_procedure_code_splits_into_national_code_and_agency(
    text: str, national: str, agency: Qcvn102Code | Qd20Code
) -> None:
    """GIVEN a long or short localized code WHEN it is parsed THEN the national code and the
    agency part are separated, each in its own format (R-ID-06, R-ID-05)."""
    parsed = parse_procedure_code(text)
    assert parsed.national == ProcedureCode(national)
    assert parsed.agency == agency
    assert parsed.is_localized
    assert ProcedureCode.parse(str(parsed)) == parsed
    assert parsed.agency is not None
    assert parsed.agency.level1 == agency.level1


LOCALIZED_INVALID = [
    pytest.param("1.001193.000.00.00", id="truncated-agency"),
    pytest.param("1.001193.00.00.00.H56", id="short-level4"),
    pytest.param("1.001193.H5", id="short-level1"),
    pytest.param("1.001193.H56.14", id="short-with-child-group"),
    pytest.param("1.001193.Z56", id="short-z-letter"),
    pytest.param("0.001193.H56", id="bad-national-part"),
    pytest.param("1.001193-H56", id="hyphen"),
    pytest.param("1.001193..H56", id="double-dot"),
]


@pytest.mark.parametrize("text", LOCALIZED_INVALID)
def test_an_invalid_localized_code_is_refused(text: str) -> None:
    with pytest.raises(CodeError):
        ProcedureCode.parse(text)


def test_the_long_localized_form_appends_the_provincial_committee_code() -> None:
    """GIVEN national code 1.001193 and Thanh Hóa's committee ``000.00.00.H56`` WHEN the long
    form is built THEN it is ``1.001193.000.00.00.H56`` (R-ID-06)."""
    code = ProcedureCode("1.001193")
    assert code.localized_long(Qcvn102Code.parse("000.00.00.H56")) == "1.001193.000.00.00.H56"


def test_the_long_localized_form_needs_a_level1_body_code() -> None:
    with pytest.raises(CodeError):
        ProcedureCode("1.001193").localized_long(Qcvn102Code.parse("000.00.31.H56"))


@pytest.mark.parametrize(
    ("level1", "expected"),
    [
        pytest.param("H56", "2.002621.H56", id="upper"),
        pytest.param(" h56 ", "2.002621.H56", id="normalized"),
    ],
)
def test_the_short_localized_form_appends_the_level1_code(level1: str, expected: str) -> None:
    """GIVEN a national code WHEN the short form is built THEN the level-1 code is appended
    (R-ID-06)."""
    assert ProcedureCode("2.002621").localized_short(level1) == expected


@pytest.mark.parametrize(
    "level1",
    [
        pytest.param("H5", id="one-digit"),
        pytest.param("000.00.00.H56", id="full-qcvn102"),
        pytest.param("56H", id="digits-first"),
        pytest.param("", id="empty"),
    ],
)
def test_a_bad_level1_code_is_refused_for_the_short_form(level1: str) -> None:
    with pytest.raises(CodeError):
        ProcedureCode("2.002621").localized_short(level1)


@pytest.mark.parametrize(
    ("national", "expected"),
    [
        pytest.param("1.001193", "1.001193.01", id="birth-registration"),
        pytest.param("2.000815", "2.000815.01", id="certified-copy"),
    ],
)
def test_the_payment_service_code_is_the_national_code_plus_01(
    national: str, expected: str
) -> None:
    """GIVEN a national procedure code WHEN the payment platform's MaDVC is needed THEN it is
    the national code followed by ``.01`` (R-ID-08)."""
    assert ProcedureCode(national).payment_service_code() == expected


def test_procedure_codes_are_hashable_value_objects() -> None:
    assert {ProcedureCode("1.001193"), ProcedureCode("1.001193")} == {ProcedureCode("1.001193")}
    assert str(ProcedureCode("1.001193")) == "1.001193"
