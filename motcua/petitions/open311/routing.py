"""Which unit a report goes to, from where it is (issue #18 item 2).

The address is read part by part (split at commas): the part naming a commune of this province
— with or without diacritics, with or without "Phường"/"Xã"/"P."/"X." — routes the report to
that commune's People's Committee: it is what the citizen typed, so it comes first. Without a
recognised address, coordinates route to the commune whose boundary holds the point (boundaries
loaded by an operator, ``load_commune_boundaries``; docs/decisions/0026), else to the commune
without a loaded boundary whose centre is nearest (centres loaded by an operator,
``load_commune_centres``; none ship, see docs/decisions/0021), unless the point is in another
province's boundary, nearer another province's centre or farther than
``MOTCUA_GEO_CENTRE_MAX_KM`` from any. A
report whose place names no commune goes to the provincial People's Committee, which forwards
it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from motcua.agencies.models import Unit, UnitKind
from motcua.core.text import fold
from motcua.geo.boundaries import commune_containing
from motcua.geo.centres import nearest_commune
from motcua.geo.models import Commune, Province
from motcua.geo.selectors import search_communes
from motcua.petitions.models import Open311RoutingRule

#: Words that begin a commune's name, as typed (folded).
KIND_WORDS = ("phuong", "xa", "dac khu", "p", "x")


@dataclass(frozen=True)
class Route:
    unit: Unit | None
    commune: Commune | None
    routed_by: str  # "address" | "point" | "province" | "none" (then "rule", "dossier")


def _bare(folded: str) -> str:
    for word in KIND_WORDS:
        if folded.startswith(word + " "):
            return folded[len(word) + 1 :]
    return folded


#: Words that begin a province's name, as typed (folded).
PROVINCE_WORDS = ("thanh pho", "tinh", "tp")


def _province_bare(folded: str) -> str:
    for word in PROVINCE_WORDS:
        if folded.startswith(word + " "):
            return folded[len(word) + 1 :]
    return folded


def commune_from_address(address: str, province_id: int) -> Commune | None:
    """The one commune of the province an address names, or None when none or several do. A
    part naming the province itself ("…, Cần Thơ") is not read as a commune of the same name
    unless it says "Phường"/"Xã"."""
    province = Province.objects.filter(pk=province_id).first()
    province_name = _province_bare(province.name_folded) if province is not None else ""
    for part in reversed([p for p in address.split(",") if p.strip()]):
        folded = fold(part)
        wanted = _bare(folded)
        if not wanted or (wanted == folded and _province_bare(folded) == province_name):
            continue
        candidates = list(search_communes(wanted, province=province_id)[:20])
        exact = [c for c in candidates if _bare(c.name_folded) == wanted]
        if len(exact) == 1:
            return exact[0]
    return None


def commune_from_point(
    latitude: Decimal | float | None, longitude: Decimal | float | None, province_id: int
) -> Commune | None:
    """The commune of the province the point is in, or None: the commune whose loaded
    boundary covers it (point-in-polygon; a point in another province's boundary is outside
    this one), else the commune without a loaded boundary whose loaded centre is nearest.
    A point in no boundary when every commune of the province has one: None (the province)."""
    if latitude is None or longitude is None:
        return None
    lat, lon = float(latitude), float(longitude)
    inside = commune_containing(lat, lon)
    if inside is not None:
        return inside if inside.province_id == province_id else None
    max_km: float = settings.MOTCUA_GEO_CENTRE_MAX_KM
    return nearest_commune(lat, lon, province_id=province_id, max_km=max_km, without_boundary=True)


def route(
    address: str,
    province_id: int,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
) -> Route:
    """Where a report goes: the commune its address names, else the commune its point is in
    (loaded boundary, else nearest loaded centre), else the provincial People's Committee."""
    first: Commune | None = None
    for how in ("address", "point"):
        if how == "address":
            commune = commune_from_address(address, province_id) if address else None
        else:  # asked only when the address names no commune with a People's Committee
            commune = commune_from_point(latitude, longitude, province_id)
        if commune is None:
            continue
        first = first or commune
        unit = Unit.objects.filter(commune=commune, kind=UnitKind.COMMUNE_PC).first()
        if unit is not None:
            return Route(unit, commune, how)
    commune = first
    unit = Unit.objects.filter(province_id=province_id, kind=UnitKind.PROVINCIAL_PC).first()
    return Route(unit, commune, "province" if unit is not None else "none")


def rule_unit(service_id: int, commune: Commune | None) -> Unit | None:
    """The unit an active routing rule (admin: "Quy tắc chuyển phản ánh") sends this service's
    reports to: service and commune, then service only, then commune only; None without one."""

    rules = Open311RoutingRule.objects.filter(active=True).select_related("unit")
    tries = [rules.filter(service_id=service_id, commune__isnull=True)]
    if commune is not None:
        tries = [
            rules.filter(service_id=service_id, commune=commune),
            *tries,
            rules.filter(service__isnull=True, commune=commune),
        ]
    for query in tries:
        found = query.order_by("id").first()
        if found is not None:
            return found.unit
    return None
