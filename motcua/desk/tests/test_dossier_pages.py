"""The officer desk: queues, the counter form, a dossier's page with only the allowed actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import BIRTH, CITIZEN_ID, received, submitted
from motcua.portal.tests.test_apply import BIRTH_DECLARATION
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def test_the_counter_form_registers_and_the_dossier_page_offers_receipt(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    client = logged_in(officer_b)
    form = client.get(f"/desk/dossiers/new/?procedure={BIRTH}").content.decode()
    assert "Thủ tục đăng ký khai sinh" in form
    assert "Ủy ban nhân dân phường Ninh Kiều" in form  # the competent units to choose from
    version = Procedure.objects.get(province_id=92, code_national=BIRTH).current
    assert version is not None
    ids = [str(c.pk) for c in version.components.filter(is_note=False)]
    response = client.post(
        "/desk/dossiers/new/",
        {
            "procedure": BIRTH,
            "competent_unit": str(pc_a.pk),
            "applicant_kind": "person",
            "applicant_name": "Trần Thị Hoa",
            "applicant_id_number": CITIZEN_ID,
            "result_delivery": "counter",
            "components": ids,
            **BIRTH_DECLARATION,
        },
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Trần Thị Hoa")
    page = client.get(response["Location"]).content.decode()
    assert "Tiếp nhận (cấp Giấy tiếp nhận, Mẫu 01)" in page
    assert "Phê duyệt" not in page  # the counter officer never sees the leader's action
    client.post(f"/desk/dossiers/{dossier.pk}/act/receive/")
    dossier.refresh_from_db()
    assert dossier.state == "received"
    assert dossier.code is not None
    after = client.get(f"/desk/dossiers/{dossier.code}/").content.decode()
    assert dossier.code in after
    assert "Chuyển đến cơ quan giải quyết" in after


def test_a_bad_id_number_on_the_counter_form_is_explained_and_nothing_is_saved(
    officer_b: User, pc_a: Unit
) -> None:
    before = Dossier.objects.count()
    response = logged_in(officer_b).post(
        "/desk/dossiers/new/",
        {
            "procedure": BIRTH,
            "competent_unit": str(pc_a.pk),
            "applicant_name": "Trần Thị Hoa",
            "applicant_id_number": "123",
        },
    )
    assert response.status_code == 422
    assert "Số định danh cá nhân" in response.content.decode()
    assert Dossier.objects.count() == before


def test_queues_show_each_role_its_work(
    officer_b: User, specialist_a: User, leader_a: User, psc_b: Unit, pc_a: Unit
) -> None:
    waiting = submitted(officer_b, at=psc_b, competent=pc_a, name="Lê Văn Chờ")
    assert waiting.state == "submitted"
    counter = logged_in(officer_b).get("/desk/dossiers/?queue=to_receive").content.decode()
    assert "Lê Văn Chờ" in counter
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    logged_in(officer_b).post(f"/desk/dossiers/{dossier.pk}/act/forward/")
    appraise = logged_in(specialist_a).get("/desk/dossiers/?queue=to_appraise").content.decode()
    assert dossier.code
    assert dossier.code in appraise
    assert "Lê Văn Chờ" not in appraise  # still at commune B's counter
    home = logged_in(leader_a, verified=True).get("/desk/").content.decode()
    assert "Chờ ký duyệt" in home


def test_search_finds_by_name_without_diacritics_code_and_id(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a, name="Phạm Thị Ngọc Ánh")
    client = logged_in(officer_b)
    assert dossier.code
    for query in ("pham thi ngoc anh", "Ngọc Ánh", dossier.code, CITIZEN_ID):
        body = client.get("/desk/dossiers/", {"q": query}, HTTP_HX_REQUEST="true").content.decode()
        assert "Phạm Thị Ngọc Ánh" in body, query
        assert "<html" not in body


def test_another_communes_officer_gets_404_for_the_page_and_every_action(
    officer_a: User, officer_b: User, psc_b: Unit, pc_b: Unit
) -> None:
    """A dossier received and decided in commune B is invisible to commune A's counter."""
    dossier = received(officer_b, at=psc_b, competent=pc_b)
    client = logged_in(officer_a)
    assert client.get(f"/desk/dossiers/{dossier.pk}/").status_code == 404
    assert client.get(f"/desk/dossiers/{dossier.code}/").status_code == 404
    assert client.post(f"/desk/dossiers/{dossier.pk}/act/forward/").status_code == 404
    listed = client.get("/desk/dossiers/").content.decode()
    assert str(dossier.code) not in listed
    dossier.refresh_from_db()
    assert dossier.state == "received"


def test_an_action_refused_by_the_rules_shows_the_reason_and_changes_nothing(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    client = logged_in(officer_b)
    response = client.post(f"/desk/dossiers/{dossier.pk}/act/refuse/", {"reason": "x"}, follow=True)
    assert "Không thể chuyển hồ sơ" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "received"
