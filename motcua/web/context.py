"""What every page needs: the province, and navigation for the roles the user holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.geo.models import Province
from motcua.notify.models import Notification


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str
    count: int | None = None  # shown as a badge (the notification bell's unread count)


def navigation(request: HttpRequest) -> list[NavItem]:
    items = [
        NavItem(str(_("Trang chủ")), reverse("portal:home"), "home"),
        NavItem(str(_("Tra cứu hồ sơ")), reverse("portal:track"), "track"),
        NavItem(str(_("Phản ánh, kiến nghị")), reverse("portal:petition_new"), "petitions"),
    ]
    user = request.user
    help_item = NavItem(str(_("Trợ giúp")), reverse("portal:help"), "help")
    if not user.is_authenticated:
        return [*items, help_item]
    if user.is_officer:
        items.append(NavItem(str(_("Bàn làm việc")), reverse("desk:home"), "desk"))
    if not user.is_officer:  # citizens: their dossiers and drafts (issue #6)
        items.append(NavItem(str(_("Hồ sơ của tôi")), reverse("portal:mine"), "mine"))
        # The bell: unread in-app notifications (issue #14 item 3), one indexed count.
        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
        items.append(
            NavItem(str(_("Thông báo")), reverse("portal:notifications"), "notifications", unread)
        )
    if user.has_perm("worktime.edit_calendar"):
        items.append(NavItem(str(_("Lịch làm việc")), reverse("desk:calendar"), "calendar"))
    if user.has_perm("ioc.view_board"):
        items.append(NavItem(str(_("Trung tâm điều hành")), reverse("ioc:board"), "ioc"))
    if user.is_staff:
        items.append(NavItem(str(_("Quản trị")), reverse("admin:index"), "admin"))
    if not user.is_officer:
        items.append(help_item)
    return items


def shell(request: HttpRequest) -> dict[str, Any]:
    province = Province.objects.filter(code=settings.MOTCUA_PROVINCE_CODE).first()
    return {
        "province": province,
        "nav_items": navigation(request),
        "debug_banner": settings.DEBUG,
    }
