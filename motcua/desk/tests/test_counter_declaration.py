"""The counter asks the declaration (tờ khai) like the e-form, and the officers see the declared
values on the dossier page (issue #14 item 2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import BIRTH, CITIZEN_ID, all_components
from motcua.portal.tests.test_apply import BIRTH_DECLARATION
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db

MARITAL_STATUS = "1.004873"


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def _post(code: str, pc: Unit, **extra: object) -> dict[str, object]:
    return {
        "procedure": code,
        "competent_unit": str(pc.pk),
        "applicant_kind": "person",
        "applicant_name": "Trần Thị Hoa",
        "applicant_id_number": CITIZEN_ID,
        "applicant_address": "Phường Ninh Kiều, Thành phố Cần Thơ",
        "result_delivery": "counter",
        "components": [str(c.component_id) for c in all_components(code)],
        **extra,
    }


def test_the_counter_form_asks_the_declaration(officer_a: User) -> None:
    page = logged_in(officer_a).get(f"/desk/dossiers/new/?procedure={BIRTH}").content.decode()
    assert "<legend>Tờ khai</legend>" in page
    assert '<h3 class="declaration-section">Người được khai sinh</h3>' in page
    assert 'id="decl_child_birth_date" name="decl_child_birth_date" type="date"' in page


def test_a_wrong_declaration_at_the_counter_is_explained_and_nothing_is_saved(
    officer_a: User, pc_a: Unit
) -> None:
    before = Dossier.objects.count()
    data = _post(BIRTH, pc_a, **BIRTH_DECLARATION) | {
        "decl_child_full_name": "",
        "decl_child_gender": "khac",
    }
    response = logged_in(officer_a).post("/desk/dossiers/new/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Tờ khai còn mục chưa đúng" in page
    assert "Hãy nhập họ, chữ đệm và tên." in page
    assert "Giới tính: hãy chọn một trong các lựa chọn có sẵn." in page
    assert 'value="Nguyễn Thị An"' in page  # what was typed is kept
    assert Dossier.objects.count() == before


def test_identity_fields_take_the_applicant_and_the_dossier_page_shows_the_declaration(
    officer_a: User, pc_a: Unit
) -> None:
    """R-REUSE-01: the name, ID and address the officer checked are not typed twice."""
    client = logged_in(officer_a)
    data = _post(
        MARITAL_STATUS,
        pc_a,
        decl_applicant_gender="nu",
        decl_applicant_birth_date="15/02/1990",
        decl_marital_status="chua_ket_hon",
        decl_purpose="Để đăng ký kết hôn",
    )
    response = client.post("/desk/dossiers/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    dossier = Dossier.objects.get(applicant_name="Trần Thị Hoa", procedure_code=MARITAL_STATUS)
    assert dossier.declaration["applicant_full_name"] == "Trần Thị Hoa"
    assert dossier.declaration["applicant_id_number"] == CITIZEN_ID
    assert dossier.declaration["applicant_birth_date"] == "1990-02-15"
    page = client.get(response["Location"]).content.decode()
    assert "<dt>Tình trạng hôn nhân</dt><dd>Chưa đăng ký kết hôn với ai</dd>" in page
    assert "<dt>Ngày, tháng, năm sinh</dt><dd>15/02/1990</dd>" in page
