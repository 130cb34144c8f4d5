"""The public catalogue pages: /thu-tuc/, /thu-tuc/<code>/ and its checklist PDF."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from motcua.agencies.models import UnitKind
from motcua.agencies.selectors import centre_list
from motcua.catalog.checklist_pdf import checklist_pdf
from motcua.catalog.models import CompetentLevel
from motcua.catalog.selectors import procedure_detail, procedures_for
from motcua.geo.models import Province

pytestmark = pytest.mark.django_db


def test_the_list_page_shows_the_catalogue_with_its_count(client: Client) -> None:
    response = client.get("/thu-tuc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tra cứu thủ tục hành chính" in html
    assert "3103 thủ tục" in html
    assert "Trang 1/125" in html
    assert 'name="linh_vuc"' in html
    assert 'for="id_q"' in html


def test_the_search_works_without_javascript(client: Client) -> None:
    html = client.get("/thu-tuc/", {"q": "ly lich tu phap"}).content.decode()
    assert "<html" in html
    first = html.index('class="procedure-name"')
    assert "/thu-tuc/3.000333/" in html[first : first + 200]


def test_an_htmx_request_gets_only_the_results(client: Client) -> None:
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "thủ tục phù hợp với “khai sinh”" in html
    assert "/thu-tuc/1.001193/" in html


def test_each_result_shows_code_field_level_and_time_limit(client: Client) -> None:
    html = client.get("/thu-tuc/", {"q": "1.001193"}).content.decode()
    assert "1.001193" in html
    assert "Hộ tịch" in html
    assert "Cấp xã" in html
    assert "Trong ngày (tiếp nhận sau 15 giờ trả ngày làm việc tiếp theo)" in html


def test_the_level_filter_applies_on_the_page(client: Client) -> None:
    html = client.get("/thu-tuc/", {"cap": CompetentLevel.PROVINCIAL}).content.decode()
    assert "Cấp tỉnh" in html
    assert "<dd>Cấp xã</dd>" not in html


def test_pages_are_numbered_and_keep_the_filters(client: Client) -> None:
    html = client.get("/thu-tuc/", {"cap": "commune", "trang": "2"}).content.decode()
    assert "Trang 2/" in html
    assert "cap=commune&amp;trang=3" in html


def test_the_list_page_does_not_query_per_row(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    client.get("/thu-tuc/", {"q": "khai sinh"})  # builds the index once for the process
    with django_assert_max_num_queries(8):
        response = client.get("/thu-tuc/", {"q": "khai sinh", "cap": "commune"})
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        client.get("/thu-tuc/", {"trang": "3"})


def _listed_codes(html: str) -> list[str]:
    return re.findall(r'class="procedure-name" href="/thu-tuc/([^/"]+)/"', html)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"cap": CompetentLevel.COMMUNE},
        {"truc_tuyen": "any"},
        {"cap": "provincial", "dia_gioi": "on"},
    ],
)
def test_a_page_without_words_lists_what_procedures_for_orders(
    client: Client, can_tho: Province, filters: dict[str, str]
) -> None:
    """Issue #12 item 9: without words the page fetches a count and its 25 rows by national code
    (not every id); it lists exactly the slice of procedures_for's order, pages 1, 2 and last."""
    level = filters.get("cap", "")
    online = filters.get("truc_tuyen", "")
    expected = [
        v.procedure.code_national
        for v in procedures_for(
            can_tho,
            level=level,
            online=online,
            boundary_free=True if "dia_gioi" in filters else None,
        )
    ]
    assert len(expected) > 50
    last = (len(expected) + 24) // 25
    for page in (1, 2, last):
        html = client.get("/thu-tuc/", {**filters, "trang": str(page)}).content.decode()
        assert _listed_codes(html) == expected[(page - 1) * 25 : page * 25]
        assert f"{len(expected)} thủ tục" in html


def test_the_list_reads_only_the_columns_its_rows_show(
    client: Client, can_tho: Province, django_assert_num_queries: Any
) -> None:
    """The rows' versions are loaded with ``only`` (ROW_FIELDS): a column the page shows but
    did not load would cost a query per row. Four statements: the province (page shell), the
    fields in use, the count, the page's rows."""
    with django_assert_num_queries(4):
        html = client.get("/thu-tuc/", {"trang": "2"}).content.decode()
    assert len(_listed_codes(html)) == 25
    # A same-day procedure with the 15:00 cut-off (R-TIME-05) reads its province's calendar.
    field = procedure_detail(can_tho, "1.001193").field.code
    codes = [v.procedure.code_national for v in procedures_for(can_tho, field=field)]
    page = codes.index("1.001193") // 25 + 1
    client.get("/thu-tuc/", {"linh_vuc": field, "trang": str(page)})
    with django_assert_num_queries(5):  # and whether the kept calendar is still current
        html = client.get("/thu-tuc/", {"linh_vuc": field, "trang": str(page)}).content.decode()
    assert "1.001193" in _listed_codes(html)
    assert "Trong ngày (tiếp nhận sau 15 giờ trả ngày làm việc tiếp theo)" in html


