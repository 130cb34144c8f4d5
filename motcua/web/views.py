from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from motcua.core.health import health_report


def healthz(request: HttpRequest) -> JsonResponse:
    ok, report = health_report()
    report["status"] = "ok" if ok else "error"
    return JsonResponse(report, status=200 if ok else 503)


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Officers land on their desk, operations staff on the board, citizens on the portal."""
    user = request.user
    if (
        user.has_perm("ioc.view_board")
        and not user.role_assignments.exclude(  # type: ignore[union-attr]
            role__in=["ioc_viewer", "provincial_admin"]
        ).exists()
    ):
        return redirect("ioc:board")
    if user.is_officer:  # type: ignore[union-attr]
        return redirect("desk:home")
    return redirect("portal:home")
