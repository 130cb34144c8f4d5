"""Open311 GeoReport v2 (issue #18): services and definitions, filing through the petitions
action with an app's key, public reads without personal data, filters, tokens, errors in the
spec's format, routing from the address, photos cleaned of their metadata."""

from __future__ import annotations

import io
import json
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit, UnitKind
from motcua.petitions.models import (
    Open311Client,
    Open311Request,
    Petition,
    PetitionEvent,
    PetitionPhoto,
)
from motcua.petitions.open311.keys import do_issue_key
from motcua.petitions.open311.public import mask_contacts
from motcua.petitions.open311.routing import commune_from_address
from motcua.petitions.tests.conftest import file

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
NAME, PHONE, EMAIL = "Trần Văn Bình", "0912345678", "binh.tran@example.vn"


@pytest.fixture
def key() -> str:
    return do_issue_key("Ứng dụng Cần Thơ Xanh")[1]


def _post(client: Client, key: str, fmt: str = "json", **fields: object) -> Any:
    data: dict[str, Any] = {
        "api_key": key,
        "service_code": "ha-tang-do-thi",
        "description": "Đèn đường trước số 12 tắt cả tuần nay, rất tối và nguy hiểm.",
        "address_string": "12 Đường Hai Bà Trưng, P. Ninh Kieu, TP Can Tho",
        "lat": "10.0339127",
        "long": "105.7870456",
        "first_name": "Trần Văn",
        "last_name": "Bình",
        "email": EMAIL,
        "phone": PHONE,
        "attribute[loai_su_co]": "den_duong",
    }
    data.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def _errors(response: Any) -> list[dict[str, Any]]:
    body = json.loads(response.content)
    assert isinstance(body, list)
    assert set(body[0]) == {"code", "description"}
    return body


def test_services_and_definitions_in_json_and_xml(client: Client) -> None:
    services = client.get(f"{BASE}/services.json").json()
    codes = [s["service_code"] for s in services]
    assert codes == ["thu-tuc-hanh-chinh", "quy-dinh-hanh-chinh", "ha-tang-do-thi"]
    assert services[2]["metadata"] is True
    assert services[1]["metadata"] is False
    xml = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert xml.tag == "services"
    assert [s.findtext("service_code") for s in xml.findall("service")] == codes
    definition = client.get(f"{BASE}/services/ha-tang-do-thi.json").json()
    attribute = definition["attributes"][0]
    assert attribute["code"] == "loai_su_co"
    assert attribute["datatype"] == "singlevaluelist"
    assert {"key": "ngap", "name": "Ngập nước"} in attribute["values"]
    xdef = ET.fromstring(client.get(f"{BASE}/services/ha-tang-do-thi.xml").content)
    assert xdef.tag == "service_definition"
    keys = [v.findtext("key") for v in xdef.findall("attributes/attribute/values/value")]
    assert "den_duong" in keys
    missing = client.get(f"{BASE}/services/khong-co.xml")
    assert missing.status_code == 404
    err = ET.fromstring(missing.content)
    assert err.tag == "errors"
    assert err.findtext("error/code") == "404"
    assert err.findtext("error/description", "").startswith("Không có dịch vụ")


def test_an_app_files_a_report_through_the_petitions_action(
    traveller: Any, client: Client, key: str, pc_a: Unit
) -> None:
    response = _post(client, key)
    assert response.status_code == 201, response.content
    created = response.json()[0]
    petition = Petition.objects.get(code=created["service_request_id"])
    assert petition.channel == "open311"
    assert petition.unit == pc_a  # "P. Ninh Kieu" without diacritics → Phường Ninh Kiều
    assert petition.commune is not None
    assert petition.commune.name == "Phường Ninh Kiều"
    assert petition.kind == "phan_anh"
    assert petition.subject == "Phản ánh hạ tầng, trật tự đô thị"
    assert petition.petitioner_name == NAME
    assert petition.petitioner_phone == PHONE
    assert str(petition.latitude) == "10.033913"
    assert petition.address.startswith("12 Đường")
    record = Open311Request.objects.get(petition=petition)
    assert record.token == created["token"]
    assert record.client.name == "Ứng dụng Cần Thơ Xanh"
    assert record.attributes == {"loai_su_co": "den_duong"}
    assert record.routed_by == "address"
    # The petitions action wrote it: the trail starts with its receipt event.
    assert PetitionEvent.objects.get(petition=petition).kind == "petition:state:received"
    assert "24/03/2026" in created["service_notice"]  # 10 working days (petitions deadline)


