"""Data reuse at the counter and the personal-data access log (issue #7 items 3 and 4), against
the population and civil-status simulators over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
import time_machine

from conftest import logged_in
from contracts.population import DEMO_CITIZEN_ID
from motcua.accounts.models import PersonalDataAccess, User
from motcua.agencies.models import Unit
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.reuse import do_fetch_component, fetchable, reuse_count
from motcua.dossiers.tests.factories import submitted
from motcua.exchange.errors import PurposeRequired, RecordNotFound
from motcua.exchange.lookups import lookup_person
from motcua.worktime.calc import TZ

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]  # the `national` fixture


@pytest.fixture
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def test_the_counter_fetches_the_id_from_the_population_database_instead_of_paper(
    national: National, tuesday: None, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN a birth registration whose ID component the population database replaces WHEN the
    counter officer fetches it THEN the component is provided "from database:population", the
    dossier keeps the response snapshot and query reference in an event, the lookup is logged
    with officer, unit, dossier, purpose, legal basis and fields, and the reuse indicator counts
    it (R-REUSE-01/05/06, R-PDP-07)."""
    national.use("population")
    dossier = submitted(officer_b, at=psc_b, competent=pc_a)
    [component] = fetchable(dossier)
    assert component.catalog_component is not None
    assert component.catalog_component.replaceable_by == "population"
    before = reuse_count(Dossier.objects.filter(pk=dossier.pk))
    assert (before.replaceable, before.fetched) == (1, 0)

    do_fetch_component(dossier, component.pk, acting_user=officer_b)

    component.refresh_from_db()
    assert (component.provided, component.source) == (True, "database:population")
    event = dossier.events.get(kind="dossier:component:fetched")
    assert event.payload["system"] == "population"
    assert event.payload["snapshot"]["SoDinhDanh"] == DEMO_CITIZEN_ID
    access = PersonalDataAccess.objects.get(pk=event.payload["access_id"])
    assert (access.actor, access.unit, access.system) == (officer_b, psc_b, "population")
    assert access.dossier_ref == str(dossier.pk)  # not received yet: no code
    assert access.purpose.startswith("Thay thế thành phần hồ sơ")
    assert "66.7/2025" in access.legal_basis
    assert {"HoVaTen", "SoDinhDanh", "ThuongTru"} <= set(access.fields_returned)
    assert access.status == "ok"
    after = reuse_count(Dossier.objects.filter(pk=dossier.pk))
    assert (after.replaceable, after.fetched, after.rate) == (1, 1, 1.0)


def test_a_lookup_without_dossier_or_purpose_is_refused_and_logged(
    national: National, officer_b: User, psc_b: Unit
) -> None:
    """GIVEN an officer with no open dossier WHEN they try to look a person up THEN nothing is
    sent and the refused attempt is on the log (R-PDP-02)."""
    national.use("civil_status")
    with pytest.raises(PurposeRequired) as refused:
        lookup_person(
            "civil_status",
            DEMO_CITIZEN_ID,
            acting_user=officer_b,
            unit=psc_b,
            dossier_ref="",
            procedure_code="",
            purpose=" ",
            legal_basis="",
        )
    assert "R-PDP-02" in refused.value.message_vi
    access = PersonalDataAccess.objects.get()
    assert (access.status, access.fields_returned) == ("refused", [])


def test_a_purpose_bound_lookup_keeps_the_registry_query_reference(
    national: National, officer_b: User, psc_b: Unit
) -> None:
    sim = national.use("civil_status")
    result = lookup_person(
        "civil_status",
        DEMO_CITIZEN_ID,
        acting_user=officer_b,
        unit=psc_b,
        dossier_ref="000.00.01.H26-260310-0001",
        procedure_code="1.004873",
        purpose="Xác nhận tình trạng hôn nhân",
        legal_basis="Luật Hộ tịch 2014",
    )
    assert result.access.remote_ref == result.found.remote_ref != ""
    assert "TinhTrangHonNhan" in result.access.fields_returned
    [entry] = sim.get("/_sim/queries", MaHoSo="000.00.01.H26-260310-0001")
    assert (entry["ma_can_bo"], entry["muc_dich"]) == (
        officer_b.username,
        "Xác nhận tình trạng hôn nhân",
    )
    assert entry["ma_don_vi"] == psc_b.eid_code


def test_an_unknown_person_is_logged_as_not_found(
    national: National, officer_b: User, psc_b: Unit
) -> None:
    national.use("population")
    with pytest.raises(RecordNotFound):
        lookup_person(
            "population",
            "001099999999",
            acting_user=officer_b,
            unit=psc_b,
            dossier_ref="x",
            procedure_code="1.001193",
            purpose="Kiểm tra",
            legal_basis="",
        )
    assert PersonalDataAccess.objects.get().status == "not_found"


def test_the_citizen_sees_who_looked_at_their_data(
    national: National, tuesday: None, citizen: User, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN an officer fetched the citizen's ID for a dossier WHEN the citizen opens "who looked
    at my data" THEN the lookup is listed with the unit and the purpose (R-PDP-07)."""
    national.use("population")
    dossier = submitted(officer_b, at=psc_b, competent=pc_a)
    [component] = fetchable(dossier)
    do_fetch_component(dossier, component.pk, acting_user=officer_b)
    page = logged_in(citizen).get("/ai-da-tra-cuu-du-lieu-cua-toi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert psc_b.name in html
    assert "Thay thế thành phần hồ sơ" in html


def test_operators_export_the_log_and_others_get_a_404(
    national: National, provincial_admin: User, officer_b: User, psc_b: Unit
) -> None:
    national.use("civil_status")
    lookup_person(
        "civil_status",
        DEMO_CITIZEN_ID,
        acting_user=officer_b,
        unit=psc_b,
        dossier_ref="HS-1",
        procedure_code="1.004873",
        purpose="Xác nhận tình trạng hôn nhân",
        legal_basis="Luật Hộ tịch 2014",
    )
    assert logged_in(officer_b).get("/trao-doi/nhat-ky-truy-cap.csv").status_code == 404
    export = logged_in(provincial_admin, verified=True).get("/trao-doi/nhat-ky-truy-cap.csv")
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("thoi_diem,can_bo,don_vi")
    assert officer_b.username in lines[1]
    assert "HS-1" in lines[1]


def test_a_component_filled_from_the_personal_data_store_counts_as_reused(
    tuesday: None, officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN a replaceable component the citizen filled from their personal data store (issue #6
    point 7) THEN the reuse indicator counts it like a database fetch (R-REUSE-04)."""
    dossier = submitted(officer_b, at=psc_b, competent=pc_a)
    [component] = fetchable(dossier)
    DossierComponent.objects.filter(pk=component.pk).update(provided=True, source="store:c1")
    counted = reuse_count(Dossier.objects.filter(pk=dossier.pk))
    assert (counted.replaceable, counted.fetched) == (1, 1)
