"""Periodic reports in the operations centre: the stored list, generation on demand, download."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from motcua.accounts.models import User
from motcua.core.clock import now, to_local
from motcua.core.errors import MotcuaError
from motcua.insights import api as insights_api
from motcua.insights import board as insights_board
from motcua.insights import selectors
from motcua.insights.models import Report
from motcua.insights.periods import KIND_VI
from motcua.insights.reports import do_generate_report
from motcua.ioc.board import require_viewer


def report_list(request: HttpRequest) -> HttpResponse:
    require_viewer(request)
    province = settings.MOTCUA_PROVINCE_CODE
    day = to_local(now()).date()
    if request.method == "POST":
        user = request.user
        assert isinstance(user, User)
        try:
            period = insights_board.choose_period(request.POST.get("ky"), day)
            report = do_generate_report(
                request.POST.get("pham-vi", "province"),
                period,
                request.POST.get("dinh-dang", "xlsx"),
                province_id=province,
                acting_user=user,
            )
        except MotcuaError as error:
            messages.error(request, error.message_vi)
        else:
            messages.success(request, f"Đã lập báo cáo {report.filename}.")
        return redirect("ioc:reports")
    scopes = [
        ("province", "Toàn tỉnh/thành phố"),
        *((s.key, s.name) for s in selectors.commune_scopes(province)),
        *((s.key, s.name) for s in selectors.department_scopes(province)),
    ]
    return render(
        request,
        "ioc/reports.html",
        {
            "reports": Report.objects.defer("content").select_related("requested_by")[:100],
            "periods": insights_board.period_choices(day),
            "scopes": scopes,
            "kind_vi": {k.value: v for k, v in KIND_VI.items()},
        },
    )


def report_download(request: HttpRequest, report_id: int) -> HttpResponse:
    require_viewer(request)
    try:
        return insights_api.download(report_id)
    except MotcuaError:
        raise Http404 from None
