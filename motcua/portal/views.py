from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.agencies.models import UnitKind
from motcua.agencies.selectors import in_reading_order, service_centres
from motcua.core.htmx import wants_fragment

#: The columns of a unit the home page's centre list reads (and ``in_reading_order``).
CENTRE_FIELDS = ("name", "kind", "address", "phone")


def home(request: HttpRequest) -> HttpResponse:
    """The province's front page: where to go, and (later) what to file."""
    query = request.GET.get("q", "")[:100]
    # Only what the list shows (partials/centres.html) and its order needs: ~100 centres a
    # request, without their communes and the rest of each unit (issue #12 item 9).
    centres = in_reading_order(
        service_centres(settings.MOTCUA_PROVINCE_CODE, query)
        .select_related(None)
        .only(*CENTRE_FIELDS),
        by_kind=True,
    )
    context = {
        "query": query,
        "provincial_centres": [u for u in centres if u.kind != UnitKind.COMMUNE_PSC],
        "commune_centres": [u for u in centres if u.kind == UnitKind.COMMUNE_PSC],
        "total": len(centres),
    }
    if wants_fragment(request):
        return render(request, "portal/partials/centres.html", context)
    return render(request, "portal/home.html", context)


def help_page(request: HttpRequest) -> HttpResponse:
    """How to apply, track, receive and rate; where to get help in person."""
    return render(request, "portal/help.html")
