"""Pages of the payments app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "payments"
urlpatterns: list[URLPattern | URLResolver] = []
