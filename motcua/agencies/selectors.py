from __future__ import annotations

from django.db.models import QuerySet

from motcua.agencies.models import RECEIVING_KINDS, Unit, UnitKind
from motcua.core.text import fold_tokens
from motcua.geo.models import Province


def service_centres(province: Province | int, query: str = "") -> QuerySet[Unit]:
    """Every counter of the province where a dossier can be handed in (R-ORG-02), the
    provincial centre and its branches first, then the commune centres by name."""
    qs = Unit.objects.filter(province=province, kind__in=RECEIVING_KINDS).select_related("commune")
    for token in fold_tokens(query):
        qs = qs.filter(name_folded__contains=token)
    return qs.order_by("kind", "name_folded")


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
