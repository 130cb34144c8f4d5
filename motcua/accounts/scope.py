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
from typing import Any

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.functional import LazyObject

from motcua.accounts.models import Role, RoleAssignment, User, second_factor_required
from motcua.agencies.models import Unit
from motcua.core.errors import PermissionDenied

PROVINCE_WIDE_ROLES = frozenset({Role.PROVINCIAL_ADMIN, Role.IOC_VIEWER})
#: Roles that work on dossiers and their documents. The operations-centre viewer is not one: it
#: sees figures and drill-downs, never a dossier's personal data or files (least privilege,
#: issue #12 item 7).
CASEWORK_ROLES = frozenset(set(Role.values) - {Role.IOC_VIEWER})


@dataclass(frozen=True)
class _Tree:
    children: dict[uuid.UUID | None, list[uuid.UUID]]
    by_province: dict[int, set[uuid.UUID]]


#: The unit trees of provinces, built once per process and kept while the province's units are
#: unchanged: ``province id -> (fingerprint, children, unit ids)``. The fingerprint (number of
#: units, latest ``updated_at``) comes with the user's assignments in the same query, so another
#: process's edit is seen on the next request; this process's own edits clear the cache at once
#: (signals below), which also covers tests that roll their units back.
_TREES: dict[
    int, tuple[tuple[object, ...], dict[uuid.UUID | None, list[uuid.UUID]], set[uuid.UUID]]
] = {}


#: The units themselves, per province, kept under the same fingerprint as the trees:
#: ``province id -> (fingerprint, {unit id: Unit})``. Read-only: callers must not change them.
_UNITS: dict[int, tuple[tuple[object, ...], dict[uuid.UUID, Unit]]] = {}


def forget_unit_trees(**_: object) -> None:
    _TREES.clear()
    _UNITS.clear()


post_save.connect(forget_unit_trees, sender=Unit, dispatch_uid="motcua.scope.unit_saved")
post_delete.connect(forget_unit_trees, sender=Unit, dispatch_uid="motcua.scope.unit_deleted")


def _kept(user: User) -> dict[str, Any]:
    """Where the per-request reads of ``user`` are kept: the ``User`` itself, also when it comes
    as ``request.user`` (lazy objects around it: the middleware's second-factor check holds the
    lazy object, ``has_perm`` predicates get the ``User`` inside; both share one read, issue
    #12 item 9)."""
    found: Any = user
    if found.__dict__.get("_wrapped", None) is not None:
        getattr(found, "pk", None)  # a lazy object: make it fetch the user
        while isinstance(found.__dict__.get("_wrapped", None), LazyObject | User):
            found = found.__dict__["_wrapped"]
    kept: dict[str, Any] = found.__dict__
    return kept


def _assignments(user: User) -> list[tuple[str, uuid.UUID, int, tuple[object, ...]]]:
    """(role, unit id, province id, the province's unit-tree fingerprint) of every assignment,
    read once per user object (request) in one query."""
    kept = _kept(user)
    cached: list[tuple[str, uuid.UUID, int, tuple[object, ...]]] | None = kept.get(
        "_motcua_assignments"
    )
    if cached is None:
        units = Unit.objects.filter(province_id=OuterRef("unit__province_id")).order_by()
        rows = RoleAssignment.objects.filter(user=user).values_list(
            "role",
            "unit_id",
            "unit__province_id",
            Subquery(units.values("province_id").annotate(n=Count("pk")).values("n")),
            Subquery(units.values("province_id").annotate(m=Max("updated_at")).values("m")),
        )
        cached = [(role, unit, province, (n, m)) for role, unit, province, n, m in rows]
        kept["_motcua_assignments"] = cached
    return cached


def role_set(user: User) -> set[str]:
    """The user's roles, from the assignments already read for this request."""
    return {role for role, _, _, _ in _assignments(user)}


def needs_second_factor(user: User) -> bool:
    """Same answer as ``User.needs_second_factor`` without a query of its own."""
    return second_factor_required(user, role_set(user))


def _tree(user: User) -> _Tree:
    """The unit tree of the user's provinces, from the per-process cache when still current."""
    tree: _Tree | None = _kept(user).get("_motcua_tree")
    if tree is None:
        marks = {province: mark for _, _, province, mark in _assignments(user)}
        stale = [p for p, mark in marks.items() if p not in _TREES or _TREES[p][0] != mark]
        if stale:
            built: dict[int, tuple[dict[uuid.UUID | None, list[uuid.UUID]], set[uuid.UUID]]] = {
                p: (defaultdict(list), set()) for p in stale
            }
            for pk, parent_id, province_id in Unit.objects.filter(
                province_id__in=stale
            ).values_list("pk", "parent_id", "province_id"):
                built[province_id][0][parent_id].append(pk)
                built[province_id][1].add(pk)
            for p, (kids, members) in built.items():
                _TREES[p] = (marks[p], dict(kids), members)
        children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
        by_province: dict[int, set[uuid.UUID]] = {}
        for p in marks:
            _, kids, members = _TREES[p]
            if len(marks) == 1:
                children = kids
            else:
                for parent, ids in kids.items():
                    children.setdefault(parent, []).extend(ids)
            by_province[p] = members
        tree = _Tree(children=children, by_province=by_province)
        _kept(user)["_motcua_tree"] = tree
    return tree


