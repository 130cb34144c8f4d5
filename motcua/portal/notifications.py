"""In-app notifications of a citizen (issue #14 item 3): stored by ``notify`` when a dossier
changes, shown here as a list with the unread ones first marked; opening the list does not
mark them read, the citizen does (one or all)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.notify.actions import do_mark_notifications_read
from motcua.notify.models import Notification
from motcua.portal.auth import citizen_required


def _citizen(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@citizen_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = _citizen(request)
    rows = list(Notification.objects.filter(user=user).order_by("-created_at", "-id")[:100])
    codes = {r.dossier_code for r in rows if r.dossier_code}
    links = dict(user.dossiers.filter(code__in=codes).values_list("code", "pk"))
    items = [(n, links.get(n.dossier_code)) for n in rows]
    unread = sum(1 for n in rows if n.read_at is None)
    return render(request, "portal/notifications.html", {"items": items, "unread": unread})


@citizen_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of them read; only the citizen's own."""
    user = _citizen(request)
    wanted = request.POST.get("id", "")
    if wanted and not wanted.isdigit():
        raise Http404
    if not do_mark_notifications_read(user, int(wanted) if wanted else None) and wanted:
        raise Http404  # not the citizen's, or already read: the same answer
    return redirect("portal:notifications")
