"""Catalogue administration: the province enters or corrects the internal process steps and the
result documents of a procedure version (issue #4 point 1, R-CAT-01, R-TIME-02). Until it does,
the procedure page shows the default process derived from the time limit
(catalog/process.py), marked as to be confirmed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ProcedureVersion, ProcessStep, ResultDocument
from motcua.catalog.process import HALF_HOUR
from motcua.catalog.publication import deadline_of, lead_working_days
from motcua.worktime.calendars import calendar_for


class ProcessStepForm(forms.ModelForm[ProcessStep]):
    class Meta:
        model = ProcessStep
        fields = ["order", "name", "duration_hours", "performer"]

    def clean_duration_hours(self) -> Decimal:
        hours: Decimal = self.cleaned_data["duration_hours"]
        # R-TIME-02/03: steps in half working days (4 h), or working hours for short limits;
        # never below half an hour.
        if hours <= 0 or hours % HALF_HOUR != 0:
            raise forms.ValidationError(
                _(
                    "Thời gian mỗi bước tính bằng giờ làm việc, là bội số của 0,5 giờ "
                    "(0,5 ngày = 4 giờ)."
                )
            )
        return hours


class ProcessStepInline(admin.TabularInline[ProcessStep, ProcedureVersion]):
    model = ProcessStep
    form = ProcessStepForm
    extra = 0
    verbose_name = _("bước xử lý nội bộ")
    verbose_name_plural = _("Các bước xử lý nội bộ (giờ làm việc, 8 giờ = 1 ngày)")


class ResultDocumentInline(admin.TabularInline[ResultDocument, ProcedureVersion]):
    model = ResultDocument
    extra = 0
    verbose_name = _("kết quả giải quyết")
    verbose_name_plural = _("Kết quả giải quyết")


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin[ProcedureVersion]):
    list_display = [
        "__str__",
        "name",
        "time_limit_value",
        "time_limit_unit",
        "effective_from",
        "publication_decision",
        "published_on",
    ]
    list_select_related = ["procedure"]
    search_fields = ["procedure__code_national", "name_folded", "publication_decision"]
    fields = [
        "name",
        "time_limit_value",
        "time_limit_unit",
        "legal_basis",
        "effective_from",
        "publication_decision",
        "published_on",
        "publication_deadline",
        "deadline",
    ]
    readonly_fields = [
        "name",
        "time_limit_value",
        "time_limit_unit",
        "legal_basis",
        "effective_from",
        "deadline",
    ]
    inlines = [ProcessStepInline, ResultDocumentInline]

    @admin.display(description=_("Hạn công bố đang áp dụng"))
    def deadline(self, obj: ProcedureVersion) -> str:
        """The deadline the 766 indicator uses (catalog/publication.py, docs/decisions/0006)."""
        if obj.pk is None:
            return "—"
        due = deadline_of(
            obj.effective_from,
            obj.publication_deadline,
            calendar_for(obj.procedure.province_id),
            lead_working_days(),
        )
        return due.strftime("%d/%m/%Y")

    def has_add_permission(self, request: Any) -> bool:
        return False  # versions come from the import (catalog/importer.py)

    def has_delete_permission(self, request: Any, obj: ProcedureVersion | None = None) -> bool:
        return False  # R-VER-02: dossiers keep their version
