"""A page per commune (and per department): its indicators, trend, lists and flows, and the
16-criteria checklist with evidence and status (R-IDX-09)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from motcua.accounts.models import User
from motcua.core.clock import now, to_local
from motcua.insights import board as insights_board
from motcua.insights import checklist, selectors
from motcua.insights.models import CriterionStatus
from motcua.ioc.board import DRILLABLE, REFRESH_SECONDS, require_viewer


def _page(request: HttpRequest, scope_key: str) -> HttpResponse:
    require_viewer(request)
    day = to_local(now()).date()
    period = insights_board.choose_period(request.GET.get("ky"), day)
    scope = selectors.scope_of(scope_key, settings.MOTCUA_PROVINCE_CODE)
    context = {
        **insights_board.scope_page(scope, period, day, settings.MOTCUA_PROVINCE_CODE),
        "scope": scope,
        "period": period,
        "periods": insights_board.period_choices(day),
        "refresh_seconds": REFRESH_SECONDS,
        "updated_at": to_local(now()),
        "drillable": DRILLABLE,
    }
    if scope.commune_code is not None:
        context["checklist"] = checklist.for_commune(scope.commune_code)
        context["statuses"] = CriterionStatus.Status.choices
        context["can_edit"] = request.user.has_perm("insights.edit_checklist")
    return render(request, "ioc/commune.html", context)


def commune(request: HttpRequest, code: int) -> HttpResponse:
    return _page(request, f"commune:{code}")


def unit(request: HttpRequest, unit_id: uuid.UUID) -> HttpResponse:
    return _page(request, f"unit:{unit_id}")


def criterion_update(request: HttpRequest, code: int, criterion: str) -> HttpResponse:
    """Record a criterion's status and evidence for a commune (provincial admins)."""
    require_viewer(request)
    if request.method != "POST" or not request.user.has_perm("insights.edit_checklist"):
        raise Http404
    user = request.user
    assert isinstance(user, User)
    checklist.do_set_criterion_status(
        code,
        criterion,
        status=request.POST.get("status", ""),
        evidence=request.POST.get("evidence", ""),
        acting_user=user,
    )
    messages.success(request, "Đã lưu đánh giá tiêu chí.")
    return redirect("ioc:commune", code=code)
