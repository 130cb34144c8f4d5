"""Retrieval over the seed catalogue (pure: built from motcua/catalog/data/procedures.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from motcua.assistant.retrieval import (
    Record,
    Retriever,
    accented_words,
    code_in_query,
    core_name,
    lexicon,
    longest_run,
    out_of_scope_entries,
    out_of_scope_in,
    positions_of,
    stopwords,
)
from motcua.core.text import fold

SEED = Path(__file__).resolve().parents[2] / "catalog" / "data" / "procedures.csv"


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    with SEED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Retriever(
        Record(
            key=row["code"],
            code=row["code"],
            name=row["name_vi"],
            field=row["field_vi"],
            level=row["competent_level"],
            body=row["documents_vi"],
        )
        for row in rows
    )


def top(retriever: Retriever, question: str, n: int = 1) -> list[str]:
    return [h.record.code for h in retriever.search(question, limit=n)[1]]


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Đăng ký khai sinh", "1.001193"),
        ("dang ky khai sinh", "1.001193"),  # without diacritics
        ("lam giay khai sinh cho con can gi", "1.001193"),  # colloquial name (lexicon)
        ("khai sihn", "1.001193"),  # a typo, one swap
        ("cccd het han", "1.014063"),  # abbreviation + "expired" → exchange (cấp đổi)
        ("sổ đỏ mất thì làm lại ở đâu", "1.012786"),  # sổ đỏ + lost → re-issue
        ("bang lai xe bi mat", "3.000348"),
        ("ly lich tu phap", "3.000333"),
        ("dang ky tam tru", "1.004194"),
        ("1001193", "1.001193"),  # a national code without its dot (R-ID-06)
    ],
)
def test_citizen_questions_find_the_procedure(
    retriever: Retriever, question: str, code: str
) -> None:
    assert code in top(retriever, question, 3)


def test_the_same_question_with_and_without_diacritics_ranks_the_same(
    retriever: Retriever,
) -> None:
    assert top(retriever, "đăng ký kết hôn", 5) == top(retriever, "dang ky ket hon", 5)


def test_a_named_level_boosts_that_level(retriever: Retriever) -> None:
    """ "cấp tỉnh" in the question puts the provincial version of "cấp đổi thẻ căn cước" first
    (R-DEC-01); without it the commune police's comes first."""
    assert top(retriever, "cấp đổi thẻ căn cước")[0] == "1.014063"
    assert top(retriever, "cấp đổi thẻ căn cước cấp tỉnh")[0] == "2.001195"


def test_filler_words_do_not_count_and_out_of_scope_phrases_are_noted(
    retriever: Retriever,
) -> None:
    analysis = retriever.analyse("cho tôi hỏi muốn ly hôn thì làm sao")
    assert analysis.out_of_scope == [("ly hon", "court")]
    assert "toi" not in analysis.content
    assert "ly" in {t.text for t in analysis.terms}  # searched, not required
    assert analysis.other_words == []


def test_compound_words_come_from_the_segmenter(retriever: Retriever) -> None:
    assert "khai_sinh" in retriever.compounds
    terms = {t.text for t in retriever.analyse("dang ky khai sinh").terms}
    assert {"khai_sinh", "dang_ky"} <= terms


def test_code_and_core_name_helpers() -> None:
    assert code_in_query("mã 1.001193 ạ") == "1.001193"
    assert code_in_query("2026") is None
    assert core_name("Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)") == "cap lai the can cuoc"
    assert core_name("Thủ tục đăng ký khai sinh") == "dang ky khai sinh"


# --------------------------------------------------------------------------- data files


def test_the_lexicon_is_well_formed() -> None:
    entries = lexicon()
    phrases = [e.phrase for e in entries]
    assert len(phrases) == len(set(phrases)), "a phrase is listed twice"
    assert all(e.means for e in entries)
    for expected in ("cccd", "gplx", "so do", "so hong", "giay khai sinh", "ho khau", "tam vang"):
        assert any(expected in p for p in phrases), expected


def test_every_lexicon_meaning_is_catalogue_vocabulary(retriever: Retriever) -> None:
    """A meaning the catalogue never uses would expand a question into nothing."""
    vocabulary = set(retriever.syllables)
    missing = {e.phrase: w for e in lexicon() for w in e.means.split() if w not in vocabulary}
    assert missing == {}


def test_stopwords_and_out_of_scope_phrases_are_folded_and_not_lexicon_words() -> None:
    assert all(p == fold(p) for p in stopwords())
    kinds = {e.kind for e in out_of_scope_entries()}
    assert kinds <= {"court", "police", "private", "labour", "internal", "chat"}
    lexicon_phrases = {e.phrase for e in lexicon()}
    assert not lexicon_phrases & {e.phrase for e in out_of_scope_entries()}


def test_the_fast_fold_equals_the_project_fold_on_the_whole_seed() -> None:
    from motcua.assistant.retrieval import fast_fold

    with SEED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [row[k] for row in rows for k in ("name_vi", "field_vi", "documents_vi")]
    assert [fast_fold(t) for t in texts] == [fold(t) for t in texts]


