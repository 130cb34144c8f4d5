"""The officer fetches a replaceable component from its national database (issue #7 item 3).

Thin: parse, call ``dossiers.reuse.do_fetch_component``, redirect back to the dossier with the
outcome (Vietnamese first)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.core.errors import MotcuaError, NotFound
from motcua.dossiers.reuse import do_fetch_component, source_label
from motcua.dossiers.selectors import access_dossier


@login_required
@require_POST
def fetch_component(request: HttpRequest, key: str, component_id: int) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_officer:
        raise Http404
    try:
        dossier = access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
    try:
        component = do_fetch_component(dossier, component_id, acting_user=user)
    except NotFound:
        raise Http404 from None
    except MotcuaError as exc:
        messages.error(request, exc.message)
    else:
        system = component.source.removeprefix("database:")
        messages.success(
            request, f"Đã khai thác “{component.name[:80]}” từ {source_label(system)}."
        )
    return redirect("desk:dossier", key=key)
