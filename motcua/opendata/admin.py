from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Field
from django.http import HttpRequest

from motcua.opendata.datasets import DATASETS
from motcua.opendata.models import DatasetControl, PublicationRun, ResourceVersion


@admin.register(DatasetControl)
class DatasetControlAdmin(admin.ModelAdmin[DatasetControl]):
    """An administrator holds a dataset back here (hidden from the pages, the API and DCAT)."""

    list_display = ("dataset", "held_back", "reason", "updated_at")
    list_editable = ("held_back",)

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "dataset":  # the slugs of the registry, with their titles
            choices = [(d.slug, f"{d.slug} — {d.title}") for d in DATASETS]
            return forms.ChoiceField(choices=choices, label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(ResourceVersion)
class ResourceVersionAdmin(admin.ModelAdmin[ResourceVersion]):
    list_display = (
        "dataset",
        "resource",
        "version",
        "row_count",
        "suppressed_cells",
        "last_modified",
        "current",
        "held_back",
    )
    list_filter = ("dataset", "current", "held_back")
    readonly_fields = [f.name for f in ResourceVersion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PublicationRun)
class PublicationRunAdmin(admin.ModelAdmin[PublicationRun]):
    list_display = ("started_at", "finished_at", "progress", "published", "unchanged", "skipped")
    readonly_fields = [f.name for f in PublicationRun._meta.fields]
