"""The working calendar page: provincial admins enter next year's days off and swaps (R-CAL-04)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.core.clock import local_today
from motcua.core.errors import ValidationFailed
from motcua.geo.models import Province
from motcua.worktime.calc import cutoff_words
from motcua.worktime.calendars import (
    do_add_calendar_entry,
    do_remove_calendar_entry,
    do_set_cutoff,
    seed_calendar,
)
from motcua.worktime.models import CalendarEntry, EntryKind
from motcua.worktime.seed import OPEN_QUESTIONS


class EntryForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=EntryKind.choices)
    name = forms.CharField(label=gettext_lazy("Tên ngày"), max_length=200)
    legal_basis = forms.CharField(
        label=gettext_lazy("Căn cứ pháp lý (số, ngày văn bản)"), max_length=300
    )


class CutoffForm(forms.Form):
    cutoff = forms.TimeField(
        label=gettext_lazy("Giờ tiếp nhận muộn nhất trong ngày"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Căn cứ pháp lý (số, ngày văn bản)"), max_length=300
    )


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("worktime.edit_calendar"):
        raise Http404
    return user


@login_required
def calendar_year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    user = _admin(request)
    year = year or local_today().year
    if not 2000 <= year <= 2100:
        raise Http404

    province = Province.objects.get(code=settings.MOTCUA_PROVINCE_CODE)
    calendar = seed_calendar(province)
    setting_cutoff = "set_cutoff" in request.POST
    form = EntryForm(
        None if setting_cutoff else (request.POST or None), initial={"day": date(year, 1, 1)}
    )
    cutoff_form = CutoffForm(
        request.POST if setting_cutoff else None,
        initial={"cutoff": calendar.cutoff},
        prefix="cutoff",
    )
    if setting_cutoff:
        if cutoff_form.is_valid():
            try:
                # The action audits the change and re-dates open dossiers (core.events).
                do_set_cutoff(calendar, acting_user=user, **cutoff_form.cleaned_data)
            except ValidationFailed as exc:
                cutoff_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã lưu giờ tiếp nhận muộn nhất."))
                return redirect("desk:calendar-year", year=year)
    elif request.method == "POST":
        if "remove" in request.POST:
            remove = request.POST.get("remove", "")
            entry = (
                CalendarEntry.objects.filter(calendar=calendar, pk=int(remove)).first()
                if remove.isdigit()
                else None
            )
            if entry is not None:
                # The action re-dates open dossiers through its reactions (core.events).
                do_remove_calendar_entry(entry, acting_user=user)
                messages.success(
                    request, _("Đã xóa ngày %(day)s.") % {"day": f"{entry.day:%d/%m/%Y}"}
                )
            return redirect("desk:calendar-year", year=year)
        if form.is_valid():
            try:
                entry = do_add_calendar_entry(calendar, acting_user=user, **form.cleaned_data)
            except ValidationFailed as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Đã thêm ngày %(day)s.") % {"day": f"{entry.day:%d/%m/%Y}"}
                )
                return redirect("desk:calendar-year", year=entry.day.year)
    entries = calendar.entries.filter(day__year=year).order_by("day")
    context: dict[str, Any] = {
        "year": year,
        "entries": entries,
        "form": form,
        "cutoff_form": cutoff_form,
        "cutoff_words": cutoff_words(calendar.cutoff),
        "open_questions": OPEN_QUESTIONS.get(year, []),
        "unverified": [e for e in entries if not e.verified],
        "changes": calendar.changes.select_related("actor")[:20],
        "calendar": calendar,
    }
    return render(request, "desk/calendar.html", context)
