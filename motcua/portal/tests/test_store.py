"""The personal data store, "Kho dữ liệu cá nhân" (issue #6 item 7; Decree 45/2020 Art. 16,
R-RES-03, R-REUSE-04, R-DIG-01): a citizen sees their signed results and the documents an
officer received, downloads them (nobody else can), and fills a later application from the
store instead of uploading again; the new dossier records where each document came from and
counts for the data-reuse indicator (R-DIG-01 codes 3 and 2)."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.documents.models import DocumentKind, SignedDocument
from motcua.dossiers.actions import (
    do_approve_dossier,
    do_forward_dossier,
    do_receive_dossier,
    do_submit_for_approval,
)
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.portal.models import Draft
from motcua.portal.tests.conftest import image_bytes, pdf_bytes
from motcua.portal.tests.test_apply import components, form_data, start_draft, upload

pytestmark = pytest.mark.django_db


def filed_online(citizen: User, pc: Unit, psc: Unit) -> Dossier:
    """An online birth registration with uploaded documents, through the e-form."""
    client = logged_in(citizen)
    url = start_draft(client)
    files = {f"file_{c.pk}": upload(f"giay-{c.pk}.pdf", pdf_bytes(2)) for c in components()}
    response = client.post(url, {**form_data(pc, psc), "action": "submit", **files})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Dossier.objects.filter(citizen=citizen).latest("submitted_at")


@pytest.fixture
def decided(
    citizen: User,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    pc_a: Unit,
    psc_a: Unit,
) -> Dossier:
    """A dossier of the citizen, received (its documents checked) and approved: its result is
    signed and kept under the citizen's ID number."""
    dossier = filed_online(citizen, pc_a, psc_a)
    do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
    do_approve_dossier(dossier, acting_user=leader_a)
    dossier.refresh_from_db()
    assert dossier.state == "result_ready"
    return dossier


def result_of(dossier: Dossier) -> SignedDocument:
    return SignedDocument.objects.get(kind=DocumentKind.RESULT, reference=dossier.code)


def stored_component(dossier: Dossier) -> DossierComponent:
    return dossier.components.exclude(file="").order_by("id").first()  # type: ignore[return-value]


@pytest.fixture
def other_citizen(db: None) -> User:
    return User.objects.create(
        username="vneid-092190000099",
        kind=User.Kind.CITIZEN,
        citizen_id="092190000099",
        full_name="Trần Văn Khác",
    )


def test_the_store_lists_the_citizens_results_and_checked_documents(
    decided: Dossier, citizen: User
) -> None:
    client = logged_in(citizen)
    assert 'href="/kho-du-lieu/"' in client.get("/ho-so-cua-toi/").content.decode()
    page = client.get("/kho-du-lieu/").content.decode()
    document = result_of(decided)
    component = stored_component(decided)
    assert "Kho dữ liệu cá nhân" in page
    assert document.title in page
    assert f"/kho-du-lieu/r{document.token}/tai-ve/" in page
    assert f"/kho-du-lieu/c{component.pk}/tai-ve/" in page
    assert decided.code is not None
    assert decided.code in page

    got = client.get(f"/kho-du-lieu/r{document.token}/tai-ve/")
    assert got.status_code == 200
    assert got["Content-Type"] == "application/pdf"
    assert got.content == document.file.open("rb").read()
    assert "attachment" in got["Content-Disposition"]
    assert "no-store" in got["Cache-Control"]
    got = client.get(f"/kho-du-lieu/c{component.pk}/tai-ve/")
    assert got.status_code == 200
    assert got.content == component.file.open("rb").read()


