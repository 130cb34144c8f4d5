"""The public list of reports (issue #18): what the Open311 API publishes, as a page — no name,
phone, e-mail or street address; the commune, the rounded coordinates, the service, the state
and the cleaned first photo. It works without any map (address only); with a tile source
configured, a Leaflet map (served by Motcua: no CDN, the CSP allows only our own scripts) shows
the reports that have coordinates (docs/open311.md)."""

from __future__ import annotations

import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.petitions.models import OPEN_STATES, Open311Service
from motcua.petitions.open311.public import as_public, public_reports

PAGE_SIZE = 50
#: Where the map centres without reports (Cần Thơ), until the geography package has centroids.
DEFAULT_CENTRE = ("10.03", "105.78")


def tile_url() -> str:
    """The map's tile source (``MOTCUA_MAP_TILE_URL``, a Leaflet URL template such as
    ``https://tiles.example.vn/{z}/{x}/{y}.png``; its origin must be in MOTCUA_CSP_EXTRA_IMG).
    Empty: no map, the list alone."""
    return str(
        getattr(settings, "MOTCUA_MAP_TILE_URL", None) or os.environ.get("MOTCUA_MAP_TILE_URL", "")
    )


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    rows = public_reports().order_by("-petition__received_at", "-id")
    service = request.GET.get("dich-vu", "")
    services = list(Open311Service.objects.filter(active=True))
    if service in {s.code for s in services}:
        rows = rows.filter(service__code=service)
    state = request.GET.get("trang-thai", "")
    if state == "open":
        rows = rows.filter(petition__state__in=OPEN_STATES)
    elif state == "closed":
        rows = rows.exclude(petition__state__in=OPEN_STATES)
    reports = [as_public(r, "") for r in rows[:PAGE_SIZE]]
    return render(
        request,
        "petitions/public_list.html",
        {
            "reports": reports,
            "services": services,
            "service": service,
            "state": state,
            "tile_url": tile_url(),
            "tile_attribution": os.environ.get("MOTCUA_MAP_TILE_ATTRIBUTION", ""),
            "centre": DEFAULT_CENTRE,
        },
    )
