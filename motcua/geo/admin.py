from __future__ import annotations

from django.contrib import admin

from motcua.geo.models import Commune, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin[Province]):
    list_display = ["code", "name", "kind"]
    search_fields = ["name", "name_folded", "codename"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin[Commune]):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["province", "kind"]
    search_fields = ["name", "name_folded", "codename"]
