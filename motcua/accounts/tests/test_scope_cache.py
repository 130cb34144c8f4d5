"""The unit tree is kept per process, but a change to the units is seen on the next request,
whether this process made it (signals) or another one did (the fingerprint read with the
assignments)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from motcua.accounts.models import User
from motcua.accounts.scope import needs_second_factor, role_set, units_in_scope
from motcua.agencies.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as the next request sees it (the per-request caches live on the object)."""
    return User.objects.get(pk=user.pk)


def _child(parent: Unit, code: str) -> Unit:
    return Unit(
        province_id=parent.province_id,
        commune_id=parent.commune_id,
        parent=parent,
        kind=UnitKind.DEPARTMENT,
        name=f"Tổ thử {code}",
        name_folded=f"to thu {code}",
        eid_code=code,
        eid_format="QCVN102",
    )


def test_the_tree_is_read_once_per_process_and_scope_costs_one_query(
    leader_a: User, pc_a: Unit, psc_a: Unit
) -> None:
    units_in_scope(_fresh(leader_a))  # warm the tree
    user = _fresh(leader_a)
    with CaptureQueriesContext(connection) as captured:
        scope = units_in_scope(user)
        assert needs_second_factor(user)  # R-AUTH: leaders pass TOTP; same query
        units_in_scope(user, ("unit_leader",))
    assert len(captured) == 1
    assert {pc_a.pk, psc_a.pk} <= scope


def test_a_unit_added_by_another_process_is_in_scope_on_the_next_request(
    leader_a: User, pc_a: Unit, psc_b: Unit
) -> None:
    before = units_in_scope(_fresh(leader_a))
    # bulk_create sends no signal: as if another process had added the unit.
    (added,) = Unit.objects.bulk_create([_child(pc_a, "X.TEST.01")])
    after = units_in_scope(_fresh(leader_a))
    assert added.pk not in before
    assert after == before | {added.pk}
    assert psc_b.pk not in after


def test_a_unit_moved_by_another_process_leaves_the_scope_on_the_next_request(
    leader_a: User, pc_a: Unit, pc_b: Unit
) -> None:
    child = _child(pc_a, "X.TEST.02")
    child.save()
    assert child.pk in units_in_scope(_fresh(leader_a))
    # A queryset update sends no signal either; the unit's updated_at moves (as save() does).
    Unit.objects.filter(pk=child.pk).update(
        parent=pc_b, updated_at=timezone.now() + timedelta(seconds=1)
    )
    assert child.pk not in units_in_scope(_fresh(leader_a))


def test_a_unit_saved_in_this_process_is_seen_at_once(leader_a: User, pc_a: Unit) -> None:
    units_in_scope(_fresh(leader_a))
    child = _child(pc_a, "X.TEST.03")
    child.save()
    assert child.pk in units_in_scope(_fresh(leader_a))
    child.delete()
    assert child.pk not in units_in_scope(_fresh(leader_a))


def test_units_by_id_come_from_the_process_copy_and_follow_another_process_s_change(
    leader_a: User, pc_a: Unit, pc_b: Unit
) -> None:
    """The dossier API takes the request's units from here (issue #5 item 10): no query while
    the province's units are unchanged, the new name as soon as another process renames one."""
    from motcua.accounts.scope import units_by_id

    units_by_id(_fresh(leader_a), [pc_a.pk])  # warm
    user = _fresh(leader_a)
    units_in_scope(user)  # the assignments (and the fingerprint) of this request
    with CaptureQueriesContext(connection) as captured:
        found = units_by_id(user, [pc_a.pk, pc_b.pk])
    assert len(captured) == 0
    assert found[pc_a.pk].name == pc_a.name
    assert found[pc_b.pk].pk == pc_b.pk
    # A queryset update sends no signal: as if another process had renamed the unit.
    Unit.objects.filter(pk=pc_a.pk).update(
        name="Ủy ban nhân dân phường Đổi Tên", updated_at=timezone.now() + timedelta(seconds=1)
    )
    assert units_by_id(_fresh(leader_a), [pc_a.pk])[pc_a.pk].name == (
        "Ủy ban nhân dân phường Đổi Tên"
    )


def test_units_by_id_leaves_out_unknown_ids_and_reads_other_provinces(
    leader_a: User, pc_a: Unit
) -> None:
    import uuid

    from motcua.accounts.scope import units_by_id
    from motcua.geo.models import Province

    other = Province.objects.exclude(pk=pc_a.province_id).first()
    assert other is not None
    elsewhere = Unit.objects.create(
        province=other,
        kind=UnitKind.DEPARTMENT,
        name="Sở thử tỉnh khác",
        name_folded="so thu tinh khac",
        eid_code="X.OTHER.01",
        eid_format="QCVN102",
    )
    missing = uuid.uuid4()
    found = units_by_id(_fresh(leader_a), [pc_a.pk, elsewhere.pk, missing])
    assert set(found) == {pc_a.pk, elsewhere.pk}


def test_request_user_and_the_user_inside_it_share_one_read_of_the_roles(
    officer_b: User,
) -> None:
    """request.user is a lazy object around a lazy object (auth, then django-otp) around the
    User; the second-factor middleware asks the outer one, ``has_perm`` predicates get the
    User: both use the one read of the assignments (issue #12 item 9)."""
    user = _fresh(officer_b)
    request_user = SimpleLazyObject(lambda: SimpleLazyObject(lambda: user))
    with CaptureQueriesContext(connection) as captured:
        assert not needs_second_factor(request_user)  # type: ignore[arg-type]
        assert not user.has_perm("ioc.view_board")
        assert not user.has_perm("worktime.edit_calendar")
        roles = role_set(user)
    assert roles == role_set(request_user)  # type: ignore[arg-type]
    assert len([q for q in captured if "accounts_roleassignment" in q["sql"]]) == 1


@pytest.mark.parametrize(("username", "board"), [("ioc.tinh", True), ("motcua.caikhe", False)])
def test_the_page_shell_reads_the_roles_once_per_request(
    client: Client, username: str, board: bool
) -> None:
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/").content.decode()
    assert len([q for q in captured if "accounts_roleassignment" in q["sql"]]) == 1
    assert ('href="/ioc/"' in html) is board  # the board's menu item: ioc.view_board
