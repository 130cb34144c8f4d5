"""Object permissions (``rules``) over role assignments.

Checked with ``user.has_perm(name, obj)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.permissions import add_perm as _add_perm
from rules.predicates import Predicate
from rules.predicates import predicate as _predicate

from motcua.accounts.models import Role, User
from motcua.accounts.scope import has_role, role_set
from motcua.agencies.models import Unit


def predicate(fn: Callable[..., bool]) -> Predicate:
    """Typed front of ``rules.predicate`` (the package ships no type hints)."""
    result: Predicate = _predicate(fn)  # type: ignore[no-untyped-call]
    return result


def add_perm(name: str, pred: Any) -> None:
    _add_perm(name, pred)  # type: ignore[no-untyped-call]


@predicate
def is_officer(user: User) -> bool:
    return bool(user.is_authenticated and user.is_officer)


@predicate
def works_in_unit(user: User, unit: Unit | None) -> bool:
    return unit is not None and has_role(user, unit)


@predicate
def administers_unit(user: User, unit: Unit | None) -> bool:
    return unit is not None and has_role(user, unit, (Role.UNIT_ADMIN, Role.PROVINCIAL_ADMIN))


@predicate
def receives_at_unit(user: User, unit: Unit | None) -> bool:
    return unit is not None and has_role(user, unit, (Role.ONE_STOP_OFFICER,))


# The two below read the user's roles from the assignments the request has already read
# (``scope.role_set``: one query per request, shared with the second-factor check and the scope
# checks) instead of a query each: the page shell asks both on every officer page (issue #12
# item 9).


@predicate
def watches_province(user: User) -> bool:
    return bool(user.is_authenticated and role_set(user) & {Role.IOC_VIEWER, Role.PROVINCIAL_ADMIN})


@predicate
def is_provincial_admin(user: User) -> bool:
    return bool(user.is_authenticated and Role.PROVINCIAL_ADMIN in role_set(user))


add_perm("worktime.edit_calendar", is_officer & is_provincial_admin)
add_perm("agencies.view_unit", is_officer & works_in_unit)
add_perm("agencies.manage_unit", is_officer & administers_unit)
add_perm("accounts.manage_staff", is_officer & administers_unit)
add_perm("accounts.receive_at_unit", is_officer & receives_at_unit)
add_perm("ioc.view_board", is_officer & watches_province)
