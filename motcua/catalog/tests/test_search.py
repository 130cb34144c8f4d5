"""Search over the catalogue: without diacritics, with typos, by code (catalog/search.py)."""

from __future__ import annotations

import pytest

from motcua.catalog.models import CompetentLevel, Field, ProcedureVersion
from motcua.catalog.search import (
    Document,
    IndexCache,
    SearchIndex,
    bm25_term,
    code_in_query,
    within_one_edit,
)
from motcua.catalog.selectors import current_versions, procedures_for, time_limit_text
from motcua.geo.models import Province

pytestmark = pytest.mark.django_db


def top_codes(province: Province, query: str, n: int = 3) -> list[str]:
    return [v.procedure.code_national for v in procedures_for(province, q=query)[:n]]


# --------------------------------------------------------------------------- pure


def test_one_edit_covers_insert_delete_substitute_and_swap() -> None:
    assert within_one_edit("sinh", "sinh")
    assert within_one_edit("sinh", "sin")  # delete
    assert within_one_edit("sinh", "sinhh")  # insert
    assert within_one_edit("sinh", "sanh")  # substitute
    assert within_one_edit("sihn", "sinh")  # neighbours swapped
    assert not within_one_edit("sinh", "nish")
    assert not within_one_edit("sinh", "si")


def test_a_code_is_found_with_or_without_its_dot() -> None:
    assert code_in_query("1.001193") == "1.001193"
    assert code_in_query("thu tuc 1001193") == "1.001193"
    assert code_in_query("khai sinh") is None
    assert code_in_query("12001193") is None


def test_a_name_match_outweighs_a_component_match() -> None:
    lengths = {"name": 5, "body": 5}
    avg = {"name": 5.0, "field": 2.0, "body": 5.0}
    in_name = bm25_term(tf_by_field={"name": 1}, len_by_field=lengths, avg_len=avg)
    in_body = bm25_term(tf_by_field={"body": 3}, len_by_field=lengths, avg_len=avg)
    assert in_name > in_body


