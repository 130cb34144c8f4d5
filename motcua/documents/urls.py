"""Public pages of the documents app (verification of signed results)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "documents"
urlpatterns: list[URLPattern | URLResolver] = []
