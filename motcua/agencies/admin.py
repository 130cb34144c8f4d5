from __future__ import annotations

from django.contrib import admin

from motcua.agencies.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["eid_code", "name", "kind", "parent", "valid_to"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "name_folded", "eid_code"]
    autocomplete_fields = ["parent", "commune"]
    readonly_fields = ["eid_format", "eid_parsed", "name_folded"]
