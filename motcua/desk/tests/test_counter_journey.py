"""The counter (issue #14 item 5): the procedure found by name or code as the officer types, the
applicant looked up in the population database through the exchange and logged with purpose,
one-step receipt when the checklist is complete, Form 02 prefilled with only what is missing,
and the national status in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.test import Client

from conftest import logged_in
from contracts.population import DEMO_CITIZEN_ID
from motcua.accounts.models import PersonalDataAccess, User
from motcua.agencies.models import Unit
from motcua.catalog.declaration import declaration_of
from motcua.catalog.models import Component, Procedure, ProcedureVersion, TimeUnit
from motcua.desk.counter import PURPOSE
from motcua.dossiers.actions import Applicant, ComponentInput, Filing, do_create_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import NATIONAL_WORDS, STATES
from motcua.dossiers.tests.factories import CITIZEN_ID, TRANSACTION_CERT, all_components
from motcua.exchange.lookups import accesses_about
from motcua.worktime.calc import TZ

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]  # the `national` fixture

COUNTER = "/desk/dossiers/new/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "procedure-matches"}


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def _post(pc: Unit, code: str = TRANSACTION_CERT, **extra: object) -> dict[str, object]:
    return {
        "procedure": code,
        "intake_ref": "TQ-TEST000001",
        "competent_unit": str(pc.pk),
        "applicant_kind": "person",
        "applicant_name": "Trần Thị Hoa",
        "applicant_id_number": CITIZEN_ID,
        "applicant_address": "Phường Ninh Kiều, Thành phố Cần Thơ",
        "result_delivery": "counter",
        "components": [str(c.component_id) for c in all_components(code)],
        **extra,
    }


@pytest.mark.parametrize(
    "typed", ["khai sinh", "đăng ký khai sinh", "dang ky khai sinh", "khai sihn"]
)
def test_the_procedure_is_found_by_name_with_or_without_diacritics_as_the_officer_types(
    officer_a: User, typed: str
) -> None:
    client = logged_in(officer_a)
    partial = client.get(COUNTER, {"procedure": typed}, **HTMX)  # type: ignore[arg-type]
    assert partial.status_code == 200
    html = partial.content.decode()
    assert "<html" not in html  # the fragment only
    assert f'href="{COUNTER}?procedure=1.001193"' in html
    # Without JavaScript the same search is a form: the full page lists the same links.
    page = client.get(COUNTER, {"procedure": typed}).content.decode()
    assert "<html" in page
    assert f'href="{COUNTER}?procedure=1.001193"' in page


@pytest.mark.parametrize("typed", ["1.001193", "1001193", " 1.001193 "])
def test_a_code_opens_the_counter_form(officer_a: User, typed: str) -> None:
    page = logged_in(officer_a).get(COUNTER, {"procedure": typed}).content.decode()
    assert 'name="intake_ref"' in page
    assert 'value="lookup"' in page
    assert 'value="receive"' in page


def test_nothing_found_says_so(officer_a: User) -> None:
    html = logged_in(officer_a).get(COUNTER, {"procedure": "zzqx"}, **HTMX).content.decode()  # type: ignore[arg-type]
    assert "Không tìm thấy thủ tục phù hợp" in html


def test_the_counter_is_for_counter_officers_only(specialist_a: User) -> None:
    assert logged_in(specialist_a).get(COUNTER, {"procedure": "khai sinh"}).status_code == 404
    anonymous = Client().get(COUNTER, {"procedure": "khai sinh"})
    assert anonymous.status_code == 302
    assert "/accounts/" in anonymous["Location"] or "login" in anonymous["Location"]


def test_the_applicant_is_looked_up_in_the_population_database_and_logged_with_purpose(
    national: National, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """R-POP-01/02 through the exchange; R-PDP-02/07: the access log holds officer, unit,
    procedure, the counter intake, the purpose and the legal basis; what was typed stays."""
    national.use("population")
    data = _post(pc_a, applicant_id_number=DEMO_CITIZEN_ID, applicant_name="", action="lookup")
    data["applicant_phone"] = "0907654321"
    response = logged_in(officer_a).post(COUNTER, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Nguyễn Thị An"' in page
    assert "Hai Bà Trưng" in page
    assert 'value="0907654321"' in page
    assert page.count(" checked") >= len(all_components(TRANSACTION_CERT))
    access = PersonalDataAccess.objects.get(subject_id_number=DEMO_CITIZEN_ID)
    assert (access.actor, access.unit, access.system) == (officer_a, psc_a, "population")
    assert (access.procedure_code, access.dossier_ref) == (TRANSACTION_CERT, "TQ-TEST000001")
    assert access.purpose == PURPOSE
    assert "66.7/2025" in access.legal_basis
    assert access.status == "ok"
    assert {"HoVaTen", "NoiOHienTai"} <= set(access.fields_returned)
    assert not Dossier.objects.filter(applicant_id_number=DEMO_CITIZEN_ID).exists()


def test_a_malformed_id_is_refused_before_anything_is_sent(
    national: National, officer_a: User, pc_a: Unit
) -> None:
    national.use("population")
    response = logged_in(officer_a).post(
        COUNTER, _post(pc_a, applicant_id_number="12345", action="lookup")
    )
    assert response.status_code == 422
    assert "Số định danh cá nhân “12345” không hợp lệ" in response.content.decode()
    assert not PersonalDataAccess.objects.filter(subject_id_number="12345").exists()


def test_an_unknown_person_is_said_plainly_and_logged(
    national: National, officer_a: User, pc_a: Unit
) -> None:
    national.use("population")
    unknown = "092099999999"
    response = logged_in(officer_a).post(
        COUNTER, _post(pc_a, applicant_id_number=unknown, action="lookup")
    )
    assert response.status_code in (404, 200)
    if response.status_code == 404:
        assert "không có số định danh này" in response.content.decode()
        assert PersonalDataAccess.objects.get(subject_id_number=unknown).status == "not_found"


def _without_declaration(pc: Unit) -> str:
    """A procedure of the commune with a published time limit and no declaration (tờ khai) to
    fill, so the one-step receipt is tested on the checklist alone."""
    versions = ProcedureVersion.objects.filter(
        implementing_units=pc, procedure__current__isnull=False
    ).exclude(time_limit_unit=TimeUnit.UNKNOWN)
    for version in versions.select_related("procedure").order_by("procedure__code_national"):
        if version.procedure.current_id != version.pk or declaration_of(version.declaration):
            continue
        if version.components.filter(is_note=False, conditional=False).count() >= 1:
            return version.procedure.code_national
    raise AssertionError("no commune procedure without a declaration")


def test_a_complete_checklist_is_received_in_one_step(officer_a: User, pc_a: Unit) -> None:
    """R-RCV-07: complete → received at once, with its code and Form 01."""
    code = _without_declaration(pc_a)
    response = logged_in(officer_a).post(COUNTER, _post(pc_a, code, action="receive"))
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Trần Thị Hoa")
    assert dossier.state == "received"
    assert dossier.code
    assert dossier.received_at is not None
    assert list(dossier.events.values_list("to_state", flat=True)) == ["submitted", "received"]


def test_an_incomplete_checklist_is_not_received_and_nothing_is_written(
    officer_a: User, pc_a: Unit
) -> None:
    data = _post(pc_a, _without_declaration(pc_a), action="receive")
    data["components"] = []
    before = Dossier.objects.count()
    response = logged_in(officer_a).post(COUNTER, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Hồ sơ còn thiếu" in page
    assert "Mẫu 02" in page
    assert Dossier.objects.count() == before
    assert 'value="Trần Thị Hoa"' in page  # what was typed is kept


def test_the_intake_lookups_are_linked_to_the_dossier_received_from_it(
    national: National, officer_a: User, pc_a: Unit
) -> None:
    """R-PDP-07: a lookup logged against the counter intake (TQ-…) before the dossier existed
    names the dossier once the intake is received, in the receipt's transaction, so the
    citizen's page of who looked at their data shows the dossier; the intake reference stays.
    Another intake's lookup, and this intake's after a failed receipt, are not touched."""
    national.use("population")
    code = _without_declaration(pc_a)
    client = logged_in(officer_a)
    lookup = _post(pc_a, code, applicant_id_number=DEMO_CITIZEN_ID, action="lookup")
    assert client.post(COUNTER, lookup).status_code == 200
    other = {**lookup, "intake_ref": "TQ-OTHER00002"}
    assert client.post(COUNTER, other).status_code == 200
    # A receipt that fails (checklist incomplete) links nothing: the transaction is undone.
    failed = _post(pc_a, code, applicant_id_number=DEMO_CITIZEN_ID, action="receive")
    failed["components"] = []
    assert client.post(COUNTER, failed).status_code == 422
    rows = PersonalDataAccess.objects.filter(subject_id_number=DEMO_CITIZEN_ID)
    assert sorted(rows.values_list("dossier_ref", flat=True)) == ["TQ-OTHER00002", "TQ-TEST000001"]

    received = _post(pc_a, code, applicant_id_number=DEMO_CITIZEN_ID, action="receive")
    assert client.post(COUNTER, received).status_code == 302
    dossier = Dossier.objects.get(applicant_id_number=DEMO_CITIZEN_ID)
    assert dossier.code
    linked = rows.get(intake_ref="TQ-TEST000001")
    assert (linked.dossier_ref, linked.status) == (dossier.code, "ok")
    untouched = rows.get(intake_ref="TQ-OTHER00002")
    assert untouched.dossier_ref == "TQ-OTHER00002"
    assert dossier.code in [a.dossier_ref for a in accesses_about(DEMO_CITIZEN_ID)]


def test_another_officers_intake_lookups_are_not_linked(
    national: National, officer_a: User, officer_b: User, pc_a: Unit
) -> None:
    """The intake reference travels in the form: a dossier received by one officer never
    takes over the lookups another officer logged under the same reference."""
    national.use("population")
    code = _without_declaration(pc_a)
    lookup = _post(pc_a, code, applicant_id_number=DEMO_CITIZEN_ID, action="lookup")
    assert logged_in(officer_b).post(COUNTER, lookup).status_code == 200
    received = _post(pc_a, code, action="receive")
    assert logged_in(officer_a).post(COUNTER, received).status_code == 302
    row = PersonalDataAccess.objects.get(subject_id_number=DEMO_CITIZEN_ID)
    assert row.dossier_ref == "TQ-TEST000001"


def test_form_02_lists_only_the_required_components_really_missing(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """R-SUP-01: the prefilled Form 02 names each missing required component in full, and
    neither the provided nor the conditional ("nếu có") ones; sent as is, it is accepted."""
    version = Procedure.objects.get(province_id=92, code_national=TRANSACTION_CERT).current
    assert version is not None
    items = list(version.components.filter(is_note=False).order_by("order"))
    required = [c for c in items if not c.conditional]
    assert len(required) >= 2
    missing, given = required[0], required[1:]
    conditional = Component.objects.filter(version=version, conditional=True, is_note=False)
    dossier = do_create_dossier(
        Filing(
            procedure_code=TRANSACTION_CERT,
            receiving_unit=psc_a,
            competent_unit=pc_a,
            channel="counter",
            components=tuple([ComponentInput(c.pk, pages=1) for c in given]),
            applicant=Applicant(kind="person", name="Lê Văn Tư", id_number=CITIZEN_ID),
        ),
        acting_user=officer_a,
    )
    client = logged_in(officer_a)
    page = client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    start = page.index('name="items"')
    text = page[page.index(">", start) + 1 : page.index("</textarea>", start)]
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith(missing.name[:40].replace("&", "&amp;").replace('"', "&quot;")[:20])
    for c in [*given, *conditional]:
        assert c.name[:60] not in text
    sent = client.post(
        f"/desk/dossiers/{dossier.pk}/act/request_supplement/",
        {"items": f"{missing.name} | Chưa nộp thành phần bắt buộc theo danh mục đã công bố"},
    )
    assert sent.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_supplement"


def test_the_national_status_is_shown_in_words(officer_a: User, psc_a: Unit, pc_a: Unit) -> None:
    assert {i.national_code for i in STATES.values()} <= set(NATIONAL_WORDS)
    dossier = do_create_dossier(
        Filing(
            procedure_code=TRANSACTION_CERT,
            receiving_unit=psc_a,
            competent_unit=pc_a,
            channel="counter",
            components=tuple(all_components(TRANSACTION_CERT)),
            applicant=Applicant(kind="person", name="Lê Văn Tư", id_number=CITIZEN_ID),
        ),
        acting_user=officer_a,
    )
    page = logged_in(officer_a).get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert "Trên Cổng Dịch vụ công quốc gia: Mới đăng ký (mã 1)" in page
    assert "Trạng thái quốc gia: 1<" not in page
