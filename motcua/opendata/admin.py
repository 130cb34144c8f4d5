from __future__ import annotations

from django.contrib import admin

from motcua.opendata.models import DatasetControl, PublicationRun, ResourceVersion


@admin.register(DatasetControl)
class DatasetControlAdmin(admin.ModelAdmin[DatasetControl]):
    """An administrator holds a dataset back here (hidden from the pages, the API and DCAT)."""

    list_display = ("dataset", "held_back", "reason", "updated_at")
    list_editable = ("held_back",)


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

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(PublicationRun)
class PublicationRunAdmin(admin.ModelAdmin[PublicationRun]):
    list_display = ("started_at", "finished_at", "progress", "published", "unchanged", "skipped")
    readonly_fields = [f.name for f in PublicationRun._meta.fields]
