"""Administrative geography in force since 1 July 2025: 34 provinces, 3,321 commune-level units.

Keyed by the official codes published with the reform (package ``vietnam-provinces``). Names are
NFC; ``name_folded`` holds the accent-folded form for search without diacritics.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh_pho_trung_uong", _("Thành phố trực thuộc trung ương")

    code = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    codename = models.SlugField(max_length=80, unique=True)
    phone_code = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        SPECIAL_ZONE = "dac_khu", _("Đặc khu")

    code = models.PositiveIntegerField(primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    codename = models.CharField(max_length=120)
    # The commune's centre (WGS 84), loaded by an operator (``load_commune_centres``): no
    # redistributable 2025 source was found, so none ships (docs/decisions/0021). Routes a
    # report's coordinates to the nearest centre (petitions.open311.routing).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name = _("xã, phường, đặc khu")
        verbose_name_plural = _("xã, phường, đặc khu")
        indexes = [models.Index(fields=["province", "name_folded"])]

    def __str__(self) -> str:
        return self.name
