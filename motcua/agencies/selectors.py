from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, QuerySet, Value, When

from motcua.agencies.models import RECEIVING_KINDS, Unit, UnitKind
from motcua.core.text import fold, fold_tokens, vi_sort_key
from motcua.geo.models import Province


def service_centres(province: Province | int, query: str = "") -> QuerySet[Unit]:
    """Every counter of the province where a dossier can be handed in (R-ORG-02), the
    provincial centre and its branches first, then the commune centres by name."""
    qs = Unit.objects.filter(province=province, kind__in=RECEIVING_KINDS).select_related("commune")
    for token in fold_tokens(query):
        qs = qs.filter(name_folded__contains=token)
    # The provincial centre first, then its branches, then the commune centres by name.
    rank = Case(
        When(kind=UnitKind.PROVINCIAL_PSC, then=Value(0)),
        When(kind=UnitKind.PSC_BRANCH, then=Value(1)),
        default=Value(2),
    )
    return qs.annotate(rank=rank).order_by("rank", "name_folded")


#: Provincial units before the communes' in lists people choose from.
_KIND_RANK = {
    UnitKind.PROVINCIAL_PSC: 0,
    UnitKind.PSC_BRANCH: 1,
    UnitKind.PROVINCIAL_PC: 2,
    UnitKind.DEPARTMENT: 3,
}


def in_reading_order(units: Iterable[Unit], *, by_kind: bool = False) -> list[Unit]:
    """``units`` in Vietnamese alphabetical order (:func:`motcua.core.text.vi_sort_key`, the one
    collation of every list, issue #14 item 4); ``by_kind``: the provincial centre, its
    branches, the provincial committee and departments first, then the others by name."""

    def key(unit: Unit) -> tuple[int, object]:
        rank = _KIND_RANK.get(UnitKind(unit.kind), 9) if by_kind else 0
        return rank, vi_sort_key(unit.name)

    return sorted(units, key=key)


def centre_list(province: Province | int, query: str = "") -> list[Unit]:
    """:func:`service_centres` as people read them: provincial first, then by name."""
    return in_reading_order(service_centres(province, query), by_kind=True)


#: Among several units of the citizen's commune, the one people mean first.
_COMMUNE_PREFERENCE = (UnitKind.COMMUNE_PC, UnitKind.COMMUNE_PSC, UnitKind.COMMUNE_POLICE)


def unit_of_address(units: Iterable[Unit], address: str) -> Unit | None:
    """The unit of the commune the address names: the citizen's commune preselected on the
    e-form and the petition form (issue #14 item 4). The longest commune name wins ("Phường
    Tân An" over "Phường An"); among that commune's units the People's Committee, then its
    centre; ``None`` when the address names no commune of these units, or stays ambiguous."""
    folded = f" {fold(address)} "
    if not folded.strip():
        return None
    best = 0
    found: list[Unit] = []
    for unit in units:
        commune = unit.commune.name if unit.commune_id and unit.commune else ""
        needle = fold(commune)
        if not needle or f" {needle} " not in folded or len(needle) < best:
            continue
        if len(needle) > best:
            best, found = len(needle), []
        found.append(unit)
    if len({u.commune_id for u in found}) != 1:
        return None
    if len(found) == 1:
        return found[0]
    for kind in _COMMUNE_PREFERENCE:
        of_kind = [u for u in found if u.kind == kind]
        if len(of_kind) == 1:
            return of_kind[0]
    return None