def test_a_retried_post_with_its_idempotency_key_files_one_report(
    traveller: Any, client: Client, key: str
) -> None:
    """Issue #12 item 6 / #18: a hotline or an app that lost the reply retries with the same
    ``Idempotency-Key``: the same report is answered, not a second one; the key reused for a
    different report is refused and files nothing."""
    before = Petition.objects.count()
    headers = {"Idempotency-Key": "hotline-call-000123"}
    data = {
        "api_key": key,
        "service_code": "ha-tang-do-thi",
        "description": "Đèn đường trước số 12 tắt cả tuần nay, rất tối và nguy hiểm.",
        "address_string": "12 Đường Hai Bà Trưng, P. Ninh Kieu, TP Can Tho",
        "first_name": "Trần Văn",
        "last_name": "Bình",
        "email": EMAIL,
        "phone": PHONE,
    }
    first = client.post(f"{BASE}/requests.json", data, headers=headers)
    again = client.post(f"{BASE}/requests.json", data, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Petition.objects.count() == before + 1
    other = client.post(
        f"{BASE}/requests.json",
        {**data, "description": "Một phản ánh khác hẳn về ổ gà."},
        headers=headers,
    )
    assert other.status_code == 400
    assert "Idempotency-Key" in _errors(other)[0]["description"]
    assert Petition.objects.count() == before + 1


def test_post_in_xml_and_the_token(traveller: Any, client: Client, key: str) -> None:
    response = _post(client, key, fmt="xml")
    assert response.status_code == 201
    root = ET.fromstring(response.content)
    token = root.findtext("request/token")
    code = root.findtext("request/service_request_id")
    assert token
    assert code
    found = client.get(f"{BASE}/tokens/{token}.json").json()
    assert found == [{"service_request_id": code, "token": token}]
    assert client.get(f"{BASE}/tokens/khong-co-token.json").status_code == 404


def test_bad_reports_get_spec_errors_and_change_nothing(
    traveller: Any, client: Client, key: str
) -> None:
    cases = [
        ({"api_key": "o311_x_y"}, 403, "Khoá api_key"),
        ({"service_code": "khong-co"}, 400, "Không có dịch vụ"),
        ({"address_string": "", "lat": "", "long": ""}, 400, "Hãy gửi vị trí"),
        ({"lat": "abc"}, 400, "Toạ độ “lat”"),
        ({"long": ""}, 400, "cả vĩ độ"),
        ({"description": "ngắn"}, 400, "Hãy mô tả"),
        ({"first_name": "", "last_name": ""}, 400, "họ và tên"),
        ({"phone": ""}, 400, "số điện thoại"),
        ({"email": "khong-phai-email"}, 400, "thư điện tử"),
        ({"media_url": "ftp://x"}, 400, "media_url"),
        ({"attribute[loai_su_co]": "bao"}, 400, "thuộc tính “loai_su_co”"),
    ]
    for fields, status, vietnamese in cases:
        response = _post(client, key, **fields)
        assert response.status_code == status, (fields, response.content)
        (error,) = _errors(response)
        assert error["code"] == status
        assert error["description"].find(vietnamese) >= 0, error
        assert " — " in error["description"]  # Vietnamese first, then English
    assert not Petition.objects.exists()
    assert not Open311Request.objects.exists()
    xml = _post(client, key, fmt="xml", service_code="khong-co")
    root = ET.fromstring(xml.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400"


def test_public_reads_show_no_personal_data(
    traveller: Any, client: Client, key: str, pc_a: Unit
) -> None:
    description = "Ổ gà lớn, gọi tôi 0912 345 678 hoặc binh.tran@example.vn để biết thêm."
    code = _post(client, key, description=description).json()[0]["service_request_id"]
    file(pc_a)  # a portal petition about a dossier: never public
    for fmt in ("json", "xml"):
        listed = client.get(f"{BASE}/requests.{fmt}")
        one = client.get(f"{BASE}/requests/{code}.{fmt}")
        for body in (listed.content.decode(), one.content.decode()):
            for secret in ("Bình", PHONE, "0912 345 678", EMAIL, "Hai Bà Trưng", "10.0339"):
                assert secret not in body, (fmt, secret)
    rows = client.get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in rows] == [code]
    row = rows[0]
    assert row["description"] == "Ổ gà lớn, gọi tôi [đã ẩn] hoặc [đã ẩn] để biết thêm."
    assert (row["lat"], row["long"]) == ("10.034", "105.787")
    assert row["address"] == "Phường Ninh Kiều, Thành phố Cần Thơ"
    assert row["status"] == "open"
    assert row["agency_responsible"] == pc_a.name
    assert row["requested_datetime"] == "2026-03-10T09:00:00+07:00"


def test_contacts_are_masked() -> None:
    assert mask_contacts("gọi +84 912.345.678 nhé") == "gọi [đã ẩn] nhé"
    assert mask_contacts("số 12 đường 3/2, năm 2026") == "số 12 đường 3/2, năm 2026"


def test_filters_by_id_service_status_and_dates(
    traveller: Any, client: Client, key: str, specialist_a: User
) -> None:
    from motcua.petitions.actions import do_answer_petition
    from motcua.petitions.tests.conftest import local

    street = _post(client, key).json()[0]["service_request_id"]
    traveller.move_to(local(3, 12))
    no_attribute: dict[str, Any] = {"attribute[loai_su_co]": None}
    rule = _post(client, key, service_code="quy-dinh-hanh-chinh", **no_attribute).json()[0][
        "service_request_id"
    ]
    do_answer_petition(
        Petition.objects.get(code=street),
        answer="Đã thay bóng đèn ngày 11/3.",
        acting_user=specialist_a,
    )

    def ids(**params: str) -> list[str]:
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [rule, street]
    assert ids(service_code="quy-dinh-hanh-chinh") == [rule]
    assert ids(status="closed") == [street]
    assert ids(status="open") == [rule]
    assert ids(status="open,closed") == [rule, street]
    assert ids(start_date="2026-03-11T00:00:00+07:00") == [rule]
    assert ids(end_date="2026-03-11") == [street]
    assert ids(service_request_id=f"{street},{rule}", status="open") == [rule, street]
    answered = client.get(f"{BASE}/requests/{street}.json").json()[0]
    assert answered["status"] == "closed"
    assert answered["status_notes"] == "Đã trả lời"
    assert answered["requested_datetime"] == "2026-03-10T09:00:00+07:00"
    assert answered["updated_datetime"] == "2026-03-12T09:00:00+07:00"  # the answer
    bad = client.get(
        f"{BASE}/requests.json", {"start_date": "2025-01-01", "end_date": "2026-03-01"}
    )
    assert bad.status_code == 400
    assert _errors(bad)[0]["code"] == 400
    assert client.get(f"{BASE}/requests.json", {"status": "x"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"start_date": "hôm qua"}).status_code == 400


def test_routing_from_the_address(can_tho: Any) -> None:
    for address in (
        "Phường Ninh Kiều, Cần Thơ",
        "12 Hai Bà Trưng, p. ninh kieu, tp can tho",
        "Ninh Kiều",
    ):
        found = commune_from_address(address, can_tho.code)
        assert found is not None, address
        assert found.name == "Phường Ninh Kiều", address
    assert commune_from_address("Hà Nội", can_tho.code) is None  # not a commune of Cần Thơ
    # Lào Cai (15) has a "Phường Lào Cai": the province's name closing an address is not it.
    assert commune_from_address("Số 5 đường Hoàng Liên, tỉnh Lào Cai", 15) is None
    assert commune_from_address("Lao Cai", 15) is None
    named = commune_from_address("Phường Lào Cai, tỉnh Lào Cai", 15)
    assert named is not None
    assert named.name == "Phường Lào Cai"


def test_coordinates_alone_go_to_the_provincial_peoples_committee(
    traveller: Any, client: Client, key: str
) -> None:
    response = _post(client, key, address_string="")
    assert response.status_code == 201
    petition = Petition.objects.get(code=response.json()[0]["service_request_id"])
    assert petition.unit.kind == UnitKind.PROVINCIAL_PC
    assert petition.commune is None
    assert petition.open311.routed_by == "province"


def test_a_dossier_code_attribute_routes_to_the_dossier_s_unit(
    traveller: Any, client: Client, key: str
) -> None:
    fields: dict[str, Any] = {
        "attribute[loai_su_co]": None,
        "attribute[dossier_code]": "KHONG-CO-HO-SO",
    }
    response = _post(client, key, service_code="thu-tuc-hanh-chinh", **fields)
    assert response.status_code == 400
    assert "Không tìm thấy hồ sơ" in _errors(response)[0]["description"]


def _photo_with_gps(size: tuple[int, int] = (3000, 2000)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 9"  # Model
    exif[0x8825] = {1: "N", 2: (10.0, 2.0, 2.0), 3: "E", 4: (105.0, 47.0, 13.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_checked_resized_and_stripped_of_metadata(
    traveller: Any, client: Client, key: str
) -> None:
    original = _photo_with_gps()
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get(0x0110) == "SecretPhone 9"  # the upload really has EXIF
    media = SimpleUploadedFile("den.jpg", original, content_type="image/jpeg")
    response = _post(client, key, media=media)
    assert response.status_code == 201, response.content
    photo = PetitionPhoto.objects.get()
    stored = photo.image.read()
    assert b"SecretPhone" not in stored
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
        assert max(image.size) == 1600
        assert image.size == (photo.width, photo.height)
    row = client.get(f"{BASE}/requests.json").json()[0]
    assert row["media_url"].endswith(f"/open311/v2/media/{photo.pk}.jpg")
    served = client.get(row["media_url"].split("testserver", 1)[1])
    assert served.status_code == 200
    assert b"SecretPhone" not in b"".join(served.streaming_content)  # type: ignore[attr-defined]


def test_photos_are_refused_by_content_and_count(
    traveller: Any, client: Client, key: str, settings: Any
) -> None:
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = _post(client, key, media=fake)
    assert response.status_code == 400
    assert "không phải PDF" in _errors(response)[0]["description"]
    settings.MOTCUA_OPEN311_MAX_PHOTOS = 1
    two = [SimpleUploadedFile(f"{i}.jpg", _photo_with_gps((40, 30))) for i in range(2)]
    response = _post(client, key, media=two)
    assert response.status_code == 400
    assert "tối đa 1 ảnh" in _errors(response)[0]["description"]
    assert not Petition.objects.exists()
    assert not PetitionPhoto.objects.exists()


def test_key_command_prints_the_key_last_and_revoke_stops_it(
    traveller: Any, client: Client
) -> None:
    out = io.StringIO()
    call_command("open311", "key", "Tổng đài 1022", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("o311_")
    assert Open311Client.objects.get().key_hash != key  # only its hash is stored
    assert key not in str(Open311Client.objects.values_list().get())
    assert _post(client, key).status_code == 201
    call_command("open311", "revoke", "Tổng đài 1022", stdout=io.StringIO())
    assert _post(client, key).status_code == 403


def test_the_admin_issues_a_key_once(traveller: Any) -> None:
    admin = User.objects.create_superuser("sieuquantri", "a@example.vn", "Mat-khau-thu-2026")
    client = logged_in(admin, verified=True)  # the admin site needs the second factor
    response = client.post(
        "/admin/petitions/open311client/add/",
        {"name": "Ứng dụng thử", "channel": "open311"},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    key = next(m for m in shown if "o311_" in m).rsplit(" ", 1)[-1]
    assert Open311Client.objects.get().name == "Ứng dụng thử"
    assert _post(Client(), key).status_code == 201


def test_an_app_is_limited_per_hour(
    traveller: Any, client: Client, key: str, settings: Any
) -> None:
    settings.MOTCUA_OPEN311_POSTS_PER_HOUR = 2
    assert [_post(client, key).status_code for _ in range(3)] == [201, 201, 429]
    (error,) = _errors(_post(client, key))
    assert error["code"] == 429
    assert error["description"].startswith("Ứng dụng đã gửi quá 2 phản ánh trong một giờ")
    other = do_issue_key("Tổng đài 1022")[1]
    assert _post(client, other).status_code == 201  # another app has its own allowance
    assert Petition.objects.count() == 3
