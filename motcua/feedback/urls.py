"""Pages of the feedback app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = []
