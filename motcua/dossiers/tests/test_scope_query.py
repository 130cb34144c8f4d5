"""The officer's scope as a query (``dossiers.selectors.in_scope``, decision 0022): a province
covered whole by a province-wide role is filtered by a subquery on the units' province, not by the
list of its hundreds of unit ids; what is visible stays exactly ``units_in_scope`` (DESIGN §2,
unit-scoped access)."""

from __future__ import annotations

import pytest
from django.db.models import Q

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.accounts.scope import CASEWORK_ROLES, scope_parts, units_in_scope
from motcua.agencies.models import Unit, UnitKind
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_visible_to, queue, search
from motcua.dossiers.tests.factories import received_in_one_step
from motcua.geo.models import Province

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as a new request reads it (the scope is cached on the user object)."""
    return User.objects.get(pk=user.pk)


def by_unit_list(user: User) -> set[str]:
    """What the scope was before: every unit id in the query."""
    scope = units_in_scope(user, CASEWORK_ROLES)
    rows = Dossier.objects.filter(
        Q(receiving_unit__in=scope) | Q(competent_unit__in=scope) | Q(return_unit__in=scope)
    )
    return {str(pk) for pk in rows.values_list("pk", flat=True)}


def visible(user: User) -> set[str]:
    return {str(pk) for pk in dossiers_visible_to(user).values_list("pk", flat=True)}


@pytest.fixture
def elsewhere(pc_a: Unit) -> Unit:
    """A unit of another province (a province-wide role of this province must not see it)."""
    other = Province.objects.exclude(pk=pc_a.province_id).first()
    assert other is not None
    return Unit.objects.create(
        province=other,
        kind=UnitKind.COMMUNE_PC,
        name="Ủy ban nhân dân xã Thử Tỉnh Khác",
        name_folded="uy ban nhan dan xa thu tinh khac",
        eid_code="X.OTHER.02",
        eid_format="QCVN102",
    )


@pytest.fixture
def dossiers(
    officer_a: User, officer_b: User, psc_a: Unit, psc_b: Unit, pc_a: Unit
) -> list[Dossier]:
    return [
        received_in_one_step(officer_a, at=psc_a, competent=pc_a, name="Nguyễn Văn Bình"),
        received_in_one_step(officer_b, at=psc_b, competent=pc_a, name="Lê Thị Hà"),
    ]


def test_a_province_wide_role_is_one_province_not_a_list_of_units(
    provincial_admin: User, officer_b: User, pc_a: Unit
) -> None:
    provinces, units = scope_parts(provincial_admin, CASEWORK_ROLES)
    assert provinces == {pc_a.province_id}
    assert units == frozenset()  # every unit in scope is in that province
    # A commune officer has no province-wide role: the unit list, as before.
    provinces, units = scope_parts(officer_b, CASEWORK_ROLES)
    assert provinces == frozenset()
    assert units == units_in_scope(officer_b, CASEWORK_ROLES)
    assert units


def test_the_province_wide_query_sends_no_unit_list(provincial_admin: User) -> None:
    sql, params = dossiers_visible_to(provincial_admin).query.sql_with_params()
    assert len(units_in_scope(provincial_admin, CASEWORK_ROLES)) > 100
    assert len(params) < 10, params
    assert "province_id" in sql


def test_the_same_dossiers_visible_as_with_the_unit_list(
    dossiers: list[Dossier],
    provincial_admin: User,
    officer_a: User,
    officer_b: User,
    elsewhere: Unit,
    psc_a: Unit,
    pc_a: Unit,
) -> None:
    # A dossier moved wholly to another province's unit: not the province's admin's.
    moved = received_in_one_step(officer_a, at=psc_a, competent=pc_a, name="Trần Anh Tuấn")
    Dossier.objects.filter(pk=moved.pk).update(
        receiving_unit=elsewhere, competent_unit=elsewhere, return_unit=elsewhere
    )
    for someone in (provincial_admin, officer_a, officer_b):
        user = fresh(someone)
        assert visible(user) == by_unit_list(user), user.username
    admin = fresh(provincial_admin)
    assert {str(d.pk) for d in dossiers} <= visible(admin)
    assert str(moved.pk) not in visible(admin)


def test_a_province_wide_role_plus_a_unit_of_another_province(
    dossiers: list[Dossier],
    provincial_admin: User,
    elsewhere: Unit,
    psc_a: Unit,
    pc_a: Unit,
    officer_a: User,
) -> None:
    RoleAssignment.objects.create(user=provincial_admin, unit=elsewhere, role=Role.UNIT_ADMIN)
    moved = received_in_one_step(officer_a, at=psc_a, competent=pc_a, name="Trần Anh Tuấn")
    Dossier.objects.filter(pk=moved.pk).update(competent_unit=elsewhere)
    admin = fresh(provincial_admin)
    provinces, units = scope_parts(admin, CASEWORK_ROLES)
    assert provinces == {psc_a.province_id}
    assert units == {elsewhere.pk}
    assert visible(admin) == by_unit_list(admin)
    assert str(moved.pk) in visible(admin)


def test_no_role_no_dossier(dossiers: list[Dossier], officer_b: User) -> None:
    RoleAssignment.objects.filter(user=officer_b).delete()
    assert visible(fresh(officer_b)) == set()


def test_the_desk_search_of_a_province_wide_admin(
    dossiers: list[Dossier], provincial_admin: User
) -> None:
    one = dossiers[1]
    assert one.code is not None
    rows = search(queue(fresh(provincial_admin), "all"), one.code)
    assert [d.pk for d in rows] == [one.pk]
    rows = search(queue(fresh(provincial_admin), "all"), "le thi ha")
    assert one.pk in {d.pk for d in rows}
