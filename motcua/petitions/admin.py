"""The provincial admin's pages for Open311: services (editable data) and app keys (issued here
or with ``motcua open311 key``; shown once; revoked, never deleted)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.clock import now
from motcua.petitions.models import (
    Open311Client,
    Open311RoutingRule,
    Open311Service,
    PetitionAlert,
    PetitionForward,
    ResponseTemplate,
)
from motcua.petitions.open311.keys import write_issued_key


@admin.register(Open311Service)
class Open311ServiceAdmin(admin.ModelAdmin[Open311Service]):
    list_display = ["code", "name", "kind", "group", "active", "order"]
    list_filter = ["active", "kind"]
    search_fields = ["code", "name", "keywords"]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin[Open311Client]):
    list_display = ["name", "channel", "prefix", "created_at", "revoked_at", "last_used_at"]
    fields = ["name", "channel", "prefix", "created_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "revoked_at", "last_used_at"]
    actions = ["revoke"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the reports filed with a key keep pointing at it

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None:
            return [*self.readonly_fields, "name", "channel"]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any, change: bool) -> None:
        if change:
            return
        client, key = write_issued_key(obj.name, channel=obj.channel)  # in the admin's transaction
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = (
            client.pk,
            client.prefix,
            client.key_hash,
            client.created_at,
        )
        obj._state.adding = False
        self.message_user(
            request,
            _("Khoá API của “%(name)s” (chỉ hiển thị một lần): %(key)s")
            % {"name": client.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Thu hồi khoá đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=now())
        self.message_user(request, _("Đã thu hồi %(count)s khoá.") % {"count": count})


@admin.register(Open311RoutingRule)
class Open311RoutingRuleAdmin(admin.ModelAdmin[Open311RoutingRule]):
    """Issue #18: where reports of a service and/or a commune go (docs/open311.md, Routing)."""

    list_display = ["service", "commune", "unit", "active"]
    list_filter = ["active", "service"]
    autocomplete_fields = ["commune", "unit"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin[ResponseTemplate]):
    """Issue #18: answer texts the handling officers start from (desk answer form)."""

    list_display = ["name", "kind", "active", "order"]
    list_filter = ["active", "kind"]
    search_fields = ["name", "body"]


@admin.register(PetitionForward)
class PetitionForwardAdmin(admin.ModelAdmin[PetitionForward]):
    """Forwardings, read only (written by ``petitions.forwarding``)."""

    list_display = ["petition", "to_unit", "agency_code", "at", "in_time"]
    readonly_fields = [f.name for f in PetitionForward._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PetitionAlert)
class PetitionAlertAdmin(admin.ModelAdmin[PetitionAlert]):
    """Alerts raised to the units, read only (written by ``petitions.alerts``)."""

    list_display = ["petition", "kind", "unit", "created_at", "emailed"]
    list_filter = ["kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
