from __future__ import annotations

from django.urls import path

from motcua.portal import catalogue, tracking, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", tracking.track, name="track"),
    path("thu-tuc/", catalogue.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", catalogue.procedure_page, name="procedure"),
    path(
        "thu-tuc/<str:code>/danh-muc.pdf", catalogue.procedure_checklist_pdf, name="procedure_pdf"
    ),
]
