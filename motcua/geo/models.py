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


class CommuneBoundary(models.Model):
    """A commune's boundary (WGS 84 GeoJSON Polygon or MultiPolygon), loaded by an operator
    (``load_commune_boundaries``; none ships, docs/decisions/0026). A report's coordinates
    inside it route to the commune (petitions.open311.routing). The bounding box lets the
    database pick the few candidates before the point-in-polygon test."""

    commune = models.OneToOneField(
        Commune, on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    geometry = models.JSONField()
    min_longitude = models.FloatField()
    min_latitude = models.FloatField()
    max_longitude = models.FloatField()
    max_latitude = models.FloatField()
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ranh giới xã, phường")
        verbose_name_plural = _("ranh giới xã, phường")
        indexes = [models.Index(fields=["min_latitude", "max_latitude"])]

    def __str__(self) -> str:
        return f"{self.commune_id:05d}"