def test_a_document_not_yet_received_is_not_in_the_store(
    citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    dossier = filed_online(citizen, pc_a, psc_a)  # state 1: nobody checked the files yet
    component = stored_component(dossier)
    client = logged_in(citizen)
    page = client.get("/kho-du-lieu/").content.decode()
    assert "Chưa có giấy tờ nào." in page
    assert f"/kho-du-lieu/c{component.pk}/" not in page
    assert client.get(f"/kho-du-lieu/c{component.pk}/tai-ve/").status_code == 404


def test_another_citizen_can_neither_see_nor_download_nor_reuse_them(
    decided: Dossier, other_citizen: User, officer_a: User
) -> None:
    document = result_of(decided)
    component = stored_component(decided)
    client = logged_in(other_citizen)
    page = client.get("/kho-du-lieu/").content.decode()
    assert document.title not in page
    assert "Chưa có kết quả nào." in page
    for key in (f"r{document.token}", f"c{component.pk}", "r", "cabc", "x1"):
        assert client.get(f"/kho-du-lieu/{key}/tai-ve/").status_code == 404, key
    # Nor through the e-form: a foreign key in the form attaches nothing.
    url = start_draft(client)
    first = components()[0]
    response = client.post(url, {"action": "save", f"store_{first.pk}": f"r{document.token}"})
    assert response.status_code == 422
    assert "Không tìm thấy giấy tờ này trong Kho dữ liệu của bạn" in response.content.decode()
    assert not Draft.objects.get(citizen=other_citizen).files.exists()
    # An officer is sent to the desk; an anonymous visitor to the VNeID login.
    assert logged_in(officer_a).get(f"/kho-du-lieu/r{document.token}/tai-ve/").status_code == 302
    anonymous = Client().get(f"/kho-du-lieu/r{document.token}/tai-ve/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/dang-nhap/")


def test_a_later_application_reuses_a_stored_result_and_document_without_uploading(
    decided: Dossier, citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    """GIVEN a signed result and a checked document in the store WHEN the citizen picks them
    for a new application THEN no upload is asked, the new dossier's components hold copies,
    record ``store:`` as their source with R-DIG-01 codes 3 (result) and 2 (component), the
    trail names them, and they count as reused data (R-REUSE-04)."""
    document = result_of(decided)
    old_component = stored_component(decided)
    client = logged_in(citizen)
    url = start_draft(client)
    form_page = client.get(url).content.decode()
    assert "Hoặc dùng giấy tờ trong Kho dữ liệu cá nhân" in form_page
    assert f'value="r{document.token}"' in form_page
    required = components()
    assert len(required) >= 2
    first, second, *rest = required
    choices = {
        f"store_{first.pk}": f"r{document.token}",
        f"store_{second.pk}": f"c{old_component.pk}",
    }
    saved = client.post(url, {"action": "save", **choices})
    assert saved.status_code == 302
    resumed = client.get(url).content.decode()
    assert "Dùng từ Kho dữ liệu cá nhân" in resumed

    others = {f"file_{c.pk}": upload(f"giay-{c.pk}.png", image_bytes()) for c in rest}
    response = client.post(url, {**form_data(pc_a, psc_a), "action": "submit", **others})
    assert response.status_code == 302, response.content.decode()[:3000]
    new = Dossier.objects.filter(citizen=citizen).exclude(pk=decided.pk).get()
    rows = {c.catalog_component_id: c for c in new.components.all()}
    from_result, from_component = rows[first.pk], rows[second.pk]
    assert (from_result.source, from_result.digitization) == (f"store:r{document.token}", 3)
    assert (from_component.source, from_component.digitization) == (
        f"store:c{old_component.pk}",
        2,
    )
    assert from_result.provided
    assert from_component.provided
    assert from_result.file.open("rb").read() == document.file.open("rb").read()
    assert from_component.file.open("rb").read() == old_component.file.open("rb").read()
    for c in rest:
        assert (rows[c.pk].source, rows[c.pk].digitization) == ("upload", 1)
    reused = new.events.filter(kind="dossier:component:reused")
    assert reused.count() == 2
    assert {e.payload["source"] for e in reused} == {from_result.source, from_component.source}
    # The Decision 766 reuse indicator counts a dossier with an R-DIG-01 code 2 or 3 component.
    assert new.components.filter(digitization__in=(2, 3)).count() == 2
    detail = client.get(f"/ho-so-cua-toi/{new.pk}/").content.decode()
    assert "Dùng lại từ Kho dữ liệu cá nhân" in detail
