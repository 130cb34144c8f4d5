"""Public pages of the documents app (verification of signed results)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.documents import views

app_name = "documents"
urlpatterns: list[URLPattern | URLResolver] = [
    path("ca-goc.pem", views.root_certificate, name="root-certificate"),
    path("<str:token>/", views.verify, name="verify"),
]
