"""Pages of the insights app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "insights"
urlpatterns: list[URLPattern | URLResolver] = []
