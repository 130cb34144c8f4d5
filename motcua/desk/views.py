from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.models import RoleAssignment
from motcua.accounts.scope import restrict
from motcua.agencies.models import Unit
from motcua.core.clock import now, to_local
from motcua.desk.gates import officer
from motcua.dossiers.selectors import QUEUES, consultations_for, queue_counts
from motcua.petitions.alerts import badge_items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    assignments = (
        RoleAssignment.objects.filter(user=user).select_related("unit").order_by("unit__name")
    )
    # One aggregate for the eight queues (issue #12 item 9), not a count query each.
    found = queue_counts(user, [key for key in QUEUES if key != "all"])
    counts = [(key, labels[0], found[key]) for key, labels in QUEUES.items() if key != "all"]
    consultations = consultations_for(user).order_by("deadline")[:50]
    context = {
        "assignments": assignments,
        "counts": counts,
        "consultations": consultations,
        "petition_badge": badge_items(user, to_local(now()).date()),  # issue #18
    }
    return render(request, "desk/home.html", context)


@login_required
def unit_detail(request: HttpRequest, unit_id: uuid.UUID) -> HttpResponse:
    """A unit's page: its staff and roles. Outside the officer's scope it does not exist."""
    user = officer(request)
    unit = (
        restrict(Unit.objects.select_related("parent", "commune"), user).filter(pk=unit_id).first()
    )
    if unit is None:
        raise Http404
    staff = (
        RoleAssignment.objects.filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return render(
        request,
        "desk/unit.html",
        {"unit": unit, "staff": staff, "can_manage": user.has_perm("agencies.manage_unit", unit)},
    )
