"""Standards endpoints of the open-data app: CKAN Action API and DCAT under /opendata/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "opendata-standard"
urlpatterns: list[URLPattern | URLResolver] = []
