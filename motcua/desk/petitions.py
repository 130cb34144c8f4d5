"""Officer desk pages for feedback and petitions (phản ánh, kiến nghị): the queues of the units
the officer handles (open, due within one working day, overdue, answered) and a petition's page
with the answer form. Thin views over ``petitions.actions`` and ``petitions.selectors``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.agencies.selectors import in_reading_order
from motcua.core.clock import local_today
from motcua.core.errors import MotcuaError
from motcua.correspondence.selectors import petition_letters
from motcua.correspondence.states import LABEL_VI, State
from motcua.desk.gates import officer
from motcua.petitions import actions, selectors
from motcua.petitions.answers import do_answer_petition_with_files
from motcua.petitions.forwarding import FORM_LABELS, do_forward_petition
from motcua.petitions.models import PetitionChannel, PetitionKind, PetitionState, ResponseTemplate
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for


def _days() -> tuple[date, date]:
    today = local_today()
    return today, calc.next_working_day(today, calendar_for(settings.MOTCUA_PROVINCE_CODE))


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    name = request.GET.get("queue", "open")
    if name not in selectors.QUEUES:
        name = "open"
    today, next_day = _days()
    counts = {key: selectors.queue(user, key, today, next_day).count() for key in selectors.QUEUES}
    rows = selectors.queue(user, name, today, next_day).order_by("due_on", "received_at")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/petitions/list.html",
        {
            "page": page,
            "queue": name,
            "queues": [(k, label, counts[k]) for k, label in selectors.QUEUES.items()],
            "today": today,
        },
    )


@login_required
def petition_new(request: HttpRequest) -> HttpResponse:
    """Enter a petition received at the counter or on the hotline."""
    user = officer(request)
    units = {
        str(u.pk): u
        for u in in_reading_order(
            selectors.petition_units(settings.MOTCUA_PROVINCE_CODE), by_kind=True
        )
    }
    context: dict[str, Any] = {
        "units": units.values(),
        "kinds": PetitionKind.choices,
        "channels": [
            (PetitionChannel.COUNTER, PetitionChannel.COUNTER.label),
            (PetitionChannel.HOTLINE, PetitionChannel.HOTLINE.label),
        ],
        "data": request.POST,
    }
    if request.method == "POST":
        unit = units.get(request.POST.get("unit", ""))
        if unit is None:
            context["error"] = "Hãy chọn cơ quan, đơn vị được phản ánh, kiến nghị."
        else:
            try:
                petition = actions.do_file_petition(
                    actions.PetitionContent(
                        unit=unit,
                        kind=request.POST.get("kind", ""),
                        subject=request.POST.get("subject", ""),
                        content=request.POST.get("content", ""),
                        name=request.POST.get("name", ""),
                        phone=request.POST.get("phone", ""),
                        email=request.POST.get("email", ""),
                        channel=request.POST.get("channel", ""),
                        dossier_code=request.POST.get("dossier_code", ""),
                    ),
                    acting_user=user,
                )
            except MotcuaError as exc:
                context["error"] = exc.message
            else:
                messages.success(request, f"Đã tiếp nhận phản ánh, kiến nghị {petition.code}.")
                if actions.can_handle(user, petition):
                    return redirect("desk:petition", code=petition.code)
                return redirect("desk:petitions")
        return render(request, "desk/petitions/new.html", context, status=422)
    return render(request, "desk/petitions/new.html", context)


def _template_body(template_id: str) -> str:
    if not template_id.isdigit():
        return ""
    found = ResponseTemplate.objects.filter(pk=int(template_id), active=True).first()
    return found.body if found is not None else ""


@login_required
def petition_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = officer(request)
    try:
        petition = selectors.access_petition(user, code)
    except MotcuaError:
        raise Http404 from None
    today = local_today()
    return render(
        request,
        "desk/petitions/detail.html",
        {
            "petition": petition,
            "events": petition.events.select_related("unit").order_by("seq"),
            "overdue": petition.is_open and petition.due_on < today,
            "can_accept": petition.state == PetitionState.RECEIVED,
            "is_open": petition.is_open,
            # Issue #18: forward to a unit of the province or an outside body by agency code.
            "forward_units": in_reading_order(
                selectors.petition_units(settings.MOTCUA_PROVINCE_CODE).exclude(
                    pk=petition.unit_id
                ),
                by_kind=True,
            ),
            "forward_labels": FORM_LABELS,
            # Issue #18: answer templates (admin) — ?mau=<id> starts the answer from one.
            "answer_templates": ResponseTemplate.objects.filter(active=True),
            "answer_initial": _template_body(request.GET.get("mau", "")),
            # Issue #18: the official letter forwarding it to an outside body (correspondence),
            # joined here, above both apps; only letters the officer may see are listed.
            "letters": [
                (letter, LABEL_VI[State(letter.state)])
                for letter in petition_letters(user, petition.code)
            ],
        },
    )


@login_required
@require_POST
def petition_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = officer(request)
    try:
        petition = selectors.access_petition(user, code)
    except MotcuaError:
        raise Http404 from None
    try:
        if action == "accept":
            actions.do_accept_petition(petition, acting_user=user)
            messages.success(request, "Đã nhận xử lý phản ánh, kiến nghị.")
        elif action == "answer":
            # Issue #18: the answer may carry images and PDFs (checked and cleaned).
            do_answer_petition_with_files(
                petition,
                answer=request.POST.get("answer", ""),
                files=[(f.name or "", f.read()) for f in request.FILES.getlist("files")],
                acting_user=user,
            )
            messages.success(request, "Đã trả lời phản ánh, kiến nghị.")
        elif action == "not-competent" and (
            request.POST.get("to_unit") or request.POST.get("agency_code", "").strip()
        ):
            do_forward_petition(
                petition,
                reason=request.POST.get("reason", ""),
                to_unit_id=request.POST.get("to_unit") or None,
                agency_code=request.POST.get("agency_code", ""),
                agency_name=request.POST.get("agency_name", ""),
                acting_user=user,
            )
            messages.success(request, "Đã chuyển phản ánh, kiến nghị.")
        elif action == "not-competent":
            actions.do_mark_not_competent(
                petition,
                reason=request.POST.get("reason", ""),
                forwarded_to=request.POST.get("forwarded_to", ""),
                acting_user=user,
            )
            messages.success(request, "Đã ghi nhận không thuộc thẩm quyền.")
        else:
            raise Http404
    except MotcuaError as exc:
        messages.error(request, exc.message)
    return redirect("desk:petition", code=petition.code)
