"""Standards endpoints of the open-data app: CKAN Action API and DCAT under /opendata/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.opendata import ckan, views

app_name = "opendata-standard"
urlpatterns: list[URLPattern | URLResolver] = [
    # CKAN answers both; ckanapi's RemoteCKAN calls the second.
    path("api/3/action/<str:name>", ckan.action, name="action-3"),
    path("api/action/<str:name>", ckan.action, name="action"),
    path("catalog.ttl", views.catalog_ttl, name="catalog-ttl"),
    path("catalog.jsonld", views.catalog_jsonld, name="catalog-jsonld"),
]
