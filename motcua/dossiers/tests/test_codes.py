"""Dossier codes (mã số hồ sơ) — DOMAIN §3.3, R-ID-09..13."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.agencies.codes import CodeError, Qcvn102Code, Qd20Code
from motcua.dossiers.codes import DossierCode, format_centralized_code, format_unit_code

UNIT_CODES = [
    pytest.param("000.00.31.H13", date(2025, 7, 4), 1, "000.00.31.H13-250704-0001", id="first"),
    pytest.param("000.00.31.H13", date(2025, 7, 4), 42, "000.00.31.H13-250704-0042", id="padded"),
    pytest.param(
        "000.00.31.H13", date(2025, 12, 31), 9999, "000.00.31.H13-251231-9999", id="max-4-digits"
    ),
    pytest.param(
        "000.00.31.H13", date(2025, 12, 31), 10000, "000.00.31.H13-251231-10000", id="grows-to-5"
    ),
    pytest.param("H56.14", date(2026, 2, 1), 7, "H56.14-260201-0007", id="qd20-agency"),
    pytest.param("h56.14", date(2026, 2, 1), 7, "H56.14-260201-0007", id="agency-normalized"),
    pytest.param("000.00.00.H49", date(2000, 1, 1), 1, "000.00.00.H49-000101-0001", id="y2000"),
]


@pytest.mark.parametrize(("eid", "received_on", "seq", "expected"), UNIT_CODES)
def test_the_unit_dossier_code_is_agency_date_and_sequence(
    eid: str, received_on: date, seq: int, expected: str
) -> None:
    """GIVEN an agency e-ID, a receipt date and a daily sequence WHEN the dossier code is
    generated THEN it is ``{eid}-{YYMMDD}-{seq}`` with at least 4 digits that grows beyond 9999
    (R-ID-09, R-ID-11, R-ID-12)."""
    code = format_unit_code(eid, received_on, seq)
    assert code == expected
    parsed = DossierCode.parse(code)
    assert parsed == DossierCode(agency=eid, received_on=received_on, seq=seq, aa=None)
    assert str(parsed) == code
    assert not parsed.is_centralized


CENTRALIZED_CODES = [
    pytest.param("H56.14", date(2026, 1, 25), "01", 1, "H56.14-260125-010001", id="first-day"),
    pytest.param(
        "000.00.31.H13", date(2026, 3, 2), "99", 12345, "000.00.31.H13-260302-9912345", id="long"
    ),
]


@pytest.mark.parametrize(("eid", "received_on", "aa", "seq", "expected"), CENTRALIZED_CODES)
def test_the_centralized_dossier_code_inserts_aa_before_the_sequence(
    eid: str, received_on: date, aa: str, seq: int, expected: str
) -> None:
    """GIVEN a centralized-service procedure received from 25/1/2026 WHEN the code is generated
    THEN it is ``{eid}-{YYMMDD}-{AA}{seq}`` (R-ID-10)."""
    code = format_centralized_code(eid, received_on, aa, seq)
    assert code == expected
    parsed = DossierCode.parse(code, centralized=True)
    assert parsed == DossierCode(agency=eid, received_on=received_on, seq=seq, aa=aa)
    assert str(parsed) == code
    assert parsed.is_centralized


def test_the_centralized_format_is_refused_before_25_january_2026() -> None:
    """GIVEN a receipt date of 24/1/2026 WHEN a centralized code is generated THEN CodeError:
    Circular 03/2025 Art. 13(3) applies from 25/1/2026 (R-ID-10)."""
    with pytest.raises(CodeError, match="25/01/2026"):
        format_centralized_code("H56.14", date(2026, 1, 24), "01", 1)
    with pytest.raises(CodeError):
        DossierCode.parse("H56.14-260124-010001", centralized=True)


FORMAT_INVALID = [
    pytest.param("000.00.31.H13", date(2025, 7, 4), 0, id="seq-zero"),
    pytest.param("000.00.31.H13", date(2025, 7, 4), -1, id="seq-negative"),
    pytest.param("000.00.31.H13", date(2025, 7, 4), True, id="seq-bool"),
    pytest.param("000.00.31", date(2025, 7, 4), 1, id="bad-agency"),
    pytest.param("H56-14", date(2025, 7, 4), 1, id="agency-with-hyphen"),
    pytest.param("", date(2025, 7, 4), 1, id="empty-agency"),
    pytest.param("000.00.31.H13", date(1999, 12, 31), 1, id="year-before-2000"),
    pytest.param("000.00.31.H13", date(2100, 1, 1), 1, id="year-after-2099"),
    pytest.param("000.00.31.H13", datetime(2025, 7, 4, 20, tzinfo=UTC), 1, id="datetime-not-date"),
]


@pytest.mark.parametrize(("eid", "received_on", "seq"), FORMAT_INVALID)
def test_an_invalid_unit_code_request_is_refused(eid: str, received_on: date, seq: int) -> None:
    """GIVEN a bad agency, date or sequence WHEN a dossier code is generated THEN CodeError; a
    datetime is refused so that a UTC date cannot replace the local receipt date (R-ID-11)."""
    with pytest.raises(CodeError):
        format_unit_code(eid, received_on, seq)


@pytest.mark.parametrize(
    "aa",
    [
        pytest.param("1", id="one-digit"),
        pytest.param("001", id="three-digits"),
        pytest.param("A1", id="letter"),
        pytest.param("", id="empty"),
    ],
)
def test_aa_must_be_exactly_two_digits(aa: str) -> None:
    """GIVEN an AA part that is not 2 digits WHEN a centralized code is generated THEN CodeError
    (R-ID-10)."""
    with pytest.raises(CodeError):
        format_centralized_code("H56.14", date(2026, 2, 1), aa, 1)


PARSE_INVALID = [
    pytest.param("000.00.31.H13-250704", id="missing-sequence"),
    pytest.param("000.00.31.H13250704-0001", id="missing-hyphen"),
    pytest.param("000.00.31.H13-260230-0001", id="30-february"),
    pytest.param("000.00.31.H13-251301-0001", id="month-13"),
    pytest.param("000.00.31.H13-250700-0001", id="day-00"),
    pytest.param("000.00.31.H13-25074-0001", id="five-digit-date"),
    pytest.param("000.00.31.H13-2507A4-0001", id="letter-in-date"),
    pytest.param("000.00.31.H13-250704-001", id="three-digit-sequence"),
    pytest.param("000.00.31.H13-250704-0000", id="sequence-zero"),
    pytest.param("000.00.31.H13-250704-00001", id="superfluous-leading-zero"),
    pytest.param("000.00.31.H13-250704-00A1", id="letter-in-sequence"),
    pytest.param("000.00.31-250704-0001", id="bad-qcvn102-agency"),
    pytest.param("Z56.14-250704-0001", id="z-level1-agency"),
    pytest.param("-250704-0001", id="empty-agency"),
    pytest.param("X-000.00.31.H13-250704-0001", id="extra-hyphenated-prefix"),
]


@pytest.mark.parametrize("text", PARSE_INVALID)
def test_an_invalid_dossier_code_is_refused(text: str) -> None:
    """GIVEN a malformed dossier code WHEN it is parsed THEN CodeError (R-ID-09)."""
    with pytest.raises(CodeError):
        DossierCode.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("H56.14-260201-0001", id="no-aa"),
        pytest.param("H56.14-260201-01001", id="three-digit-sequence"),
        pytest.param("H56.14-260201-0A0001", id="letter-in-aa"),
        pytest.param("H56.14-260201-0100001", id="superfluous-leading-zero"),
    ],
)
def test_an_invalid_centralized_dossier_code_is_refused(text: str) -> None:
    """GIVEN a malformed ``AAXXXX`` tail WHEN parsed as centralized THEN CodeError (R-ID-10)."""
    with pytest.raises(CodeError):
        DossierCode.parse(text, centralized=True)


def test_the_same_tail_reads_differently_with_the_centralized_flag() -> None:
    """GIVEN ``…-260201-110001`` WHEN parsed with and without the flag THEN it is AA=11, seq 1
    or the 6-digit sequence 110001 — the format must be known from the procedure (R-ID-10)."""
    text = "H56.14-260201-110001"
    assert DossierCode.parse(text, centralized=True).seq == 1
    assert DossierCode.parse(text, centralized=True).aa == "11"
    assert DossierCode.parse(text).seq == 110001
    assert DossierCode.parse(text).aa is None


def test_the_leap_day_is_a_valid_receipt_date() -> None:
    code = DossierCode.parse("000.00.31.H13-280229-0001")
    assert code.received_on == date(2028, 2, 29)


def test_lowercase_input_is_normalized() -> None:
    code = DossierCode.parse(" h56.14-260201-0007 ")
    assert str(code) == "H56.14-260201-0007"


@pytest.mark.parametrize(
    ("text", "agency_type"),
    [
        pytest.param("000.00.31.H13-250704-0001", Qcvn102Code, id="qcvn102"),
        pytest.param("H56.14-250704-0001", Qd20Code, id="qd20"),
    ],
)
def test_the_agency_part_is_available_as_a_parsed_code(
    text: str, agency_type: type[Qcvn102Code | Qd20Code]
) -> None:
    """GIVEN a dossier code WHEN its agency part is read THEN it is an agency code in its own
    format (R-ID-01, R-ID-09)."""
    assert isinstance(DossierCode.parse(text).agency_code, agency_type)


@given(
    received_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    seq=st.integers(min_value=1, max_value=10**8),
    agency=st.sampled_from(["000.00.31.H13", "000.20.31.H13", "H56", "H56.14.3AB"]),
)
def test_any_unit_dossier_code_round_trips(received_on: date, seq: int, agency: str) -> None:
    """GIVEN any receipt date of 2000-2099 and any sequence ≥ 1 WHEN the code is formatted and
    parsed back THEN the same value comes back (R-ID-09, R-ID-11)."""
    code = DossierCode(agency=agency, received_on=received_on, seq=seq)
    assert DossierCode.parse(str(code)) == code


@given(
    received_on=st.dates(min_value=date(2026, 1, 25), max_value=date(2099, 12, 31)),
    aa=st.from_regex(r"[0-9]{2}", fullmatch=True),
    seq=st.integers(min_value=1, max_value=10**8),
)
def test_any_centralized_dossier_code_round_trips(received_on: date, aa: str, seq: int) -> None:
    """GIVEN any receipt date from 25/1/2026, any AA and sequence WHEN formatted and parsed back
    with the centralized flag THEN the same value comes back (R-ID-10)."""
    code = DossierCode(agency="H56.14", received_on=received_on, seq=seq, aa=aa)
    assert DossierCode.parse(str(code), centralized=True) == code
