"""Pages of the opendata app (mounted at /du-lieu-mo/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.opendata import views

app_name = "opendata"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("lich-lam-viec.ics", views.calendar_feed, name="ical"),
    path("lich-lam-viec/<int:province>.ics", views.calendar_feed, name="ical-province"),
    path("<slug:slug>/", views.dataset, name="dataset"),
    path(
        "<slug:slug>/<slug:table_slug>.<str:fmt>",
        views.download,
        name="download",
    ),
]
