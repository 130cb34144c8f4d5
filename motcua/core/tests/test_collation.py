"""One Vietnamese collation for every list (issue #14 item 4): the alphabet's letters (ă, â, đ,
ê, ô, ơ, ư are letters of their own), then the tones in dictionary order, then case."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import nfc, vi_sort_key, vi_sorted


def test_d_stroke_is_a_letter_after_d_not_a_d() -> None:
    names = ["Đông Thạnh", "Dương Minh Châu", "Đa Phước", "Duyên Hải", "Da Nhim", "Eakar"]
    assert vi_sorted(names) == [
        "Da Nhim",
        "Duyên Hải",
        "Dương Minh Châu",
        "Đa Phước",
        "Đông Thạnh",
        "Eakar",
    ]


def test_tones_follow_the_dictionary_order() -> None:
    """a, à (huyền), ả (hỏi), ã (ngã), á (sắc), ạ (nặng) — and the letter decides before the
    tone: "ạ" still comes before "ă"."""
    shuffled = ["ạ", "á", "ă", "ã", "a", "ả", "à", "â", "b"]
    random.Random(14).shuffle(shuffled)
    assert vi_sorted(shuffled) == ["a", "à", "ả", "ã", "á", "ạ", "ă", "â", "b"]
    assert vi_sorted(["Mỹ", "Mý", "Mỵ", "My", "Mỳ", "Mỷ"]) == ["My", "Mỳ", "Mỷ", "Mỹ", "Mý", "Mỵ"]


def test_the_letters_with_marks_are_letters_of_their_own() -> None:
    assert vi_sorted(["Ơn", "On", "Ôn", "Ưng", "Ung", "Ê Đê", "Em"]) == [
        "Em",
        "Ê Đê",
        "On",
        "Ôn",
        "Ơn",
        "Ung",
        "Ưng",
    ]


def test_a_word_ends_before_a_longer_one_and_numbers_count() -> None:
    assert vi_sorted(["Anh Thái", "An Bình", "Phường 10", "Phường 2", "An"]) == [
        "An",
        "An Bình",
        "Anh Thái",
        "Phường 2",
        "Phường 10",
    ]


def test_case_decides_last_and_nfd_input_sorts_like_nfc() -> None:
    assert vi_sorted(["Bình", "bình", "Binh"]) == ["Binh", "bình", "Bình"]
    nfd = unicodedata.normalize("NFD", "Đồng Tháp")
    assert vi_sort_key(nfd) == vi_sort_key(nfc(nfd)) == vi_sort_key("Đồng Tháp")


@given(st.lists(st.text(alphabet="aăâbdđeêioôơuưàảãáạ ", max_size=6), max_size=8))
def test_the_order_is_total_and_stable(names: list[str]) -> None:
    once = vi_sorted(names)
    assert vi_sorted(once) == once
    keys = [vi_sort_key(n) for n in once]
    assert keys == sorted(keys)


@pytest.mark.parametrize(("before", "after"), [("D", "Đ"), ("d", "đ"), ("Dz", "Đa"), ("O", "Ô")])
def test_each_pair(before: str, after: str) -> None:
    assert vi_sort_key(before) < vi_sort_key(after)