def units_by_id(user: User, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Unit]:
    """The units ``ids`` as of this request: from the per-process copy of the user's provinces
    when their fingerprint (read with the user's assignments) is unchanged, otherwise, and for
    units of other provinces, from the database. Missing ids are simply absent. The returned
    objects may be shared with other requests of this process: read them, never change them."""
    wanted = set(ids)
    found: dict[uuid.UUID, Unit] = {}
    if user.is_authenticated:
        marks = {province: mark for _, _, province, mark in _assignments(user)}
        for province, mark in marks.items():
            kept = _UNITS.get(province)
            if kept is None or kept[0] != mark:
                kept = (mark, {u.pk: u for u in Unit.objects.filter(province_id=province)})
                _UNITS[province] = kept
            found.update((pk, kept[1][pk]) for pk in wanted & kept[1].keys())
    rest = wanted - found.keys()
    if rest:
        found.update((u.pk, u) for u in Unit.objects.filter(pk__in=rest))
    return found


def units_in_scope(user: User, roles: Iterable[str] | None = None) -> frozenset[uuid.UUID]:
    """Units on which ``user`` holds one of ``roles`` (any role when None), with descendants.

    One query per request whatever the number of checks (the user's assignments); the unit
    tree of their provinces comes from the per-process cache unless a unit changed.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    wanted = set(roles) if roles is not None else None
    cache_key = frozenset(wanted) if wanted is not None else None
    cache: dict[object, frozenset[uuid.UUID]] = _kept(user).setdefault("_motcua_scope", {})
    if cache_key in cache:
        return cache[cache_key]
    chosen = [a for a in _assignments(user) if wanted is None or a[0] in wanted]
    if not chosen:
        cache[cache_key] = frozenset()
        return cache[cache_key]
    tree = _tree(user)
    found: set[uuid.UUID] = set()
    for role, _, province, _ in chosen:
        if role in PROVINCE_WIDE_ROLES:
            found |= tree.by_province.get(province, set())
    stack = [unit_id for _, unit_id, _, _ in chosen]
    visited: set[uuid.UUID] = set()
    while stack:
        pk = stack.pop()
        if pk in visited:
            continue
        visited.add(pk)
        stack.extend(tree.children.get(pk, []))
    cache[cache_key] = frozenset(found | visited)
    return cache[cache_key]


def scope_parts(
    user: User, roles: Iterable[str] | None = None
) -> tuple[frozenset[int], frozenset[uuid.UUID]]:
    """``units_in_scope(user, roles)`` in two parts: the provinces covered whole (a
    province-wide role among ``roles``: every unit of the province) and the other units in
    scope, outside those provinces. A query can then filter a whole province by a subquery on
    the unit's province instead of a list of hundreds of unit ids (issue #12 part 9)."""
    scope = units_in_scope(user, roles)
    if not scope:
        return frozenset(), scope
    wanted = set(roles) if roles is not None else None
    provinces = {
        province
        for role, _, province, _ in _assignments(user)
        if role in PROVINCE_WIDE_ROLES and (wanted is None or role in wanted)
    }
    if not provinces:
        return frozenset(), scope
    tree = _tree(user)
    whole: set[uuid.UUID] = set()
    for province in provinces:
        whole |= tree.by_province.get(province, set())
    return frozenset(provinces), frozenset(scope - whole)


def has_role(user: User, unit: Unit, roles: Iterable[str] | None = None) -> bool:
    return unit.pk in units_in_scope(user, roles)


def restrict(
    queryset: QuerySet[Unit], user: User, roles: Iterable[str] | None = None
) -> QuerySet[Unit]:
    """Only the units the user may see. Missing and forbidden then look the same (404)."""
    return queryset.filter(pk__in=units_in_scope(user, roles))


ADMIN_ROLES = (Role.UNIT_ADMIN, Role.PROVINCIAL_ADMIN)


def api_officer(request: HttpRequest) -> User:
    """The officer behind an API request (the routers' auth already refused anonymous ones);
    a citizen gets PermissionDenied. Shared by the dossiers' and documents' routers."""
    user = request.user
    assert isinstance(user, User)
    if not user.is_officer:
        raise PermissionDenied("Chức năng dành cho cán bộ.", "This endpoint is for officers.")
    return user
