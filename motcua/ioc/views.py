from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.exchange.health import sync_health
from motcua.geo.models import Commune


def board(request: HttpRequest) -> HttpResponse:
    """The operations centre's front page. Indicators arrive with the insights issue; today it
    shows the territory and the organisation the board will report on."""
    if not request.user.has_perm("ioc.view_board"):
        raise Http404
    province_code = settings.MOTCUA_PROVINCE_CODE
    by_kind = (
        Unit.objects.filter(province_id=province_code)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    kinds = dict(Unit._meta.get_field("kind").flatchoices)
    context = {
        "communes": Commune.objects.filter(province_id=province_code).count(),
        "units_by_kind": [(kinds.get(row["kind"], row["kind"]), row["n"]) for row in by_kind],
        "officers": User.objects.filter(
            kind=User.Kind.OFFICER, role_assignments__unit__province_id=province_code
        )
        .distinct()
        .count(),
        "sync": sync_health(),  # issue #7 item 5: national portal sync lag and failures
    }
    return render(request, "ioc/board.html", context)
