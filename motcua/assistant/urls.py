"""Pages of the assistant app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "assistant"
urlpatterns: list[URLPattern | URLResolver] = []
