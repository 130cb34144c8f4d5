"""Which units a user may see or act on. Unit-scoped access is the default (DESIGN §2).

A role assigned at unit U covers U and every unit below it in the tree, so a commune officer
covers only that commune's units. The province-wide roles (provincial admin, operations-centre
viewer) cover every unit of their province, vertical agencies such as the police included.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit

PROVINCE_WIDE_ROLES = frozenset({Role.PROVINCIAL_ADMIN, Role.IOC_VIEWER})


@dataclass(frozen=True)
class _Tree:
    children: dict[uuid.UUID | None, list[uuid.UUID]]
    by_province: dict[int, set[uuid.UUID]]


def _assignments(user: User) -> list[tuple[str, uuid.UUID, int]]:
    """(role, unit id, province id) of every assignment, read once per user object (request)."""
    cached: list[tuple[str, uuid.UUID, int]] | None = user.__dict__.get("_motcua_assignments")
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).values_list(
                "role", "unit_id", "unit__province_id"
            )
        )
        user.__dict__["_motcua_assignments"] = cached
    return cached


def _tree(user: User) -> _Tree:
    """The unit tree of the user's provinces, read once per user object (request)."""
    tree: _Tree | None = user.__dict__.get("_motcua_tree")
    if tree is None:
        provinces = {province for _, _, province in _assignments(user)}
        children: dict[uuid.UUID | None, list[uuid.UUID]] = defaultdict(list)
        by_province: dict[int, set[uuid.UUID]] = defaultdict(set)
        for pk, parent_id, province_id in Unit.objects.filter(
            province_id__in=provinces
        ).values_list("pk", "parent_id", "province_id"):
            children[parent_id].append(pk)
            by_province[province_id].add(pk)
        tree = _Tree(children=children, by_province=by_province)
        user.__dict__["_motcua_tree"] = tree
    return tree


def units_in_scope(user: User, roles: Iterable[str] | None = None) -> frozenset[uuid.UUID]:
    """Units on which ``user`` holds one of ``roles`` (any role when None), with descendants.

    Two queries per request whatever the number of checks: the user's assignments and the unit
    tree of their provinces, both kept on the user object for the request.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    wanted = set(roles) if roles is not None else None
    cache_key = frozenset(wanted) if wanted is not None else None
    cache: dict[object, frozenset[uuid.UUID]] = user.__dict__.setdefault("_motcua_scope", {})
    if cache_key in cache:
        return cache[cache_key]
    chosen = [a for a in _assignments(user) if wanted is None or a[0] in wanted]
    if not chosen:
        cache[cache_key] = frozenset()
        return cache[cache_key]
    tree = _tree(user)
    found: set[uuid.UUID] = set()
    for role, _, province in chosen:
        if role in PROVINCE_WIDE_ROLES:
            found |= tree.by_province.get(province, set())
    stack = [unit_id for _, unit_id, _ in chosen]
    visited: set[uuid.UUID] = set()
    while stack:
        pk = stack.pop()
        if pk in visited:
            continue
        visited.add(pk)
        stack.extend(tree.children.get(pk, []))
    cache[cache_key] = frozenset(found | visited)
    return cache[cache_key]


def has_role(user: User, unit: Unit, roles: Iterable[str] | None = None) -> bool:
    return unit.pk in units_in_scope(user, roles)


def restrict(
    queryset: QuerySet[Unit], user: User, roles: Iterable[str] | None = None
) -> QuerySet[Unit]:
    """Only the units the user may see. Missing and forbidden then look the same (404)."""
    return queryset.filter(pk__in=units_in_scope(user, roles))


ADMIN_ROLES = (Role.UNIT_ADMIN, Role.PROVINCIAL_ADMIN)
