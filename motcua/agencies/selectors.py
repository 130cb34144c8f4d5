from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When

from motcua.agencies.models import RECEIVING_KINDS, Unit, UnitKind
from motcua.core.text import fold_tokens
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


def provincial_units(province: Province | int) -> QuerySet[Unit]:
    return Unit.objects.filter(
        province=province,
        kind__in=[
            UnitKind.PROVINCIAL_PC,
            UnitKind.DEPARTMENT,
            UnitKind.PROVINCIAL_PSC,
            UnitKind.PSC_BRANCH,
        ],
    ).order_by("kind", "name")
