"""Pages of the feedback app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.feedback import views

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:token>/", views.rate, name="rate"),
]
