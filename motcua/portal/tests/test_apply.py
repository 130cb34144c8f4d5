"""A citizen applies online (R-RCV-01 channel online, R-ONL-*): the e-form is built from the
procedure's checklist, prefilled from VNeID, saved as a draft, resumed, and submitted as a
dossier in state 1 for the chosen centre's officers, with the uploads attached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Component, Procedure
from motcua.dossiers.actions import do_receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import queue
from motcua.portal.forms import checklist
from motcua.portal.models import Draft, DraftFile
from motcua.portal.tests.conftest import image_bytes, pdf_bytes
from motcua.portal.uploads import UploadRejected, check_upload

BIRTH = "1.001193"


def components(code: str = BIRTH) -> list[Component]:
    version = Procedure.objects.get(province_id=92, code_national=code).current
    assert version is not None
    return [item.component for item in checklist(version) if item.required]


def start_draft(client: Client, code: str = BIRTH) -> str:
    response = client.get(f"/nop-ho-so/{code}/")
    assert response.status_code == 302
    return str(response["Location"])


#: The birth registration's declaration (tờ khai), as the e-form posts it.
BIRTH_DECLARATION = {
    "decl_child_full_name": "Nguyễn Minh An",
    "decl_child_gender": "nam",
    "decl_child_birth_date": "2026-02-01",
    "decl_child_birth_place": "Bệnh viện Phụ sản thành phố Cần Thơ",
    "decl_child_hometown": "Cần Thơ",
    "decl_child_ethnicity": "Kinh",
    "decl_child_nationality": "Việt Nam",
    "decl_mother_full_name": "Nguyễn Thị An",
    "decl_mother_birth_year": "1995",
    "decl_mother_ethnicity": "Kinh",
    "decl_mother_nationality": "Việt Nam",
    "decl_mother_residence": "Phường Ninh Kiều, Thành phố Cần Thơ",
    "decl_requester_relationship": "Mẹ",
}


def form_data(pc: Unit, psc: Unit, **extra: Any) -> dict[str, Any]:
    return {
        **BIRTH_DECLARATION,
        "phone": "0901234567",
        "email": "nguyenthian@example.com",
        "address": "Số 12 đường Hai Bà Trưng, Phường Ninh Kiều, Thành phố Cần Thơ",
        "summary": "Đăng ký khai sinh cho con",
        "competent_unit": str(pc.pk),
        "receiving_unit": str(psc.pk),
        "result_delivery": "online",
        "pledge": "on",
        **extra,
    }


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_the_e_form_lists_the_checklist_and_is_prefilled_from_the_identity(
    citizen: User,
) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    page = client.get(url).content.decode()
    assert "Nguyễn Thị An" in page
    assert "092190000001" in page
    assert 'value="0901234567"' in page  # phone from the account (VNeID)
    for component in components():
        assert f'name="file_{component.pk}"' in page
    # Every field has a label.
    assert page.count("<label") >= len(components()) + 5
    assert start_draft(client) == url  # resuming, not a second draft


def test_a_draft_keeps_values_and_uploads_and_submission_creates_a_state_1_dossier(
    citizen: User, officer_a: User, pc_a: Unit, psc_a: Unit, media: Path
) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    required = components()
    assert required, "the birth registration has required documents"
    first = required[0]
    saved = client.post(
        url,
        {
            "phone": "0901234567",
            "address": "Phường Ninh Kiều",
            "action": "save",
            f"file_{first.pk}": upload("to-khai.pdf", pdf_bytes(3)),
        },
    )
    assert saved.status_code == 302
    draft = Draft.objects.get(citizen=citizen, submitted_at=None)
    assert draft.data["address"] == "Phường Ninh Kiều"
    stored = DraftFile.objects.get(draft=draft, component=first)
    assert (stored.pages, stored.content_type) == (3, "application/pdf")
    resumed = client.get(url).content.decode()
    assert "Đã tải lên: to-khai.pdf (3 trang)" in resumed

    files = {f"file_{c.pk}": upload(f"giay-{c.pk}.png", image_bytes()) for c in required[1:]}
    response = client.post(url, {**form_data(pc_a, psc_a), "action": "submit", **files})
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get(citizen=citizen)
    assert response["Location"] == f"/ho-so-cua-toi/{dossier.pk}/da-nop/"  # the confirmation
    assert (dossier.state, dossier.channel) == ("submitted", "online")
    assert dossier.applicant_name == "Nguyễn Thị An"
    assert dossier.applicant_id_number == "092190000001"
    assert (dossier.receiving_unit, dossier.competent_unit) == (psc_a, pc_a)
    assert dossier.result_delivery == "online"
    rows = {c.catalog_component_id: c for c in dossier.components.all()}
    assert rows[first.pk].pages == 3
    for component in required:
        row = rows[component.pk]
        assert (row.provided, row.source, row.digitization) == (True, "upload", 1)
        assert row.file.name.startswith("dossiers/")
        assert (media / row.file.name).exists()
    assert dossier.events.get().kind == "dossier:state:submitted"
    draft.refresh_from_db()
    assert draft.dossier == dossier
    assert not DraftFile.objects.filter(draft=draft).exists()
    # The receiving centre's counter sees it in its queue; commune B's does not.
    assert dossier in queue(officer_a, "to_receive")
    # Nothing is missing for the counter: the identity document is proven by VNeID.
    present = [c for c in rows.values() if c.catalog_component_id not in {r.pk for r in required}]
    assert all(c.source in {"vneid", ""} or c.source.startswith("database:") for c in present)
    do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    dossier.refresh_from_db()
    assert dossier.state == "received"
    assert dossier.code


def test_a_submission_without_the_required_documents_says_which_are_missing(
    citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    response = client.post(url, {**form_data(pc_a, psc_a, phone="12345"), "action": "submit"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Hồ sơ chưa nộp được" in page
    assert "Hãy tải lên giấy tờ này (PDF, JPG hoặc PNG)." in page
    assert "Số điện thoại “12345” chưa đúng" in page
    assert not Dossier.objects.filter(citizen=citizen).exists()
    # What was typed is kept.
    assert Draft.objects.get(citizen=citizen).data["summary"] == "Đăng ký khai sinh cho con"


def test_a_submission_without_the_pledge_or_units_is_refused(citizen: User) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    response = client.post(url, {"phone": "0901234567", "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 422
    for message in (
        "Hãy chọn cơ quan giải quyết.",
        "Hãy chọn nơi tiếp nhận hồ sơ.",
        "Hãy nhập địa chỉ liên hệ.",
        "Hãy đánh dấu ô cam đoan trước khi nộp hồ sơ.",
    ):
        assert message in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("giay-to.pdf", b"Day khong phai PDF, chi la van ban.", "không phải PDF, JPG hoặc PNG"),
        ("cat-cut.pdf", pdf_bytes(2)[:-200], "bị hỏng hoặc tải lên chưa hết"),
        ("anh.png", image_bytes()[:60], "Không mở được ảnh"),
        ("anh.jpg", image_bytes("JPEG")[:200], "Không mở được ảnh"),
        ("rong.pdf", b"", "không có nội dung"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(UploadRejected, match=message):
        check_upload(upload(name, data))


def test_types_come_from_the_content_not_the_name() -> None:
    checked = check_upload(upload("anh-chup.pdf", image_bytes("JPEG")))
    assert (checked.content_type, checked.pages, checked.extension) == ("image/jpeg", 1, "jpg")
    assert check_upload(upload("scan.bin", pdf_bytes(4))).pages == 4


def test_files_over_the_size_limit_are_refused(settings: SettingsWrapper) -> None:
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(UploadRejected, match="vượt mức tối đa"):
        check_upload(upload("lon.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2048))


def test_a_rejected_upload_is_shown_next_to_its_field_and_nothing_is_stored(
    citizen: User,
) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    first = components()[0]
    response = client.post(
        url, {"action": "save", f"file_{first.pk}": upload("giay.pdf", b"<html>not a pdf")}
    )
    assert response.status_code == 422
    assert "không phải PDF, JPG hoặc PNG" in response.content.decode()
    assert not DraftFile.objects.exists()


def test_drafts_and_dossiers_of_another_citizen_are_not_found(
    citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    other = User.objects.create(username="congdan.khac", citizen_id="092190000009")
    intruder = logged_in(other)
    assert intruder.get(url).status_code == 404
    assert intruder.post(url, {"action": "save", "phone": "0900000000"}).status_code == 404


def test_officers_are_sent_away_from_the_citizen_pages(officer_a: User) -> None:
    response = logged_in(officer_a).get("/ho-so-cua-toi/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_draft_can_be_deleted(citizen: User) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    draft_id = url.rstrip("/").rsplit("/", 1)[-1]
    assert client.post(f"/ho-so-nhap/{draft_id}/xoa/").status_code == 302
    assert not Draft.objects.filter(pk=draft_id).exists()


def test_a_second_submission_of_the_same_e_form_lands_on_the_first_dossier(
    citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    """Issue #12 item 2: a double click or a retried request creates one dossier, and the
    citizen lands on its page both times."""
    client = logged_in(citizen)
    url = start_draft(client)
    files = {f"file_{c.pk}": upload(f"giay-{c.pk}.png", image_bytes()) for c in components()}
    first = client.post(url, {**form_data(pc_a, psc_a), "action": "submit", **files})
    assert first.status_code == 302
    dossier = Dossier.objects.get(citizen=citizen)
    files = {f"file_{c.pk}": upload(f"giay-{c.pk}.png", image_bytes()) for c in components()}
    second = client.post(url, {**form_data(pc_a, psc_a), "action": "submit", **files})
    assert second.status_code == 302
    assert first["Location"] == f"/ho-so-cua-toi/{dossier.pk}/da-nop/"  # the confirmation
    assert second["Location"] == f"/ho-so-cua-toi/{dossier.pk}/"
    assert Dossier.objects.filter(citizen=citizen).count() == 1
    assert client.get(url)["Location"] == f"/ho-so-cua-toi/{dossier.pk}/"


def test_a_draft_claimed_by_an_earlier_request_is_not_submitted_twice(
    citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    """The claim itself: the action refuses a draft another request already submitted."""
    from motcua.portal.submission import AlreadySubmitted, do_submit_draft

    client = logged_in(citizen)
    url = start_draft(client)
    files = {f"file_{c.pk}": upload(f"giay-{c.pk}.png", image_bytes()) for c in components()}
    client.post(url, {**form_data(pc_a, psc_a), "action": "submit", **files})
    draft = Draft.objects.get(citizen=citizen)
    draft.submitted_at = None  # this process still holds the draft as it read it
    with pytest.raises(AlreadySubmitted) as caught:
        do_submit_draft(
            draft,
            citizen=citizen,
            receiving_unit=psc_a,
            competent_unit=pc_a,
            phone="0901234567",
            email="",
            address="Phường Ninh Kiều",
            summary="",
            result_delivery="online",
        )
    assert caught.value.dossier_id == Dossier.objects.get(citizen=citizen).pk
    assert Dossier.objects.filter(citizen=citizen).count() == 1
