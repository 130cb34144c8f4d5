from __future__ import annotations

from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "motcua.petitions"
    label = "petitions"
    verbose_name = "Phản ánh, kiến nghị"
