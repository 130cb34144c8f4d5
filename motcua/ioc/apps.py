from __future__ import annotations

from django.apps import AppConfig


class IocConfig(AppConfig):
    name = "motcua.ioc"
    label = "ioc"
