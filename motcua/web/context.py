"""What every page needs: the province, and navigation for the roles the user holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.geo.models import Province


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def navigation(request: HttpRequest) -> list[NavItem]:
    items = [
        NavItem(str(_("Trang chủ")), reverse("portal:home"), "home"),
        NavItem(str(_("Phản ánh, kiến nghị")), reverse("portal:petition_new"), "petitions"),
    ]
    user = request.user
    if not user.is_authenticated:
        return items
    if user.is_officer:
        items.append(NavItem(str(_("Bàn làm việc")), reverse("desk:home"), "desk"))
    if not user.is_officer:  # citizens: their dossiers and drafts (issue #6)
        items.append(NavItem(str(_("Hồ sơ của tôi")), reverse("portal:mine"), "mine"))
    if user.has_perm("worktime.edit_calendar"):
        items.append(NavItem(str(_("Lịch làm việc")), reverse("desk:calendar"), "calendar"))
    if user.has_perm("ioc.view_board"):
        items.append(NavItem(str(_("Trung tâm điều hành")), reverse("ioc:board"), "ioc"))
    if user.is_staff:
        items.append(NavItem(str(_("Quản trị")), reverse("admin:index"), "admin"))
    return items


def shell(request: HttpRequest) -> dict[str, Any]:
    province = Province.objects.filter(code=settings.MOTCUA_PROVINCE_CODE).first()
    return {
        "province": province,
        "nav_items": navigation(request),
        "debug_banner": settings.DEBUG,
    }