def test_a_typo_is_corrected_in_context_and_data_words_are_left_alone(
    retriever: Retriever,
) -> None:
    analysis = retriever.analyse("khai sihn cho con")
    assert analysis.corrections == {"sihn": "sinh"}
    assert "khai_sinh" in [t.text for t in analysis.terms]  # the compound is found again
    assert retriever.analyse("cccd het han").corrections == {}  # a lexicon word, not a typo
    assert "1.012690" in top(retriever, "thu tuc phe dueyt phuong an su dung rung doi voi", 3)


def test_the_question_words_in_the_name_order_rank_first(retriever: Retriever) -> None:
    """The beginning of a long name typed as read finds it among names sharing its words."""
    question = ["khai", "thue", "doi", "voi", "ca", "nhan"]
    assert longest_run(question, ["khai", "thue", "doi", "voi", "to", "chuc"]) == (4, True)
    assert longest_run(["a", "b", "c"], ["x", "b", "c"]) == (2, False)
    assert top(retriever, "khai thue doi voi ca nhan cho thue bat nop o dau a", 1) == ["1.007689"]


def test_the_longest_run_is_the_same_from_positions() -> None:
    name = ["dang", "ky", "khai", "sinh", "ket", "hop", "dang", "ky", "nhan", "cha"]
    for words in (["dang", "ky", "nhan", "cha"], ["ky", "khai", "sinh"], ["x"], ["dang", "ky"]):
        assert longest_run(words, positions_of(name)) == longest_run(words, name)
    assert longest_run(["dang", "ky", "nhan", "cha"], name) == (4, False)
    assert longest_run(["dang", "ky", "khai"], name) == (3, True)


# --------------------------------------------------------------------------- out of scope


def said(question: str) -> list[str]:
    """The out-of-scope phrases the detector finds in ``question`` (folded)."""
    return [
        e.phrase for e, _start in out_of_scope_in(fold(question).split(), accented_words(question))
    ]


def test_accented_words_split_as_the_fold_does() -> None:
    question = "Kiện công-ty nợ lương 3 tháng, được không?"
    assert [fold(w) for w in accented_words(question)] == fold(question).split()
    assert accented_words(question)[:2] == ["kiện", "công"]


@pytest.mark.parametrize(
    ("question", "phrases"),
    [
        ("kiện công ty nợ lương", ["no luong", "kien"]),
        ("kien cong ty no luong", ["no luong", "kien"]),  # typed without diacritics: folded
        ("bị công ty sa thải", ["sa thai"]),
        ("muốn công bố danh mục và quy trình nội bộ thì làm sao", ["quy trinh noi bo"]),
        # "kiến" typed with its diacritics is not "kiện"; "điều kiện" is not a lawsuit.
        ("gửi ý kiến về thủ tục", []),
        ("góp kiến nghị", []),
        ("cap giay chung nhan du dieu kien kinh doanh", []),
        ("nhận bưu kiện", []),
        ("xin giấy phép kiến trúc", []),
    ],
)
def test_the_out_of_scope_detector_reads_the_data(question: str, phrases: list[str]) -> None:
    """data/out_of_scope.csv: the phrase, its kind, the words with diacritics that decide, and
    the longer phrases it is part of without counting ("điều kiện" for "kiện")."""
    assert sorted(said(question)) == sorted(phrases)


def test_every_unless_phrase_contains_its_phrase_and_kinds_have_a_text() -> None:
    for entry in out_of_scope_entries():
        for longer in entry.unless:
            assert f" {entry.phrase} " in f" {longer} ", (entry.phrase, longer)


def test_no_catalogue_name_says_a_new_out_of_scope_phrase() -> None:
    """The phrases added in session 7 (a lawsuit, labour disputes, internal processes) never
    occur in a procedure's name; the older ones that do ("ly hôn" in "ghi vào sổ hộ tịch việc ly
    hôn…", "thuê nhà") are told apart by the rest of the question (answer.choose)."""
    new = {"kien", "no luong", "quy luong", "cham luong", "khong tra luong", "sa thai",
           "duoi viec", "tranh chap lao dong", "quy trinh noi bo"}  # fmt: skip
    with SEED.open(encoding="utf-8", newline="") as handle:
        names = [row["name_vi"] for row in csv.DictReader(handle)]
    clashes = {name: set(said(name)) & new for name in names if set(said(name)) & new}
    assert clashes == {}


def test_a_typo_typed_with_diacritics_still_says_its_phrase(retriever: Retriever) -> None:
    """ "trnìh" is corrected to "trinh": its diacritics prove nothing against "trình"."""
    analysis = retriever.analyse("muốn công bố danh mục và quy trnìh nội bộ thì làm sao")
    assert ("quy trinh noi bo", "internal") in analysis.out_of_scope
    assert retriever.analyse("gửi ý kiến").out_of_scope == []
