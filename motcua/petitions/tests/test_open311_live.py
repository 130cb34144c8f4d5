"""Open311 driven with a real third-party client (issue #18 "done when"): ``georeport`` (PyPI)
reads the services, a service definition and the reports in JSON and XML from a live server on
127.0.0.1, and reports are filed with a form-encoded POST the way an app does — with
``requests``, since georeport 0.3.1 only reads.

The live server runs in a thread on the test's own database connection (as Django's test client
does), so it sees the seeded province inside the test's transaction and nothing is committed or
flushed: no transactional test, no ordering constraints with the rest of the suite."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from georeport import GeoReport

from motcua.petitions.models import Petition
from motcua.petitions.open311.keys import do_issue_key

pytestmark = pytest.mark.django_db


def _file_as_an_app(url: str, key: str, **fields: str) -> dict[str, Any]:
    form = {
        "api_key": key,
        "service_code": "ha-tang-do-thi",
        "description": "Nước ngập sâu sau cơn mưa chiều, xe máy không qua được.",
        "address_string": "Đường 30/4, Phường Ninh Kiều, Cần Thơ",
        "lat": "10.0301",
        "long": "105.7722",
        "first_name": "Lê",
        "last_name": "Thị Cúc",
        "phone": "0987654321",
        "email": "cuc.le@example.vn",
        "attribute[loai_su_co]": "ngap",
        **fields,
    }
    response = requests.post(f"{url}/requests.json", data=form, timeout=30)
    assert response.status_code == 201, response.text
    assert response.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    created: dict[str, Any] = response.json()[0]
    return created


def test_georeport_reads_what_an_app_filed_on_a_live_server(traveller: Any, live_url: str) -> None:
    key = do_issue_key("Ứng dụng Cần Thơ Xanh")[1]
    flood = _file_as_an_app(live_url, key)
    rule = _file_as_an_app(
        live_url,
        key,
        service_code="quy-dinh-hanh-chinh",
        description="Đề nghị bỏ yêu cầu nộp bản sao có chứng thực khi đã có dữ liệu dân cư.",
    )
    assert Petition.objects.filter(channel="open311").count() == 2

    for fmt in ("json", "xml"):
        client = GeoReport(live_url, output_format=fmt)
        services = client.get_service_list()
        assert [s["service_code"] for s in services] == [
            "thu-tuc-hanh-chinh",
            "quy-dinh-hanh-chinh",
            "ha-tang-do-thi",
        ]
        assert services[2]["service_name"] == "Phản ánh hạ tầng, trật tự đô thị"
        definition = client.get_service_definition("ha-tang-do-thi")
        assert definition["service_code"] == "ha-tang-do-thi"

        reports = client.get_service_requests()
        assert [r["service_request_id"] for r in reports] == [
            rule["service_request_id"],
            flood["service_request_id"],
        ]
        only_open_floods = client.get_service_requests(service_code="ha-tang-do-thi", status="open")
        # georeport returns the single <request> of an XML list as a dict, JSON as a list.
        if isinstance(only_open_floods, dict):
            only_open_floods = [only_open_floods]
        assert [r["service_request_id"] for r in only_open_floods] == [flood["service_request_id"]]
        one = client.get_service_request(flood["service_request_id"])
        assert one["status"] == "open"
        assert one["address"] == "Phường Ninh Kiều, Thành phố Cần Thơ"
        assert one["agency_responsible"] == "Ủy ban nhân dân phường Ninh Kiều"
        text = repr(reports) + repr(one)
        for personal in ("Cúc", "0987654321", "cuc.le@example.vn", "Đường 30/4"):
            assert personal not in text, (fmt, personal)

    bad = requests.post(f"{live_url}/requests.xml", data={"api_key": "sai"}, timeout=30)
    assert bad.status_code == 403
    assert bad.text.find("<errors><error><code>403</code>") >= 0
