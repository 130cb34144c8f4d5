"""Issue #14 items 1 and 6: officers open a component's file in the viewer (scoped, logged as
personal-data access, R-PDP-07); the leader previews the result, confirms and passes the
second factor again before signing; assignment, "assigned to me", consultation per agency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import logged_in
from motcua.accounts.models import PersonalDataAccess, User
from motcua.agencies.models import Unit
from motcua.desk.tests.test_digitize import paper, pdf_bytes, png_bytes, scan
from motcua.dossiers.actions import do_forward_dossier, do_submit_for_approval
from motcua.dossiers.actions.access import FILE_SYSTEM
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.selectors import queue, search
from motcua.dossiers.tests.factories import CITIZEN_ID, received
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def scanned(officer_b: User, psc_b: Unit, pc_a: Unit, *, pages: int = 2) -> tuple[Dossier, int]:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    component = paper(dossier.pk)
    scan(
        logged_in(officer_b), dossier.pk, component, pdf_bytes(pages), "giay-chung-sinh.pdf", pages
    )
    component.refresh_from_db()
    assert component.file
    return dossier, component.pk


def test_the_viewer_shows_pages_origin_and_count_and_logs_the_opening(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier, cid = scanned(officer_b, psc_b, pc_a)
    client = logged_in(officer_b)
    page = client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert f"/desk/dossiers/{dossier.pk}/components/{cid}/view/" in page
    before = PersonalDataAccess.objects.filter(system=FILE_SYSTEM).count()
    viewer = client.get(f"/desk/dossiers/{dossier.pk}/components/{cid}/view/")
    html = viewer.content.decode()
    assert viewer.status_code == 200
    assert 'data-origin="scan"' in html
    assert "<dd data-pages>2</dd>" in html
    assert html.count('class="viewer-page"') == 2
    rows = PersonalDataAccess.objects.filter(system=FILE_SYSTEM)
    assert rows.count() == before + 1
    row = rows.first()
    assert row is not None
    assert row.actor == officer_b
    assert row.unit == psc_b
    assert row.subject_id_number == CITIZEN_ID
    assert row.dossier_ref == dossier.code
    assert row.status == PersonalDataAccess.Status.OK
    image = client.get(f"/desk/dossiers/{dossier.pk}/components/{cid}/pages/1.png")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert (
        client.get(f"/desk/dossiers/{dossier.pk}/components/{cid}/pages/3.png").status_code == 404
    )


def test_an_image_component_is_served_as_it_is(officer_b: User, psc_b: Unit, pc_a: Unit) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    component = paper(dossier.pk)
    scan(logged_in(officer_b), dossier.pk, component, png_bytes(), "anh.png", 1)
    client = logged_in(officer_b)
    client.get(f"/desk/dossiers/{dossier.pk}/components/{component.pk}/view/")
    image = client.get(f"/desk/dossiers/{dossier.pk}/components/{component.pk}/pages/1.png")
    assert image["Content-Type"] == "image/png"
    assert image.content == png_bytes()


def test_page_images_need_an_opening_of_the_viewer(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier, cid = scanned(officer_b, psc_b, pc_a)
    fresh = logged_in(officer_b)  # a session that never opened the viewer: nothing unlogged
    assert fresh.get(f"/desk/dossiers/{dossier.pk}/components/{cid}/pages/1.png").status_code == 404


def test_another_units_officer_and_anonymous_are_denied_and_nothing_is_logged(
    officer_b: User, officer_a: User, citizen: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier, cid = scanned(officer_b, psc_b, pc_a)
    before = PersonalDataAccess.objects.filter(system=FILE_SYSTEM).count()
    urls = [
        f"/desk/dossiers/{dossier.pk}/components/{cid}/view/",
        f"/desk/dossiers/{dossier.pk}/components/{cid}/pages/1.png",
    ]
    # officer_a works at commune A's centre: the dossier was received at B and is not yet
    # forwarded to A's people's committee... A's one-stop officer has no role on it.
    for url in urls:
        assert logged_in(officer_a).get(url).status_code == 404
        assert logged_in(citizen).get(url).status_code == 404
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert "/accounts/login/" in anonymous["Location"]
    assert PersonalDataAccess.objects.filter(system=FILE_SYSTEM).count() == before


def _at_signature(officer_b: User, specialist_a: User, psc_b: Unit, pc_a: Unit) -> Dossier:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    dossier.refresh_from_db()
    do_submit_for_approval(
        dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ điều kiện"
    )
    dossier.refresh_from_db()
    return dossier


def _code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    key = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{key.token():0{device.digits}d}"


def test_the_leader_signs_only_after_preview_confirmation_and_a_fresh_code(
    officer_b: User, specialist_a: User, leader_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = _at_signature(officer_b, specialist_a, psc_b, pc_a)
    client = logged_in(leader_a, verified=True)
    approve = f"/desk/dossiers/{dossier.pk}/act/approve/"

    page = client.post(approve, {"confirm": "on", "otp": _code(leader_a)}, follow=True)
    assert "Hãy xem trước văn bản kết quả trước khi ký." in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_signature"

    preview = client.get(f"/desk/dossiers/{dossier.pk}/preview/")
    assert preview.status_code == 200
    assert "Bản xem trước" in preview.content.decode()
    image = client.get(f"/desk/dossiers/{dossier.pk}/preview/1.png")
    assert image.content.startswith(b"\x89PNG")

    page = client.post(approve, {"otp": _code(leader_a)}, follow=True)
    assert "Hãy đánh dấu xác nhận" in page.content.decode()
    page = client.post(approve, {"confirm": "on", "otp": "000000"}, follow=True)
    assert "Mã xác thực không đúng" in page.content.decode()
    page = client.post(approve, {"confirm": "on"}, follow=True)
    assert "Hãy nhập mã xác thực" in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_signature"

    # A minute later (django-otp throttles after the wrong code), the right code signs.
    with time_machine.travel(datetime(2026, 3, 10, 9, 1, tzinfo=TZ), tick=False):
        client.post(approve, {"confirm": "on", "otp": _code(leader_a)})
    dossier.refresh_from_db()
    assert dossier.state == "result_ready"


def test_the_preview_is_only_for_the_competent_units_leader(
    officer_b: User, specialist_a: User, officer_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = _at_signature(officer_b, specialist_a, psc_b, pc_a)
    for user in (specialist_a, officer_b, officer_a):
        assert logged_in(user).get(f"/desk/dossiers/{dossier.pk}/preview/").status_code == 404
    assert Client().get(f"/desk/dossiers/{dossier.pk}/preview/").status_code == 302


def test_the_leader_assigns_and_the_specialist_finds_it_in_assigned_to_me(
    officer_b: User, specialist_a: User, leader_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    assert not queue(specialist_a, "mine").filter(pk=dossier.pk).exists()
    leader = logged_in(leader_a, verified=True)
    page = leader.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert "Phân công thẩm định" in page
    leader.post(f"/desk/dossiers/{dossier.pk}/assign/", {"specialist": str(specialist_a.pk)})
    dossier.refresh_from_db()
    assert dossier.assigned_to == specialist_a
    assert dossier.events.filter(kind="dossier:assignee:changed").exists()
    assert queue(specialist_a, "mine").filter(pk=dossier.pk).exists()
    listing = logged_in(specialist_a).get("/desk/dossiers/?queue=mine").content.decode()
    assert str(dossier.code) in listing


def test_a_specialist_cannot_assign_and_a_stranger_gets_404(
    officer_b: User, specialist_a: User, officer_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    page = logged_in(specialist_a).post(
        f"/desk/dossiers/{dossier.pk}/assign/", {"specialist": str(specialist_a.pk)}, follow=True
    )
    assert "Hãy chọn chuyên viên" in page.content.decode()
    response = logged_in(officer_a).post(
        f"/desk/dossiers/{dossier.pk}/assign/", {"specialist": str(specialist_a.pk)}
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.assigned_to is None


def test_consultation_with_a_deadline_per_agency_and_the_answer_from_the_desk(
    officer_b: User, specialist_a: User, dept_specialist: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    client = logged_in(specialist_a)
    page = client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert "Lấy ý kiến cơ quan liên quan" in page
    dept = Unit.objects.get(pk=dept_specialist.role_assignments.get().unit_id)
    client.post(
        f"/desk/dossiers/{dossier.pk}/consult/",
        {
            "agency": [str(dept.pk), "", ""],
            "question": ["Xác minh giấy chứng sinh", "", ""],
            "days": ["2", "3", "3"],
        },
    )
    dossier.refresh_from_db()
    assert dossier.state == "in_consultation"
    consultation = Consultation.objects.get(dossier=dossier)
    assert consultation.agency == dept
    page = client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert "hạn trả lời" in page
    assert f"{consultation.deadline.astimezone(TZ):%H:%M %d/%m/%Y}" in page

    home = logged_in(dept_specialist).get("/desk/").content.decode()
    assert "Xác minh giấy chứng sinh" in home
    logged_in(dept_specialist).post(
        f"/desk/consultations/{consultation.pk}/answer/", {"answer": "Giấy chứng sinh hợp lệ"}
    )
    dossier.refresh_from_db()
    assert dossier.state == "in_appraisal"


def test_an_empty_consultation_is_refused_and_a_stranger_cannot_answer(
    officer_b: User, specialist_a: User, officer_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_b, at_unit=psc_b)
    page = logged_in(specialist_a).post(
        f"/desk/dossiers/{dossier.pk}/consult/",
        {"agency": ["", "", ""], "question": ["", "", ""], "days": ["3", "3", "3"]},
        follow=True,
    )
    assert "Mỗi cơ quan được lấy ý kiến" in page.content.decode()
    assert not Consultation.objects.filter(dossier=dossier).exists()
    assert logged_in(officer_a).post("/desk/consultations/999999/answer/").status_code == 404


def test_search_by_full_code_uses_the_exact_match(officer_b: User, psc_b: Unit, pc_a: Unit) -> None:
    first = received(officer_b, at=psc_b, competent=pc_a)
    received(officer_b, at=psc_b, competent=pc_a, name="Lê Văn Hai")
    assert first.code is not None
    qs = queue(officer_b, "all")
    found = search(qs, first.code.lower())
    assert list(found) == [first]
    assert "LIKE" not in str(found.query)
    partial = search(qs, first.code[:-2])
    assert first in partial
