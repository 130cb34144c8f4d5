from __future__ import annotations

from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "motcua.geo"
    label = "geo"
    verbose_name = "Địa giới hành chính"
