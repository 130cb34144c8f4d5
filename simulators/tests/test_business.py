"""Business-registry simulator over real HTTP (R-ID-16)."""

from __future__ import annotations

from vn_ident import is_valid_mst

from contracts.business import LOOKUP_PATH, parse_message
from contracts.common import ApiResponse
from simulators.tests.conftest import SimProcess


def test_sample_tax_codes_are_valid_and_found(business: SimProcess) -> None:
    with business.client() as client:
        sample = client.get("/_sim/sample", params={"n": 3}).json()
        answers = [
            ApiResponse.model_validate_json(
                client.post(LOOKUP_PATH, json={"MaSoDoanhNghiep": s["MaSoDoanhNghiep"]}).content
            )
            for s in sample
        ]
        branch = client.post(
            LOOKUP_PATH, json={"MaSoDoanhNghiep": sample[0]["MaSoDoanhNghiep"] + "-001"}
        ).json()
        unknown = client.post(LOOKUP_PATH, json={"MaSoDoanhNghiep": "0100004756"}).json()
    for entry, answer in zip(sample, answers, strict=True):
        assert is_valid_mst(entry["MaSoDoanhNghiep"])
        enterprise = parse_message(answer.message)
        assert enterprise.TenDoanhNghiep == entry["TenDoanhNghiep"]
        assert enterprise.DiaChiTruSo.MaQuanHuyen == ""
    assert branch["error_code"] == "0"
    assert unknown["error_code"] == "-2"
