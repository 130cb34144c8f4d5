"""Issue #17 item 3: the CKAN Action API read by the real client ``ckanapi`` (RemoteCKAN)
against a live server on 127.0.0.1: lists, shows, searches, errors, and paging through a
datastore resource."""

from __future__ import annotations

import pytest
from ckanapi import NotFound, RemoteCKAN, ValidationError

from motcua.opendata.selectors import resource_id
from motcua.opendata.tests.conftest import LiveSite, Seeded

UNIT_MONTH = resource_id("thong-ke-ho-so", "theo-don-vi-thang", "csv")
UNITS = resource_id("danh-sach-co-quan-don-vi", "don-vi", "csv")


@pytest.fixture
def ckan(live_site: LiveSite) -> RemoteCKAN:
    return RemoteCKAN(f"{live_site.url}/opendata", user_agent="motcua-tests/1.0")


def test_ckanapi_lists_and_shows(ckan: RemoteCKAN, seeded: Seeded) -> None:
    assert ckan.action.site_read() is True
    assert ckan.action.status_show()["ckan_version"].startswith("2.")
    names = ckan.action.package_list()
    assert "danh-muc-thu-tuc-hanh-chinh" in names
    assert "lich-lam-viec" in names
    assert len(names) == 7
    [org] = ckan.action.organization_list()
    org_full = ckan.action.organization_show(id=org, include_datasets=True)
    assert org_full["package_count"] == 7
    assert any(
        e["key"] == "eid_code" and e["value"].startswith("000.00.00.") for e in org_full["extras"]
    )
    assert "thong-ke" in ckan.action.group_list()
    assert "thủ tục hành chính" in ckan.action.tag_list()
    pkg = ckan.action.package_show(id="thong-ke-ho-so")
    assert pkg["license_id"] == "CC-BY-4.0"
    assert pkg["organization"]["name"] == org
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert extras["frequency"] == "DAILY"
    assert extras["temporal_end"] == "2026-03-10"
    csv = next(r for r in pkg["resources"] if r["id"] == UNIT_MONTH)
    assert csv["datastore_active"] is True
    assert csv["format"] == "CSV"
    assert all(not r["datastore_active"] for r in pkg["resources"] if r["format"] != "CSV")
    assert ckan.action.package_show(id=pkg["id"])["name"] == "thong-ke-ho-so"  # by id too
    shown = ckan.action.resource_show(id=UNIT_MONTH)
    assert shown["package_id"] == pkg["id"]
    assert shown["url"].endswith("theo-don-vi-thang.csv")


def test_ckanapi_searches(ckan: RemoteCKAN, seeded: Seeded) -> None:
    found = ckan.action.package_search(q="thong ke")  # without diacritics
    assert found["count"] == 2
    assert {p["name"] for p in found["results"]} == {
        "thong-ke-ho-so",
        "thong-ke-phan-anh-danh-gia",
    }
    xlsx = ckan.action.package_search(fq="res_format:XLSX", rows=100)
    assert "thong-ke-phan-anh-danh-gia" not in {p["name"] for p in xlsx["results"]}
    assert xlsx["count"] == 5
    tagged = ckan.action.package_search(fq='tags:"lịch làm việc"')
    assert [p["name"] for p in tagged["results"]] == ["lich-lam-viec"]
    by_name = ckan.action.package_search(sort="name asc", rows=3, start=0)
    rest = ckan.action.package_search(sort="name asc", rows=3, start=3)
    assert by_name["count"] == 7
    names = [p["name"] for p in by_name["results"] + rest["results"]]
    assert names == sorted(names)
    assert len(set(names)) == 6
    desc = ckan.action.package_search(sort="name desc", rows=1)
    assert desc["results"][0]["name"] == "trung-tam-phuc-vu-hanh-chinh-cong"
    facets = ckan.action.package_search(**{"facet.field": ["groups"], "rows": 0})
    assert facets["search_facets"]["groups"]["items"]
    assert facets["results"] == []


def test_ckanapi_pages_through_a_datastore_resource(ckan: RemoteCKAN, seeded: Seeded) -> None:
    first = ckan.action.datastore_search(
        resource_id=UNITS, limit=100, offset=0, sort="eid_code asc"
    )
    total = first["total"]
    assert total > 150
    seen = [r["eid_code"] for r in first["records"]]
    offset = 100
    while offset < total:
        page = ckan.action.datastore_search(
            resource_id=UNITS, limit=100, offset=offset, sort="eid_code asc"
        )
        seen += [r["eid_code"] for r in page["records"]]
        offset += 100
    assert len(seen) == total
    assert seen == sorted(seen)
    assert len(set(seen)) == total
    communes = ckan.action.datastore_search(
        resource_id=UNITS,
        filters={"kind": "UBND xã, phường, đặc khu"},
        fields=["eid_code", "name"],
        limit=5,
    )
    assert communes["total"] > 50
    assert len(communes["records"]) == 5
    assert set(communes["records"][0]) == {"_id", "eid_code", "name"}
    ninh_kieu = ckan.action.datastore_search(resource_id=UNITS, q="ninh kieu")
    assert ninh_kieu["total"] >= 1
    assert all(
        "Ninh Kiều" in r["name"] or "Ninh Kiều" in r["commune"] for r in ninh_kieu["records"]
    )
    month = ckan.action.datastore_search(
        resource_id=UNIT_MONTH, filters={"unit_code": seeded.unit_a.eid_code, "received": 40}
    )
    assert month["total"] == 1
    assert month["records"][0]["late"] is None  # small count, suppressed
    by_received = ckan.action.datastore_search(resource_id=UNIT_MONTH, sort="received desc")
    assert by_received["records"][0]["received"] == 40


def test_errors_look_like_ckans(ckan: RemoteCKAN, seeded: Seeded) -> None:
    with pytest.raises(NotFound):
        ckan.action.package_show(id="khong-co")
    with pytest.raises(NotFound):
        ckan.action.datastore_search(resource_id="khong-co")
    with pytest.raises(ValidationError) as bad:
        ckan.action.datastore_search(resource_id=UNITS, filters={"khong_co": 1})
    assert "filters" in bad.value.error_dict
    with pytest.raises(ValidationError):
        ckan.action.datastore_search(resource_id=UNITS, sort="khong_co asc")
    with pytest.raises(ValidationError):
        ckan.action.package_search(rows="nhieu")
