"""Unit-scoped access: the denials, not only the grants (issue #3, item 5)."""

from __future__ import annotations

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.accounts.scope import units_in_scope
from motcua.agencies.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_a_counter_officer_sees_their_own_centre(officer_a: User, psc_a: Unit) -> None:
    response = logged_in(officer_a).get(f"/desk/units/{psc_a.pk}/")
    assert response.status_code == 200
    assert "Trung tâm Phục vụ hành chính công phường Ninh Kiều" in response.content.decode()


def test_an_officer_of_commune_b_gets_the_same_404_as_for_a_unit_that_does_not_exist(
    officer_b: User, psc_a: Unit
) -> None:
    client = logged_in(officer_b)
    forbidden = client.get(f"/desk/units/{psc_a.pk}/")
    missing = client.get("/desk/units/00000000-0000-0000-0000-000000000000/")
    assert forbidden.status_code == missing.status_code == 404


def test_the_api_denies_another_communes_unit_exactly_like_a_missing_one(
    officer_b: User, psc_a: Unit, psc_b: Unit
) -> None:
    client = logged_in(officer_b)
    assert client.get(f"/api/v1/units/{psc_b.pk}").status_code == 200
    forbidden = client.get(f"/api/v1/units/{psc_a.pk}")
    missing = client.get("/api/v1/units/00000000-0000-0000-0000-000000000000")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert forbidden.json()["message"].startswith("Không tìm thấy đơn vị")
    listed = {u["id"] for u in client.get("/api/v1/units").json()}
    assert str(psc_b.pk) in listed
    assert str(psc_a.pk) not in listed


def test_officer_endpoints_require_login(client: object, psc_a: Unit) -> None:
    from django.test import Client

    response = Client().get(f"/api/v1/units/{psc_a.pk}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_commune_leader_covers_the_communes_centre_but_not_another_commune(
    leader_a: User, psc_a: Unit, pc_a: Unit, psc_b: Unit, pc_b: Unit
) -> None:
    scope = units_in_scope(leader_a)
    assert {psc_a.pk, pc_a.pk} <= scope
    assert psc_b.pk not in scope
    assert pc_b.pk not in scope


def test_a_provincial_admin_covers_every_unit_of_the_province(provincial_admin: User) -> None:
    assert units_in_scope(provincial_admin) == set(Unit.objects.values_list("pk", flat=True))


def test_a_department_specialist_sees_no_commune(dept_specialist: User, psc_a: Unit) -> None:
    scope = units_in_scope(dept_specialist)
    assert len(scope) == 1
    assert psc_a.pk not in scope


@pytest.mark.parametrize(
    ("persona", "perm", "unit_key", "allowed"),
    [
        ("quantri.ninhkieu", "agencies.manage_unit", "psc_a", True),
        ("quantri.ninhkieu", "agencies.manage_unit", "psc_b", False),
        ("motcua.ninhkieu", "agencies.manage_unit", "psc_a", False),
        ("motcua.ninhkieu", "accounts.receive_at_unit", "psc_a", True),
        ("motcua.ninhkieu", "accounts.receive_at_unit", "psc_b", False),
        ("motcua.caikhe", "agencies.view_unit", "psc_a", False),
        ("motcua.caikhe", "agencies.view_unit", "psc_b", True),
        ("chuyenvien.ninhkieu", "accounts.receive_at_unit", "psc_a", False),
        ("quantri.tinh", "agencies.manage_unit", "psc_b", True),
        ("ioc.tinh", "agencies.manage_unit", "psc_a", False),
        ("congdan.an", "agencies.view_unit", "psc_a", False),
    ],
)
def test_object_permissions(
    persona: str, perm: str, unit_key: str, allowed: bool, psc_a: Unit, psc_b: Unit
) -> None:
    user = User.objects.get(username=persona)
    unit = {"psc_a": psc_a, "psc_b": psc_b}[unit_key]
    assert user.has_perm(perm, unit) is allowed


def test_a_citizen_never_reaches_the_desk(citizen: User, psc_a: Unit) -> None:
    client = logged_in(citizen)
    assert client.get("/desk/").status_code == 404
    assert client.get(f"/desk/units/{psc_a.pk}/").status_code == 404


def test_only_operations_staff_see_the_board(
    ioc_viewer: User, officer_a: User, citizen: User
) -> None:
    assert logged_in(ioc_viewer).get("/ioc/").status_code == 200
    assert logged_in(officer_a).get("/ioc/").status_code == 404
    assert logged_in(citizen).get("/ioc/").status_code == 404


def test_every_commune_has_exactly_one_centre_and_one_peoples_committee() -> None:
    from motcua.geo.models import Commune

    can_tho_communes = Commune.objects.filter(province_id=92).count()
    assert (
        Unit.objects.filter(kind=UnitKind.COMMUNE_PSC, province_id=92).count() == can_tho_communes
    )
    assert Unit.objects.filter(kind=UnitKind.COMMUNE_PC, province_id=92).count() == can_tho_communes
