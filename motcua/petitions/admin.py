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
from motcua.petitions.models import Open311Client, Open311Service
from motcua.petitions.open311.keys import do_issue_key


@admin.register(Open311Service)
class Open311ServiceAdmin(admin.ModelAdmin[Open311Service]):
    list_display = ["code", "name", "kind", "group", "active", "order"]
    list_filter = ["active", "kind"]
    search_fields = ["code", "name", "keywords"]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin[Open311Client]):
    list_display = ["name", "prefix", "created_at", "revoked_at", "last_used_at"]
    fields = ["name", "prefix", "created_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "revoked_at", "last_used_at"]
    actions = ["revoke"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the reports filed with a key keep pointing at it

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, "name"] if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any, change: bool) -> None:
        if change:
            return
        client, key = do_issue_key(obj.name)
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
