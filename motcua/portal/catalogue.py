"""The public procedure catalogue: /thu-tuc/ (search and filters) and /thu-tuc/<code>/.

Views parse, call ``motcua.catalog.selectors``, render. One view serves the full page or, for an
htmx request, the fragment it targets; without JavaScript the same forms work through GET.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.agencies.selectors import in_reading_order
from motcua.assistant.catalogue import rank_versions
from motcua.catalog.checklist_pdf import checklist_pdf
from motcua.catalog.form_pdf import declares_form, form_filename, form_pdf, version_form
from motcua.catalog.models import CompetentLevel, OnlineLevel, ProcedureVersion
from motcua.catalog.process import process_for, results_for
from motcua.catalog.selectors import (
    RankedVersions,
    cutoff_text,
    fee_summaries,
    fields_in_use,
    filtered_versions,
    online_offer,
    procedure_detail,
    procedures_for,
    time_limit_text,
)
from motcua.core.errors import NotFound
from motcua.core.htmx import wants_fragment
from motcua.core.text import fold_tokens, vi_sorted
from motcua.core.widgets import QuickSelect

PER_PAGE = 25
#: The columns a result row shows (partials/results.html, ``time_limit_text``): the versions'
#: declarations, fee rules and legal texts are not read for the list (issue #12 item 9).
ROW_FIELDS = (
    "name",
    "competent_level",
    "online_level",
    "boundary_free",
    "time_limit_value",
    "time_limit_unit",
    "cutoff_1500",
    "procedure__code_national",
    "procedure__province",
    "field__name",
)
#: The columns of an implementing unit the procedure page reads (partials/units.html, the
#: search among them, the reading order).
UNIT_FIELDS = ("name", "name_folded", "address")
UNITS_SHOWN_OPEN = 10  # more implementing units than this: count + searchable list


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Tìm thủ tục (gõ có dấu hoặc không dấu, hoặc mã thủ tục)"),
    )
    # ≈ 180 fields: rendered without a template per option (issue #14 item 9).
    linh_vuc = forms.ChoiceField(required=False, label=_("Lĩnh vực"), widget=QuickSelect)
    cap = forms.ChoiceField(
        required=False,
        label=_("Cấp thực hiện"),
        choices=[("", _("Tất cả các cấp")), *CompetentLevel.choices],
    )
    truc_tuyen = forms.ChoiceField(
        required=False,
        label=_("Dịch vụ công trực tuyến"),
        choices=[
            ("", _("Tất cả")),
            ("any", _("Có trực tuyến (toàn trình hoặc một phần)")),
            (OnlineLevel.FULL, _("Trực tuyến toàn trình")),
            (OnlineLevel.PARTIAL, _("Trực tuyến một phần")),
        ],
    )
    dia_gioi = forms.BooleanField(
        required=False, label=_("Chỉ thủ tục không phụ thuộc địa giới hành chính")
    )

    def __init__(self, *args: Any, field_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field = self.fields["linh_vuc"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = [("", _("Tất cả lĩnh vực")), *field_choices]


def procedure_list(request: HttpRequest) -> HttpResponse:
    province = settings.MOTCUA_PROVINCE_CODE
    field_choices = vi_sorted(
        fields_in_use(province).values_list("code", "name"), key=itemgetter(1)
    )
    form = CatalogueFilterForm(request.GET, field_choices=field_choices)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "field": data["linh_vuc"],
            "level": data["cap"],
            "online": data["truc_tuyen"],
            "boundary_free": True if data["dia_gioi"] else None,
        }
    query = str(filters.get("q", "")).strip()[:200]
    results: RankedVersions | QuerySet[ProcedureVersion]
    if query:
        # Ranked by the assistant's retrieval (motcua/assistant/catalogue.py): the relevant
        # procedures only, best first; the filters restrict the candidates.
        candidates = procedures_for(province, **{**filters, "q": ""})
        ranked = rank_versions(province, query, allowed=candidates.ids)
        results = RankedVersions(ranked, fields=ROW_FIELDS)
    else:
        # By national code (as procedures_for orders them), a page at a time: a count and the
        # page's rows instead of every current version's id (issue #12 item 9).
        unranked = {k: v for k, v in filters.items() if k != "q"}
        results = (
            filtered_versions(province, **unranked)
            .order_by("procedure__code_national")
            .select_related("procedure", "field")
            .only(*ROW_FIELDS)
        )
    paginator: Paginator[ProcedureVersion] = Paginator(results, PER_PAGE)
    page = paginator.get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    # What each row shows, worked out here rather than looked up in the template's 25-row loop
    # (issue #12 item 9): the link, the code, the level's label, the time limit in words.
    rows = [
        (
            v,
            time_limit_text(v),
            reverse("portal:procedure", args=[v.procedure.code_national]),
            v.procedure.code_national,
            v.get_competent_level_display(),
        )
        for v in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "total": page.paginator.count,
        "query": filters.get("q", ""),
        "base_query": params.urlencode(),
    }
    if wants_fragment(request):
        return render(request, "portal/catalogue/partials/results.html", context)
    return render(request, "portal/catalogue/list.html", context)


def _version_or_404(code: str, unit_fields: tuple[str, ...] = ()) -> ProcedureVersion:
    try:
        return procedure_detail(settings.MOTCUA_PROVINCE_CODE, code, unit_fields=unit_fields)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def procedure_page(request: HttpRequest, code: str) -> HttpResponse:
    version = _version_or_404(code, UNIT_FIELDS)
    unit_query = request.GET.get("don_vi", "")[:100]
    units = in_reading_order(version.implementing_units.all())
    tokens = fold_tokens(unit_query)
    shown = [u for u in units if all(t in u.name_folded for t in tokens)]
    components = list(version.components.all())
    context = {
        "version": version,
        "procedure": version.procedure,
        "time_limit": time_limit_text(version),
        "online": online_offer(version),
        "cutoff": cutoff_text(version),
        "fees": fee_summaries(version),
        "documents": [c for c in components if not c.is_note],
        "form_orders": {c.order for c in components if declares_form(c)},
        "process": process_for(version),
        "results": results_for(version),
        "notes": [c for c in components if c.is_note],
        "units": shown,
        "units_total": len(units),
        "unit_query": unit_query,
        "units_searchable": len(units) > UNITS_SHOWN_OPEN,
    }
    if wants_fragment(request, "units"):
        return render(request, "portal/catalogue/partials/units.html", context)
    return render(request, "portal/catalogue/detail.html", context)


def procedure_checklist_pdf(request: HttpRequest, code: str) -> HttpResponse:
    version = _version_or_404(code)
    response = HttpResponse(checklist_pdf(version), content_type="application/pdf")
    filename = f"danh-muc-ho-so-{version.procedure.code_national}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def procedure_form_pdf(request: HttpRequest, code: str, version: int, order: int) -> HttpResponse:
    """A component's declared form (mẫu đơn, tờ khai) of one catalogue version."""
    try:
        found, component = version_form(settings.MOTCUA_PROVINCE_CODE, code, version, order)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(form_pdf(found, component), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{form_filename(found, component)}"'
    return response
