from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.agencies.models import UnitKind
from motcua.agencies.selectors import centre_list
from motcua.core.htmx import wants_fragment


def home(request: HttpRequest) -> HttpResponse:
    """The province's front page: where to go, and (later) what to file."""
    query = request.GET.get("q", "")[:100]
    centres = centre_list(settings.MOTCUA_PROVINCE_CODE, query)
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
