"""Operators' pages: dead letters with replay, sync health, and the personal-data access log
export (R-PDP-07/08). Provincial administrators only; anyone else gets the same 404 as for a
page that does not exist."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.accounts.models import PersonalDataAccess, Role, User
from motcua.exchange.health import sync_health
from motcua.exchange.outbox import dead_letters, replay_dead_letter


def _operator(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not (
        user.is_superuser or user.role_assignments.filter(role=Role.PROVINCIAL_ADMIN).exists()
    ):
        raise Http404
    return user


@login_required
def dead_letter_list(request: HttpRequest) -> HttpResponse:
    _operator(request)
    topic = request.GET.get("topic", "")[:60]
    page = Paginator(dead_letters(topic or None), 50).get_page(request.GET.get("page"))
    context = {"page": page, "topic": topic, "health": sync_health()}
    return render(request, "exchange/dead_letters.html", context)


@login_required
@require_POST
def dead_letter_replay(request: HttpRequest, message_id: int) -> HttpResponse:
    user = _operator(request)
    replay_dead_letter(message_id, acting_user=user)
    return redirect("exchange:dead-letters")


@login_required
def access_log_export(request: HttpRequest) -> HttpResponse:
    """CSV of the access log (R-PDP-08: per-unit reports for the provincial police)."""
    _operator(request)
    rows = PersonalDataAccess.objects.select_related("actor", "unit").order_by("at", "id")
    unit = request.GET.get("unit", "")
    if unit:
        rows = rows.filter(unit__eid_code=unit)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-truy-cap-du-lieu.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            "thoi_diem",
            "can_bo",
            "don_vi",
            "he_thong",
            "so_dinh_danh",
            "ho_so",
            "ma_tthc",
            "muc_dich",
            "can_cu_phap_ly",
            "truong_du_lieu",
            "ket_qua",
            "ma_tra_cuu",
        ]
    )
    for row in rows.iterator():
        writer.writerow(
            [
                row.at.isoformat(),
                row.actor.username,
                row.unit.eid_code if row.unit else "",
                row.system,
                row.subject_id_number,
                row.dossier_ref,
                row.procedure_code,
                row.purpose,
                row.legal_basis,
                " ".join(row.fields_returned),
                row.status,
                row.remote_ref,
            ]
        )
    return response
