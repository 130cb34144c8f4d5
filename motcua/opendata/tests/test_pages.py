"""Issue #17 item 6: the pages at /du-lieu-mo/ (list and search, dataset with preview, chart,
downloads, API examples) and the downloads in their three formats."""

from __future__ import annotations

import csv
import io
import json

from django.test import Client
from openpyxl import load_workbook

from motcua.opendata.tests.conftest import Seeded


def test_the_list_searches_without_diacritics(seeded: Seeded) -> None:
    client = Client()
    page = client.get("/du-lieu-mo/").content.decode()
    assert "Danh mục thủ tục hành chính" in page
    assert "Lịch làm việc" in page
    found = client.get("/du-lieu-mo/", {"q": "lich lam viec"}).content.decode()
    assert "/du-lieu-mo/lich-lam-viec/" in found
    assert "/du-lieu-mo/chi-so-766/" not in found
    grouped = client.get("/du-lieu-mo/", {"nhom": "thong-ke"}).content.decode()
    assert "/du-lieu-mo/thong-ke-ho-so/" in grouped
    assert '/du-lieu-mo/lich-lam-viec/"' not in grouped


def test_a_dataset_page_has_preview_chart_downloads_and_api_examples(seeded: Seeded) -> None:
    client = Client()
    page = client.get("/du-lieu-mo/thong-ke-ho-so/").content.decode()
    assert "<svg" in page
    assert 'role="img"' in page
    assert "/du-lieu-mo/thong-ke-ho-so/theo-don-vi-thang.csv" in page
    assert "/du-lieu-mo/thong-ke-ho-so/theo-don-vi-thang.xlsx" in page
    assert "datastore_search?resource_id=" in page
    assert "RemoteCKAN" in page
    assert seeded.unit_a.name in page  # the preview table
    other = client.get("/du-lieu-mo/thong-ke-ho-so/", {"bang": "theo-thu-tuc-thang"})
    assert "Xem trước: Theo thủ tục và tháng" in other.content.decode()
    assert client.get("/du-lieu-mo/khong-co/").status_code == 404


def test_downloads_in_csv_json_and_xlsx_agree(seeded: Seeded) -> None:
    client = Client()
    base = "/du-lieu-mo/danh-muc-thu-tuc-hanh-chinh/thu-tuc"
    response = client.get(f"{base}.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    records = json.loads(client.get(f"{base}.json").content)["records"]
    book = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content), read_only=True)
    sheet = list(book.active.iter_rows(values_only=True))
    assert len(rows) == len(records) == len(sheet) - 2 > 1000
    assert rows[0]["procedure_code"] == records[0]["procedure_code"] == sheet[2][0]
    assert sheet[0][0] == "Mã thủ tục"  # labels first, then field ids
    assert client.get(f"{base}.pdf").status_code == 404
    assert client.get("/du-lieu-mo/lich-lam-viec/ngay-dac-biet.xlsx").status_code == 404
