"""Which units a user may see or act on. Unit-scoped access is the default (DESIGN §2).

A role assigned at unit U covers U and every unit below it in the tree, so a commune officer
covers only that commune's units. The province-wide roles (provincial admin, operations-centre
viewer) cover every unit of their province, vertical agencies such as the police included.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit

PROVINCE_WIDE_ROLES = frozenset({Role.PROVINCIAL_ADMIN, Role.IOC_VIEWER})


def _children_map(province_ids: Iterable[int]) -> dict[uuid.UUID | None, list[uuid.UUID]]:
    children: dict[uuid.UUID | None, list[uuid.UUID]] = defaultdict(list)
    for pk, parent_id in Unit.objects.filter(province_id__in=list(province_ids)).values_list(
        "pk", "parent_id"
    ):
        children[parent_id].append(pk)
    return children


def units_in_scope(user: User, roles: Iterable[str] | None = None) -> frozenset[uuid.UUID]:
    """Units on which ``user`` holds one of ``roles`` (any role when None), with descendants."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    wanted = set(roles) if roles is not None else None
    cache_key = ("_scope", frozenset(wanted) if wanted is not None else None)
    cache: dict[object, frozenset[uuid.UUID]] = user.__dict__.setdefault("_motcua_scope", {})
    if cache_key in cache:
        return cache[cache_key]
    assignments = RoleAssignment.objects.filter(user=user).select_related("unit")
    chosen = [a for a in assignments if wanted is None or a.role in wanted]
    roots = [a.unit for a in chosen]
    if not roots:
        cache[cache_key] = frozenset()
        return cache[cache_key]
    children = _children_map({u.province_id for u in roots})
    found: set[uuid.UUID] = set(
        Unit.objects.filter(
            province_id__in={a.unit.province_id for a in chosen if a.role in PROVINCE_WIDE_ROLES}
        ).values_list("pk", flat=True)
    )
    stack = [u.pk for u in roots]
    seen: set[uuid.UUID] = set()
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        found.add(pk)
        stack.extend(children.get(pk, []))
    cache[cache_key] = frozenset(found)
    return cache[cache_key]


def has_role(user: User, unit: Unit, roles: Iterable[str] | None = None) -> bool:
    return unit.pk in units_in_scope(user, roles)


def restrict(
    queryset: QuerySet[Unit], user: User, roles: Iterable[str] | None = None
) -> QuerySet[Unit]:
    """Only the units the user may see. Missing and forbidden then look the same (404)."""
    return queryset.filter(pk__in=units_in_scope(user, roles))


ADMIN_ROLES = (Role.UNIT_ADMIN, Role.PROVINCIAL_ADMIN)
