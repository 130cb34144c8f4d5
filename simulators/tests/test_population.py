"""Population simulator over real HTTP (R-POP-01..04, R-ID-15, R-PDP-07)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from vietnam_provinces import Ward
from vn_ident import is_valid_cccd, parse_cccd

from contracts.common import ApiResponse
from contracts.population import LOOKUP_PATH, Citizen, parse_envelope
from simulators import population as pop
from simulators.tests.conftest import SimProcess

REAL_WARDS = {
    (f"{int(w.province_code):02d}", f"{int(w.code):05d}", w.name) for w in Ward.iter_all()
}


def lookup(client: httpx.Client, personal_id: str, **extra: str) -> ApiResponse:
    response = client.post(
        LOOKUP_PATH, json={"SoDinhDanh": personal_id, "MaCanBo": "cb-a", "MaDVC": "x", **extra}
    )
    assert response.status_code == 200, response.text
    return ApiResponse.model_validate_json(response.content)


def one(answer: ApiResponse) -> Citizen:
    assert answer.ok, answer.message
    (person,) = parse_envelope(answer.message)
    return person


def test_sample_people_are_found_with_real_communes(population: SimProcess) -> None:
    with population.client() as client:
        sample = client.get("/_sim/sample", params={"n": 5}).json()
        people = [one(lookup(client, p["SoDinhDanh"])) for p in sample]
    assert len(people) == 5
    for entry, person in zip(sample, people, strict=True):
        assert person.SoDinhDanh == entry["SoDinhDanh"]
        assert is_valid_cccd(person.SoDinhDanh)
        card = parse_cccd(person.SoDinhDanh)
        assert card is not None
        assert card.birth_year == int(person.NgayThangNamSinh.Nam)
        assert card.gender == ("male" if person.GioiTinh == "1" else "female")
        full = person.HoVaTen.full
        assert full == unicodedata.normalize("NFC", full)
        for address in (person.ThuongTru, person.QueQuan, person.NoiDangKyKhaiSinh):
            assert (address.MaTinhThanh, address.MaPhuongXa, address.TenPhuongXa) in REAL_WARDS
            assert address.MaQuanHuyen == ""  # no district level after 1/7/2025 (R-POP-04)


def test_household_links_point_at_real_people(population: SimProcess) -> None:
    child_id = pop.id_of(4 * 123 + 2)
    with population.client() as client:
        child = one(lookup(client, child_id))
        assert child.Cha is not None
        assert child.Me is not None
        father = one(lookup(client, child.Cha.SoDinhDanh))
        mother = one(lookup(client, child.Me.SoDinhDanh))
    assert child.ChuHo.SoDinhDanh == father.SoDinhDanh
    assert child.ChuHo.QuanHe == "Con"
    assert father.VoChong is not None
    assert father.VoChong.SoDinhDanh == mother.SoDinhDanh
    assert child.HoVaTen.Ho == father.HoVaTen.Ho
    assert child.ThuongTru == father.ThuongTru


def test_unknown_and_mismatched_ids(population: SimProcess) -> None:
    known = pop.id_of(42)
    with population.client() as client:
        unknown = lookup(client, "001099000000" if pop.index_of("001099000000") is None else "")
        wrong_name = lookup(client, known, HoVaTen="Không Có Tên")
        right_name = lookup(client, known, HoVaTen=pop.citizen(42).HoVaTen.full.lower())
        short = client.post(LOOKUP_PATH, json={"SoDinhDanh": "123"})
        logged = client.get("/_sim/queries", params={"MaCanBo": "cb-a"}).json()
    assert unknown.error_code == "-2"
    assert wrong_name.error_code == "-3"
    assert right_name.ok
    assert short.status_code == 400
    assert short.json()["error_code"] == "-1"
    assert {q["so_dinh_danh"] for q in logged} >= {known}  # R-POP-03: every call is logged


def test_same_person_after_restart(
    sim_factory: Callable[[str, Path | None], SimProcess], tmp_path: Path
) -> None:
    first = sim_factory("population", tmp_path)
    with first.client() as client:
        sample = client.get("/_sim/sample", params={"n": 2}).json()
        before = [lookup(client, p["SoDinhDanh"]).message for p in sample]
    first.stop()
    second = sim_factory("population", tmp_path)
    with second.client() as client:
        after = [lookup(client, p["SoDinhDanh"]).message for p in sample]
        logged = client.get("/_sim/queries").json()
    second.stop()
    assert after == before
    assert len(logged) == 4  # the query log persisted across the restart


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=pop.POPULATION - 1))
def test_id_and_index_are_inverse(i: int) -> None:
    personal_id = pop.id_of(i)
    assert is_valid_cccd(personal_id)
    assert pop.index_of(personal_id) == i


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\d{12}", fullmatch=True))
def test_any_other_id_is_nobody_or_consistent(personal_id: str) -> None:
    i = pop.index_of(personal_id)
    assert i is None or pop.id_of(i) == personal_id


def test_population_fault_header_error(population: SimProcess) -> None:
    with population.client() as client:
        response = client.post(
            LOOKUP_PATH, json={"SoDinhDanh": pop.id_of(1)}, headers={"X-Sim-Fault": "error"}
        )
    assert response.status_code == 503
