"""The procedures each unit implements, which are online and which are fee-bearing and payable
(R-ONL-01, R-PAY-03/05), cached per process behind a shared token."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.db.models import F

from motcua.agencies.models import Unit
from motcua.catalog.models import OnlineLevel, ProcedureVersion


@dataclass(frozen=True)
class Catalogue:
    codes: frozenset[str]
    online: frozenset[str]
    fee: frozenset[str] = frozenset()  # fee-bearing procedures (R-PAY-03)
    payable: frozenset[str] = frozenset()  # ... whose fee the catalogue computes (R-PAY-05)


_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:đồng|đ\b|vnđ)", re.IGNORECASE)


def fee_kind(fee_rules: object, fee_text: str) -> tuple[bool, bool]:
    """(fee-bearing, payable online) of a procedure version [I]: fee-bearing when a catalogue
    rule other than ``free`` exists or the published wording states an amount in đồng; payable
    through the National Portal platform when a non-free rule lets us compute the amount
    (``payments.quotes``, R-PAY-03/05). Without a rule, the fee is paid at the counter."""
    rules = fee_rules if isinstance(fee_rules, list) else []
    priced = any(isinstance(r, dict) and r.get("kind", "free") != "free" for r in rules)
    stated = not rules and bool(_AMOUNT.search(fee_text or ""))
    return priced or stated, priced


_CATALOGUES: dict[int, tuple[str, dict[uuid.UUID, Catalogue]]] = {}


def catalogue_by_unit(province_id: int) -> dict[uuid.UUID, Catalogue]:
    """Current procedure versions each unit implements and which are online (R-ONL-01). Cached
    for five minutes: the catalogue changes by import, not by the minute."""
    key = f"insights:catalogue:v3:{province_id}"
    # The shared cache holds a token; the catalogue itself stays in this process (unpickling
    # ~200 units' sets on every request cost more than the rest of the board's arithmetic).
    # Clearing the cache, or another process rebuilding it, renews the token.
    token = cache.get(key)
    local = _CATALOGUES.get(province_id)
    if token is not None and local is not None and local[0] == token:
        return local[1]
    # Raw ids are UUID objects on PostgreSQL and hex strings on SQLite: key by every form.
    versions = {
        raw: (code, level in (OnlineLevel.FULL, OnlineLevel.PARTIAL), *fee_kind(rules, text))
        for pk, code, level, rules, text in ProcedureVersion.objects.filter(
            procedure__province_id=province_id, procedure__current=F("pk")
        ).values_list("pk", "procedure__code_national", "online_level", "fee_rules", "fee_text")
        for raw in (pk, pk.hex, str(pk))
    }
    units = {
        raw: pk
        for pk in Unit.objects.filter(province_id=province_id).values_list("pk", flat=True)
        for raw in (pk, pk.hex, str(pk))
    }
    through = ProcedureVersion.implementing_units.through._meta.db_table
    allp: dict[uuid.UUID, set[str]] = defaultdict(set)
    online: dict[uuid.UUID, set[str]] = defaultdict(set)
    fee: dict[uuid.UUID, set[str]] = defaultdict(set)
    payable: dict[uuid.UUID, set[str]] = defaultdict(set)
    # Tens of thousands of (unit, version) pairs: read raw, without per-row field converters.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id, procedureversion_id FROM {through}")  # noqa: S608
        for raw_unit, version_id in cursor.fetchall():
            unit_id = units.get(raw_unit)
            found = versions.get(version_id)
            if unit_id is None or found is None:
                continue
            allp[unit_id].add(found[0])
            if found[1]:
                online[unit_id].add(found[0])
            if found[2]:
                fee[unit_id].add(found[0])
            if found[3]:
                payable[unit_id].add(found[0])
    # Units of the same kind implement the same procedures: one shared object per distinct
    # catalogue, so a scope's union (merged_catalogue) is computed once, not per commune.
    interned: dict[Catalogue, Catalogue] = {}
    result = {
        u: interned.setdefault(c, c)
        for u, c in (
            (
                u,
                Catalogue(
                    frozenset(codes), frozenset(online[u]), frozenset(fee[u]), frozenset(payable[u])
                ),
            )
            for u, codes in allp.items()
        )
    }
    if token is None:  # first after expiry or a clear: announce a new version
        token = uuid.uuid4().hex
        cache.set(key, token, 300)
    # Otherwise another process built it already: adopt its token (never overwrite it, or
    # processes would invalidate each other on every request).
    _CATALOGUES[province_id] = (token, result)
    return result


@lru_cache(maxsize=1024)
def merged_catalogue(catalogues: tuple[Catalogue, ...]) -> Catalogue:
    """The procedures of a scope: a procedure counts once, however many of its units implement
    it."""
    if len(catalogues) == 1:
        return catalogues[0]
    return Catalogue(
        frozenset().union(*(c.codes for c in catalogues)),
        frozenset().union(*(c.online for c in catalogues)),
        frozenset().union(*(c.fee for c in catalogues)),
        frozenset().union(*(c.payable for c in catalogues)),
    )
