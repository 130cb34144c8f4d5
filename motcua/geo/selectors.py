from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.core.text import fold_tokens
from motcua.geo.models import Commune, Province


def search_communes(query: str, *, province: Province | int | None = None) -> QuerySet[Commune]:
    """Communes whose name contains every typed word, with or without diacritics."""
    qs = Commune.objects.select_related("province")
    if province is not None:
        qs = qs.filter(province=province)
    for token in fold_tokens(query):
        qs = qs.filter(Q(name_folded__contains=token))
    return qs.order_by("name_folded")