def test_the_birth_registration_page_tells_what_to_bring_and_how_long(client: Client) -> None:
    """GIVEN birth registration is decided the same working day, and a dossier received after
    15:00 the next working day (R-TIME-05, DOMAIN §14 row 1) WHEN a parent opens 1.001193 THEN
    the page lists the birth certificate and says same day with the 15:00 rule."""
    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thủ tục đăng ký khai sinh" in html
    assert "Giấy chứng sinh" in html
    assert "Trong ngày (tiếp nhận sau 15 giờ trả ngày làm việc tiếp theo)" in html
    assert "Hồ sơ tiếp nhận sau 15 giờ" in html
    assert "Lưu ý khi chuẩn bị hồ sơ" in html
    assert "Có thể thay bằng dữ liệu từ CSDL quốc gia về dân cư" in html
    assert "Nếu có" in html
    assert "Miễn lệ phí khi đăng ký đúng hạn" in html
    assert "Tải danh mục hồ sơ (PDF)" in html


def test_where_to_file_shows_the_count_and_any_centre_when_boundary_free(client: Client) -> None:
    """GIVEN the province lists birth registration as boundary-free (R-ORG-03) WHEN its page is
    opened THEN it says any service centre of the province accepts it, and counts the communes."""
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "bất kỳ Trung tâm Phục vụ hành chính công nào" in html
    assert "Cơ quan giải quyết: 103 đơn vị." in html
    assert 'name="don_vi"' in html


def test_the_implementing_units_can_be_searched_without_diacritics(client: Client) -> None:
    response = client.get(
        "/thu-tuc/1.001193/",
        {"don_vi": "ninh kieu"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="units",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Ủy ban nhân dân phường Ninh Kiều" in html
    assert "Cái Khế" not in html


def test_the_certified_copy_page_quotes_an_example_fee(client: Client) -> None:
    """GIVEN certified copies cost 2,000 VND a page, 1,000 from page 3 (DOMAIN §14 row 11) WHEN
    the page shows the fee THEN a 10-page example totals 12.000 đ."""
    html = client.get("/thu-tuc/2.000815/").content.decode()
    assert "Ví dụ: bản chính 10 trang, 1 bản sao" in html
    assert "12.000 đ" in html


def test_an_unknown_code_is_not_found(client: Client) -> None:
    assert client.get("/thu-tuc/9.999999/").status_code == 404
    assert client.get("/thu-tuc/khong-co/").status_code == 404
    assert client.get("/thu-tuc/9.999999/danh-muc.pdf").status_code == 404


def test_the_checklist_pdf_is_real_vietnamese_text(can_tho: Province) -> None:
    version = procedure_detail(can_tho, "1.001193")
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(checklist_pdf(version))).pages
    )
    assert "THÀNH PHỐ CẦN THƠ" in text
    assert "DANH MỤC HỒ SƠ" in text
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Giấy chứng sinh" in text
    assert "Trong ngày (tiếp nhận sau 15 giờ trả ngày làm việc tiếp theo)" in text
    assert "Trung tâm" in text


def test_the_checklist_pdf_is_served_as_a4(client: Client) -> None:
    response = client.get("/thu-tuc/1.001193/danh-muc.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_the_home_page_links_to_the_catalogue(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'action="/thu-tuc/"' in html


def test_the_home_page_lists_every_centre_from_the_columns_it_reads(
    client: Client, can_tho: Province, django_assert_num_queries: Any
) -> None:
    """Issue #12 item 9: the centres are loaded with only the columns the list shows (name,
    kind, address, phone); one more would cost a query per centre. Two statements: the
    province (page shell) and the centres."""
    centres = centre_list(can_tho)
    with django_assert_num_queries(2):
        html = client.get("/").content.decode()
    assert html.count("<li><strong>") == len(centres) > 50
    shown = [u for u in centres if u.address]
    assert shown
    assert all(escape(u.address) in html for u in shown[:10])
    provincial = next(u for u in centres if u.kind != UnitKind.COMMUNE_PSC)
    assert html.index(escape(provincial.name)) < html.index(escape(centres[-1].name))


def test_the_procedure_page_lists_its_units_from_the_columns_it_reads(
    client: Client, can_tho: Province, django_assert_num_queries: Any
) -> None:
    """Issue #12 item 9: the implementing units are loaded with only the columns the page reads
    (name, folded name, address), without their communes; one more would cost a query per
    unit. The checklist PDF still gets whole units."""
    units = list(procedure_detail(can_tho, "1.001193").implementing_units.all())
    client.get("/thu-tuc/1.001193/")
    with django_assert_num_queries(8):
        html = client.get("/thu-tuc/1.001193/").content.decode()
    assert len(units) > 10
    assert f"{len(units)} " in html
    found = client.get("/thu-tuc/1.001193/", {"don_vi": units[0].name_folded}).content.decode()
    assert escape(units[0].name) in found
