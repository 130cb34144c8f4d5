"""Agency electronic identification codes — DOMAIN §3.1, R-ID-01..05."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.agencies.codes import (
    AgencyCode,
    CodeError,
    CodeFormat,
    Qcvn102Code,
    Qd20Code,
    detect_format,
    parse_agency_code,
)

# --------------------------------------------------------------------------- QCVN 102 (R-ID-02)

QCVN102_VALID = [
    pytest.param("000.00.31.H13", ("000", "00", "31", "H13"), 2, id="department-of-province"),
    pytest.param("000.00.00.H49", ("000", "00", "00", "H49"), 1, id="provincial-committee"),
    pytest.param("000.20.31.H13", ("000", "20", "31", "H13"), 3, id="level-3-unit"),
    pytest.param("001.20.31.H13", ("001", "20", "31", "H13"), 4, id="level-4-unit"),
    pytest.param("000.00.00.G12", ("000", "00", "00", "G12"), 1, id="ministry"),
    pytest.param("  000.00.31.h13 ", ("000", "00", "31", "H13"), 2, id="spaces-lowercase"),
    pytest.param("000.00.00.Z01", ("000", "00", "00", "Z01"), 1, id="letter-z-allowed"),
]


@pytest.mark.parametrize(("text", "groups", "depth"), QCVN102_VALID)
def test_a_valid_qcvn102_code_is_parsed_right_to_left(
    text: str, groups: tuple[str, str, str, str], depth: int
) -> None:
    """GIVEN a QCVN 102 code WHEN it is parsed THEN the last group is level 1, a zero group is
    the unit itself, and depth counts the non-zero levels (R-ID-02)."""
    code = Qcvn102Code.parse(text)
    assert (code.level4, code.level3, code.level2, code.level1) == groups
    assert code.depth == depth
    assert code.format is CodeFormat.QCVN102
    assert Qcvn102Code.parse(str(code)) == code


QCVN102_INVALID = [
    pytest.param("", id="empty"),
    pytest.param("   ", id="blank"),
    pytest.param("00.00.31.H13", id="level4-too-short"),
    pytest.param("0000.00.31.H13", id="level4-too-long"),
    pytest.param("000.0.31.H13", id="level3-too-short"),
    pytest.param("000.00.311.H13", id="level2-too-long"),
    pytest.param("000.00.31.H1", id="level1-one-digit"),
    pytest.param("000.00.31.HH3", id="level1-letter-for-digit"),
    pytest.param("000.00.31.113", id="level1-digit-for-letter"),
    pytest.param("000.0A.31.H13", id="letter-in-level3"),
    pytest.param("000.00.31", id="three-groups"),
    pytest.param("000.00.31.H13.1", id="five-groups"),
    pytest.param("000-00-31-H13", id="wrong-separator"),
    pytest.param("000.00.31.H13\n1", id="embedded-newline"),
    pytest.param("٠٠٠.00.31.H13", id="arabic-indic-digits"),
    pytest.param("000.00.31.Đ13", id="non-ascii-letter"),
    pytest.param("001.00.31.H13", id="non-zero-below-zero-level3"),
    pytest.param("000.20.00.H13", id="non-zero-below-zero-level2"),
]


@pytest.mark.parametrize("text", QCVN102_INVALID)
def test_an_invalid_qcvn102_code_is_refused(text: str) -> None:
    """GIVEN a malformed QCVN 102 code WHEN it is parsed THEN CodeError is raised (R-ID-02)."""
    with pytest.raises(CodeError):
        Qcvn102Code.parse(text)


def test_the_error_message_is_vietnamese_then_english() -> None:
    with pytest.raises(CodeError) as excinfo:
        Qcvn102Code(level4="000", level3="00", level2="31", level1="1H3")
    message = str(excinfo.value)
    assert message == (
        "Mã định danh không hợp lệ: nhóm cấp 1 phải có dạng chữ cái + 2 chữ số / "
        "Invalid agency code: level-1 group must be a letter and two digits"
    )
    assert unicodedata.is_normalized("NFC", message)
    assert excinfo.value.message_en is not None
    assert isinstance(excinfo.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("000.00.31.HH3", r"nhóm cấp 1 phải có dạng chữ cái \+ 2 chữ số", id="level1"),
        pytest.param("000.00.3A.H13", "nhóm cấp 2 phải gồm đúng 2 chữ số", id="level2"),
        pytest.param("000.000.31.H13", "nhóm cấp 3 phải gồm đúng 2 chữ số", id="level3"),
        pytest.param("00.00.31.H13", "nhóm cấp 4 phải gồm đúng 3 chữ số", id="level4"),
        pytest.param("000.00.31", "không đúng định dạng QCVN 102", id="group-count"),
    ],
)
def test_a_qcvn102_error_names_the_faulty_group(text: str, message: str) -> None:
    """GIVEN a QCVN 102 code with one bad group WHEN it is parsed THEN the error names the level
    of that group, read right-to-left (R-ID-02)."""
    with pytest.raises(CodeError, match=message):
        Qcvn102Code.parse(text)


def test_direct_construction_is_validated_like_parsing() -> None:
    with pytest.raises(CodeError):
        Qcvn102Code(level4="0", level3="00", level2="31", level1="H13")


QCVN102_PARENTS = [
    pytest.param("001.20.31.H13", "000.20.31.H13", id="level4-to-level3"),
    pytest.param("000.20.31.H13", "000.00.31.H13", id="level3-to-level2"),
    pytest.param("000.00.31.H13", "000.00.00.H13", id="level2-to-level1"),
    pytest.param("000.00.00.H13", None, id="level1-has-no-parent"),
]


@pytest.mark.parametrize(("text", "parent"), QCVN102_PARENTS)
def test_the_parent_of_a_qcvn102_code_zeroes_its_deepest_group(
    text: str, parent: str | None
) -> None:
    """GIVEN a QCVN 102 code WHEN its parent is asked THEN the deepest non-zero group below
    level 1 is zeroed (R-ID-02)."""
    result = Qcvn102Code.parse(text).parent()
    assert (None if result is None else str(result)) == parent


QCVN102_CHILDREN = [
    pytest.param("000.00.00.H13", "31", "000.00.31.H13", id="level1-gets-level2"),
    pytest.param("000.00.31.H13", "20", "000.20.31.H13", id="level2-gets-level3"),
    pytest.param("000.20.31.H13", "001", "001.20.31.H13", id="level3-gets-level4"),
]


@pytest.mark.parametrize(("text", "child", "expected"), QCVN102_CHILDREN)
def test_a_qcvn102_child_fills_the_next_zero_group(text: str, child: str, expected: str) -> None:
    """GIVEN a QCVN 102 unit WHEN a child is created THEN the next zero group to the left is
    filled, and the parent of the child is the unit again (R-ID-02)."""
    parent = Qcvn102Code.parse(text)
    result = parent.child(child)
    assert str(result) == expected
    assert result.parent() == parent
    assert parent.is_ancestor_of(result)


QCVN102_BAD_CHILDREN = [
    pytest.param("000.00.00.H13", "3", id="level2-one-digit"),
    pytest.param("000.00.00.H13", "031", id="level2-three-digits"),
    pytest.param("000.00.31.H13", "2A", id="letter-in-level3"),
    pytest.param("000.20.31.H13", "01", id="level4-two-digits"),
    pytest.param("000.00.00.H13", "00", id="zero-child"),
    pytest.param("001.20.31.H13", "001", id="already-level4"),
]


@pytest.mark.parametrize(("text", "child"), QCVN102_BAD_CHILDREN)
def test_a_qcvn102_child_with_the_wrong_width_is_refused(text: str, child: str) -> None:
    with pytest.raises(CodeError):
        Qcvn102Code.parse(text).child(child)


QCVN102_ANCESTRY = [
    pytest.param("000.00.00.H13", "001.20.31.H13", True, id="province-of-level4"),
    pytest.param("000.00.31.H13", "000.20.31.H13", True, id="direct-parent"),
    pytest.param("000.00.31.H13", "000.00.31.H13", False, id="not-its-own-ancestor"),
    pytest.param("000.20.31.H13", "000.00.31.H13", False, id="child-is-not-ancestor"),
    pytest.param("000.00.31.H13", "000.20.32.H13", False, id="sibling-branch"),
    pytest.param("000.00.00.H13", "000.00.31.H14", False, id="other-province"),
]


@pytest.mark.parametrize(("ancestor", "other", "expected"), QCVN102_ANCESTRY)
def test_qcvn102_ancestry_follows_the_right_to_left_hierarchy(
    ancestor: str, other: str, expected: bool
) -> None:
    """GIVEN two QCVN 102 codes WHEN ancestry is checked THEN it follows the right-to-left
    hierarchy (R-ID-02, R-ID-05)."""
    assert Qcvn102Code.parse(ancestor).is_ancestor_of(Qcvn102Code.parse(other)) is expected


def test_string_prefix_does_not_imply_qcvn102_ancestry() -> None:
    """GIVEN the province ``000.00.00.H13`` and its department ``000.00.31.H13`` WHEN hierarchy
    is derived THEN string prefixes are irrelevant: the province is no prefix of the department
    yet is its ancestor (R-ID-05)."""
    province = Qcvn102Code.parse("000.00.00.H13")
    department = Qcvn102Code.parse("000.00.31.H13")
    assert not str(department).startswith(str(province))
    assert province.is_ancestor_of(department)


# --------------------------------------------------------------------------- QĐ 20 (R-ID-03)

QD20_VALID = [
    pytest.param("H56", ("H56",), id="level1-only"),
    pytest.param("H56.14", ("H56", "14"), id="thanh-hoa-unit"),
    pytest.param("H56.14.3", ("H56", "14", "3"), id="three-levels"),
    pytest.param("h56.14.ab", ("H56", "14", "AB"), id="lowercase-normalized"),
    pytest.param(" A01.X ", ("A01", "X"), id="spaces-stripped"),
    pytest.param("Y99.1", ("Y99", "1"), id="letter-y-allowed"),
    pytest.param("H56." + "1" * 31, ("H56", "1" * 31), id="exactly-35-chars"),
]


@pytest.mark.parametrize(("text", "groups"), QD20_VALID)
def test_a_valid_qd20_code_is_parsed_left_to_right(text: str, groups: tuple[str, ...]) -> None:
    """GIVEN a Decision 20/2020 code WHEN it is parsed THEN the first group is level 1 and the
    following groups are child units, left-to-right (R-ID-03)."""
    code = Qd20Code.parse(text)
    assert code.groups == groups
    assert code.level1 == groups[0]
    assert code.depth == len(groups)
    assert code.format is CodeFormat.QD20
    assert Qd20Code.parse(str(code)) == code


QD20_INVALID = [
    pytest.param("", id="empty"),
    pytest.param("Z01.1", id="z-is-not-a-level1-letter"),
    pytest.param("H5.14", id="level1-one-digit"),
    pytest.param("H561.14", id="level1-three-digits"),
    pytest.param("HH6.14", id="level1-letter-for-digit"),
    pytest.param("156.14", id="level1-digit-for-letter"),
    pytest.param("H56..14", id="empty-middle-group"),
    pytest.param("H56.", id="trailing-dot"),
    pytest.param(".H56", id="leading-dot"),
    pytest.param("H56.1-4", id="hyphen"),
    pytest.param("H56.1 4", id="inner-space"),
    pytest.param("H56.Đ", id="non-ascii-letter"),
    pytest.param("H56." + "1" * 32, id="36-chars"),
]


@pytest.mark.parametrize("text", QD20_INVALID)
def test_an_invalid_qd20_code_is_refused(text: str) -> None:
    """GIVEN a malformed Decision 20/2020 code WHEN it is parsed THEN CodeError (R-ID-03)."""
    with pytest.raises(CodeError):
        Qd20Code.parse(text)


def test_a_36_character_qd20_code_names_its_length_in_the_error() -> None:
    with pytest.raises(CodeError, match="dài 36 ký tự, tối đa 35"):
        Qd20Code.parse("H56." + "1" * 32)


QD20_HIERARCHY = [
    pytest.param("H56.14.3", "H56.14", id="level3-to-level2"),
    pytest.param("H56.14", "H56", id="level2-to-level1"),
    pytest.param("H56", None, id="level1-has-no-parent"),
]


@pytest.mark.parametrize(("text", "parent"), QD20_HIERARCHY)
def test_the_parent_of_a_qd20_code_drops_its_last_group(text: str, parent: str | None) -> None:
    """GIVEN a Decision 20 code WHEN its parent is asked THEN the last group is dropped
    (R-ID-03)."""
    result = Qd20Code.parse(text).parent()
    assert (None if result is None else str(result)) == parent


def test_a_qd20_child_is_appended_on_the_right() -> None:
    """GIVEN ``H56.14`` WHEN child ``3`` is created THEN it is ``H56.14.3`` (R-ID-03)."""
    parent = Qd20Code.parse("H56.14")
    child = parent.child("3")
    assert str(child) == "H56.14.3"
    assert child.parent() == parent
    assert parent.is_ancestor_of(child)


@pytest.mark.parametrize(
    "group",
    [
        pytest.param("", id="empty"),
        pytest.param("1.2", id="contains-dot"),
        pytest.param("1-2", id="contains-hyphen"),
        pytest.param("1" * 29, id="exceeds-35-chars"),
    ],
)
def test_a_bad_qd20_child_group_is_refused(group: str) -> None:
    with pytest.raises(CodeError):
        Qd20Code.parse("H56.14").child(group)


QD20_ANCESTRY = [
    pytest.param("H56", "H56.14.3", True, id="level1-of-level3"),
    pytest.param("H56.14", "H56.14.3", True, id="direct-parent"),
    pytest.param("H56.14", "H56.14", False, id="not-its-own-ancestor"),
    pytest.param("H56.1", "H56.14", False, id="string-prefix-is-not-ancestry"),
    pytest.param("H56.14", "H56.15.3", False, id="sibling-branch"),
    pytest.param("H56.14.3", "H56.14", False, id="child-is-not-ancestor"),
]


@pytest.mark.parametrize(("ancestor", "other", "expected"), QD20_ANCESTRY)
def test_qd20_ancestry_compares_whole_groups(ancestor: str, other: str, expected: bool) -> None:
    """GIVEN two Decision 20 codes WHEN ancestry is checked THEN whole groups are compared, not
    string prefixes (``H56.1`` is not an ancestor of ``H56.14``) (R-ID-03, R-ID-05)."""
    assert Qd20Code.parse(ancestor).is_ancestor_of(Qd20Code.parse(other)) is expected


def test_ancestry_across_formats_is_always_false() -> None:
    """GIVEN a QCVN 102 and a Decision 20 code of the same province WHEN ancestry is checked
    THEN it is False both ways: hierarchy is only derived within a known format (R-ID-05)."""
    qcvn = Qcvn102Code.parse("000.00.00.H56")
    qd20 = Qd20Code.parse("H56.14")
    assert not qcvn.is_ancestor_of(qd20)
    assert not Qd20Code.parse("H56").is_ancestor_of(Qcvn102Code.parse("000.00.14.H56"))


# --------------------------------------------------------------------------- detection (R-ID-01)

DETECTION = [
    pytest.param("000.00.31.H13", CodeFormat.QCVN102, Qcvn102Code, id="qcvn102"),
    pytest.param("000.00.00.h49", CodeFormat.QCVN102, Qcvn102Code, id="qcvn102-lowercase"),
    pytest.param("H56.14", CodeFormat.QD20, Qd20Code, id="qd20"),
    pytest.param("H56", CodeFormat.QD20, Qd20Code, id="qd20-level1-only"),
]


@pytest.mark.parametrize(("text", "fmt", "cls"), DETECTION)
def test_the_format_of_an_agency_code_is_detected(
    text: str, fmt: CodeFormat, cls: type[AgencyCode]
) -> None:
    """GIVEN an agency code string WHEN the format is not given THEN it is detected, QCVN 102
    first, and the code is kept with its format (R-ID-01)."""
    assert detect_format(text) is fmt
    code = parse_agency_code(text)
    assert isinstance(code, cls)
    assert code.format is fmt
    assert parse_agency_code(str(code), fmt) == code


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("000.00.31", id="truncated-qcvn102"),
        pytest.param("Z01", id="z-level1"),
        pytest.param("H56-14", id="hyphen"),
    ],
)
def test_an_unrecognized_agency_code_is_refused(text: str) -> None:
    with pytest.raises(CodeError):
        detect_format(text)
    with pytest.raises(CodeError):
        parse_agency_code(text)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        pytest.param("H56.14", CodeFormat.QCVN102, id="qd20-as-qcvn102"),
        pytest.param("000.00.31.H13", CodeFormat.QD20, id="qcvn102-as-qd20"),
    ],
)
def test_a_code_in_the_other_format_is_refused_when_the_format_is_given(
    text: str, fmt: CodeFormat
) -> None:
    with pytest.raises(CodeError):
        parse_agency_code(text, fmt)


def test_a_non_string_is_refused_with_a_code_error() -> None:
    with pytest.raises(CodeError):
        parse_agency_code(123)  # type: ignore[arg-type]


def test_codes_are_hashable_value_objects() -> None:
    codes = {Qcvn102Code.parse("000.00.31.H13"), Qcvn102Code.parse("000.00.31.h13")}
    assert len(codes) == 1
    assert Qd20Code.parse("H56.14") == Qd20Code(("H56", "14"))


@given(
    level1=st.from_regex(r"[A-Y][0-9]{2}", fullmatch=True),
    rest=st.lists(st.from_regex(r"[0-9A-Z]{1,4}", fullmatch=True), max_size=6),
)
def test_any_valid_qd20_code_round_trips_and_descends_from_its_level1(
    level1: str, rest: list[str]
) -> None:
    """GIVEN any Decision 20 code within 35 characters WHEN printed and parsed back THEN it is
    unchanged and every proper prefix of its groups is an ancestor (R-ID-03)."""
    code = Qd20Code((level1, *rest))
    assert Qd20Code.parse(str(code)) == code
    ancestor = code.parent()
    while ancestor is not None:
        assert ancestor.is_ancestor_of(code)
        ancestor = ancestor.parent()
