"""Pages of the assistant app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.assistant import views

app_name = "assistant"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.chat, name="chat"),
]
