from __future__ import annotations

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "motcua.opendata"
    label = "opendata"
