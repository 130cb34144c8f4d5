"""Scopes of the operations centre: the province, its communes (People's Committee, centre and
police together) and its departments; ``scope_of`` resolves a key and refuses anything outside
the province."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from motcua.agencies.models import Unit, UnitKind
from motcua.core.errors import NotFound
from motcua.geo.models import Province

#: Units that make up a commune's figures: its People's Committee, centre and police. A branch of
#: the provincial centre located in a commune stays provincial.
COMMUNE_KINDS = (UnitKind.COMMUNE_PC, UnitKind.COMMUNE_PSC, UnitKind.COMMUNE_POLICE)


@dataclass(frozen=True)
class Scope:
    key: str  # province | commune:<code> | unit:<uuid>
    name: str
    level: str  # province | commune | department | unit
    unit_ids: frozenset[uuid.UUID]
    commune_code: int | None = None
    everything: bool = False  # the whole province: no unit filter needed (one province per site)

    def only(self, query: QuerySet[Any], field: str) -> QuerySet[Any]:
        """``query`` restricted to this scope's units (a no-op for the whole province)."""
        if self.everything:
            return query
        return query.filter(**{f"{field}__in": list(self.unit_ids)})


def province_scope(province_id: int) -> Scope:

    province = Province.objects.get(pk=province_id)
    ids = frozenset(Unit.objects.filter(province_id=province_id).values_list("pk", flat=True))
    return Scope("province", province.name, "province", ids, everything=True)


def commune_scopes(province_id: int) -> list[Scope]:
    units: dict[int, set[uuid.UUID]] = defaultdict(set)
    names: dict[int, str] = {}
    for pk, commune_id, commune_name in Unit.objects.filter(
        province_id=province_id, kind__in=COMMUNE_KINDS, commune__isnull=False
    ).values_list("pk", "commune_id", "commune__name"):
        units[commune_id].add(pk)
        names[commune_id] = commune_name
    return [
        Scope(f"commune:{code}", names[code], "commune", frozenset(ids), commune_code=code)
        for code, ids in sorted(units.items(), key=lambda kv: names[kv[0]])
    ]


def department_scopes(province_id: int) -> list[Scope]:
    return [
        Scope(f"unit:{u.pk}", u.name, "department", frozenset({u.pk}))
        for u in Unit.objects.filter(province_id=province_id, kind=UnitKind.DEPARTMENT).order_by(
            "name"
        )
    ]


def scope_of(key: str, province_id: int) -> Scope:
    """The scope behind ``key``; NotFound for anything outside the province."""
    if key == "province":
        return province_scope(province_id)
    kind, _, ident = key.partition(":")
    if kind == "commune" and ident.isdigit():
        for scope in commune_scopes(province_id):
            if scope.commune_code == int(ident):
                return scope
    if kind == "unit":
        try:
            pk = uuid.UUID(ident)
        except ValueError:
            pk = None
        unit = Unit.objects.filter(province_id=province_id, pk=pk).first() if pk else None
        if unit is not None:
            level = "department" if unit.kind == UnitKind.DEPARTMENT else "unit"
            return Scope(f"unit:{unit.pk}", unit.name, level, frozenset({unit.pk}))
    raise NotFound("Không tìm thấy đơn vị", "Unit not found")
