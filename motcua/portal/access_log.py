"""“Who looked at my data”: the citizen sees every registry lookup about them (issue #7 item 4,
R-PDP-07; Law 91/2025 right to be informed)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.models import User
from motcua.exchange.lookups import accesses_about


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = accesses_about(user.citizen_id) if isinstance(user, User) and user.citizen_id else []
    return render(request, "portal/access_log.html", {"rows": rows})
