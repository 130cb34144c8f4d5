from __future__ import annotations

from django.urls import re_path

from motcua.petitions.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[\w-]+)" + FMT, views.one_request, name="request"),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FMT, views.token, name="token"),
    re_path(r"^media/(?P<photo_id>\d+)\.(?P<fmt>jpg)$", views.photo, name="photo"),
]
