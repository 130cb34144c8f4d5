"""The e-form asks the procedure's declaration (tờ khai), prefilled from the verified identity,
validated on the server with precise Vietnamese errors, kept in the draft and stored on the
dossier (issue #14 item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.models import Dossier
from motcua.portal.models import Draft, VneidIdentity
from motcua.portal.tests.conftest import image_bytes
from motcua.portal.tests.test_apply import (
    BIRTH_DECLARATION,
    components,
    form_data,
    start_draft,
    upload,
)

pytestmark = pytest.mark.django_db

JUDICIAL_RECORD = "3.000333"


def _files() -> dict[str, object]:
    return {f"file_{c.pk}": upload(f"giay-{c.pk}.png", image_bytes()) for c in components()}


def test_the_birth_e_form_asks_the_child_and_the_parents(citizen: User) -> None:
    page = logged_in(citizen).get(start_draft(logged_in(citizen))).content.decode()
    assert "Tờ khai: Tờ khai đăng ký khai sinh" in page
    for legend in ("Người được khai sinh", "Mẹ", "Cha"):
        assert f"<legend>{legend}</legend>" in page
    assert 'name="decl_child_full_name"' in page
    assert 'type="date" name="decl_child_birth_date"' in page
    assert "Để trống nếu chưa xác định được cha." in page


def test_identity_fields_are_prefilled_and_database_fields_may_stay_empty(
    citizen: User,
) -> None:
    """R-REUSE-01: the name, ID and date of birth come from VNeID; the parents' names are read
    by the agency from the population database, so the citizen may leave them empty."""
    VneidIdentity.objects.update_or_create(
        user=citizen,
        defaults={
            "sub": "test-sub-an",
            "loa": "2",
            "birth_date": "19900215",
            "address": "Phường Ninh Kiều",
            "last_login_at": timezone.now(),
        },
    )
    client = logged_in(citizen)
    page = client.get(start_draft(client, JUDICIAL_RECORD)).content.decode()
    assert 'name="decl_applicant_full_name" value="Nguyễn Thị An"' in page
    assert 'name="decl_applicant_id_number" value="092190000001"' in page
    assert 'value="1990-02-15"' in page
    assert "Có thể để trống: cơ quan giải quyết tra cứu từ CSDL quốc gia về dân cư." in page


def test_a_wrong_declaration_is_refused_with_precise_errors_and_kept_in_the_draft(
    citizen: User, pc_a: Unit, psc_a: Unit, media: Path
) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    data = {
        **form_data(pc_a, psc_a),
        "decl_child_full_name": "",
        "decl_child_birth_date": "31/02/2026",
        "decl_mother_id_number": "12345",
        "action": "submit",
        **_files(),
    }
    response = client.post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Hãy nhập họ, chữ đệm và tên." in page
    assert "Ngày, tháng, năm sinh: ngày “31/02/2026” không đúng." in page
    assert "Số định danh cá nhân: số “12345” không hợp lệ" in page
    assert not Dossier.objects.filter(citizen=citizen).exists()
    draft = Draft.objects.get(citizen=citizen, submitted_at=None)
    assert draft.data["decl_child_birth_date"] == "31/02/2026"
    assert draft.data["decl_mother_full_name"] == BIRTH_DECLARATION["decl_mother_full_name"]


def test_the_declaration_is_stored_on_the_dossier(
    citizen: User, pc_a: Unit, psc_a: Unit, media: Path
) -> None:
    client = logged_in(citizen)
    url = start_draft(client)
    response = client.post(url, {**form_data(pc_a, psc_a), "action": "submit", **_files()})
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get(citizen=citizen)
    assert dossier.declaration["child_full_name"] == "Nguyễn Minh An"
    assert dossier.declaration["child_birth_date"] == "2026-02-01"
    assert dossier.declaration["child_gender"] == "nam"
    assert "father_full_name" not in dossier.declaration