DOCS = [
    Document(key=1, code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch"),
    Document(key=2, code="1.000894", name="Thủ tục đăng ký kết hôn", field="Hộ tịch"),
    Document(key=3, code="3.000333", name="Cấp Phiếu lý lịch tư pháp", field="Lý lịch tư pháp"),
    Document(key=4, code="1.000656", name="Thủ tục đăng ký khai tử", field="Hộ tịch"),
    Document(
        key=5,
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        field="Chứng thực",
        body="Bản chính giấy tờ và bản sao cần chứng thực",
    ),
]


def test_the_index_ranks_without_a_database() -> None:
    index = SearchIndex(DOCS)
    assert [h.key for h in index.search("ly lich tu phap")][:1] == [3]
    assert [h.key for h in index.search("khai sinh")][:1] == [1]
    assert [h.key for h in index.search("khai sihn")][:1] == [1]
    assert [h.key for h in index.search("1001193")][:1] == [1]


def test_the_last_syllable_matches_as_a_prefix_while_typing() -> None:
    index = SearchIndex(DOCS)
    assert [h.key for h in index.search("ket h")][:1] == [2]
    assert [h.key for h in index.search("dang ky kha")][:2] in ([1, 4], [4, 1])


def test_more_matched_syllables_rank_higher() -> None:
    index = SearchIndex(DOCS)
    hits = index.search("dang ky khai sinh")
    assert hits[0].key == 1
    assert hits[0].matched == 4
    assert all(h.matched < 4 for h in hits[1:])


def test_the_cache_rebuilds_only_when_the_key_changes() -> None:
    cache: IndexCache[int] = IndexCache()
    builds: list[int] = []

    def build() -> list[Document[int]]:
        builds.append(1)
        return DOCS

    first = cache.get(92, ("v1",), build)
    assert cache.get(92, ("v1",), build) is first
    assert cache.get(92, ("v2",), build) is not first
    assert len(builds) == 2


# --------------------------------------------------------------------------- real catalogue


def test_a_parent_finds_birth_registration_in_their_own_words(can_tho: Province) -> None:
    assert "1.001193" in top_codes(can_tho, "khai sinh cho con")


def test_judicial_record_is_found_without_diacritics(can_tho: Province) -> None:
    """GIVEN the 2026 code of the citizen judicial record certificate is 3.000333 (DOMAIN §14
    note on row 19) WHEN a citizen types "ly lich tu phap" THEN it comes first."""
    assert top_codes(can_tho, "ly lich tu phap", 1) == ["3.000333"]


def test_marriage_and_certified_copies_are_in_the_top_three(can_tho: Province) -> None:
    assert "1.000894" in top_codes(can_tho, "dang ky ket hon")
    assert "2.000815" in top_codes(can_tho, "chung thuc ban sao")


def test_diacritics_do_not_change_the_answer(can_tho: Province) -> None:
    for plain, marked in [
        ("dang ky khai sinh", "Đăng ký khai sinh"),
        ("ly lich tu phap", "lý lịch tư pháp"),
    ]:
        assert procedures_for(can_tho, q=plain).ids == procedures_for(can_tho, q=marked).ids
    assert len(procedures_for(can_tho, q="khai sinh")) == len(
        procedures_for(can_tho, q="KHAI SINH")
    )


def test_a_typo_still_finds_birth_registration(can_tho: Province) -> None:
    assert "1.001193" in top_codes(can_tho, "khai sihn", 5)


def test_the_national_code_matches_exactly(can_tho: Province) -> None:
    assert top_codes(can_tho, "1.001193", 1) == ["1.001193"]
    assert top_codes(can_tho, "1001193", 1) == ["1.001193"]


def test_without_a_query_the_list_is_every_current_version_by_code(can_tho: Province) -> None:
    results = procedures_for(can_tho)
    assert len(results) == current_versions(can_tho).count() == 3103
    codes = [v.procedure.code_national for v in results[:50]]
    assert codes == sorted(codes)


def test_the_commune_level_filter_keeps_only_commune_procedures(can_tho: Province) -> None:
    results = procedures_for(can_tho, level=CompetentLevel.COMMUNE)
    assert 0 < len(results) < 3103
    assert {v.competent_level for v in results} == {CompetentLevel.COMMUNE}
    searched = procedures_for(can_tho, q="khai sinh", level=CompetentLevel.PROVINCIAL)
    assert {v.competent_level for v in searched} <= {CompetentLevel.PROVINCIAL}


def test_the_boundary_free_filter_leaves_out_the_others(can_tho: Province) -> None:
    """GIVEN one procedure the province did not list as boundary-free (R-ORG-03) WHEN the list
    is filtered on boundary-free procedures THEN that procedure is not in it."""
    version = current_versions(can_tho).get(procedure__code_national="1.000894")
    ProcedureVersion.objects.filter(pk=version.pk).update(boundary_free=False)
    free = procedures_for(can_tho, boundary_free=True)
    assert version.pk not in free.ids
    assert len(free) == 3102
    assert version.pk not in procedures_for(can_tho, q="ket hon", boundary_free=True).ids


def test_the_field_filter_narrows_to_one_field(can_tho: Province) -> None:
    field = Field.objects.get(name="Hộ tịch")
    results = procedures_for(can_tho, field=field.code)
    assert 0 < len(results) < 3103
    assert {v.field_id for v in results} == {field.pk}


def test_the_online_filter_keeps_full_process_services(can_tho: Province) -> None:
    results = procedures_for(can_tho, online="full")
    assert {v.online_level for v in results} == {"full"}
    assert len(procedures_for(can_tho, online="any")) >= len(results)


def test_time_limits_read_as_words(can_tho: Province) -> None:
    """GIVEN birth registration is same-day with the 15:00 rule (R-TIME-05, DOMAIN §14 row 1)
    WHEN its time limit is shown THEN it says so in words."""
    birth = current_versions(can_tho).get(procedure__code_national="1.001193")
    assert time_limit_text(birth) == "Trong ngày (tiếp nhận sau 15 giờ trả ngày làm việc tiếp theo)"
    birth.time_limit_unit, birth.time_limit_value = "working_days", 3
    assert time_limit_text(birth) == "3 ngày làm việc"
    birth.time_limit_unit, birth.time_limit_value = "days", 15
    assert time_limit_text(birth) == "15 ngày"
    birth.time_limit_unit, birth.time_limit_value = "unknown", None
    assert time_limit_text(birth) == "Chưa công bố"
