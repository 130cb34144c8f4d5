"""The unit tree of a province, each unit with its electronic identification code (R-ID-01..05)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.codes import CodeFormat
from motcua.core.models import TimeStampedModel
from motcua.geo.models import Commune, Province


class UnitKind(models.TextChoices):
    PROVINCIAL_PC = "ubnd_tinh", _("UBND tỉnh/thành phố")
    DEPARTMENT = "so_nganh", _("Sở, ban, ngành")
    PROVINCIAL_PSC = "tt_phvhcc_tinh", _("Trung tâm Phục vụ hành chính công tỉnh")
    PSC_BRANCH = "chi_nhanh_tt_phvhcc", _("Chi nhánh Trung tâm Phục vụ hành chính công")
    COMMUNE_PC = "ubnd_xa", _("UBND xã, phường, đặc khu")
    COMMUNE_PSC = "tt_phvhcc_xa", _("Trung tâm Phục vụ hành chính công xã")
    COMMUNE_POLICE = "cong_an_xa", _("Công an xã, phường")
    VERTICAL = "co_quan_doc", _("Cơ quan ngành dọc")


class UnitLevel(models.TextChoices):
    """R-ID-04 levels."""

    PROVINCE = "province", _("Cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ngành")
    COMMUNE = "commune", _("Cấp xã")
    VERTICAL = "vertical_agency", _("Cơ quan ngành dọc")


LEVEL_OF_KIND: dict[str, str] = {
    UnitKind.PROVINCIAL_PC: UnitLevel.PROVINCE,
    UnitKind.PROVINCIAL_PSC: UnitLevel.PROVINCE,
    UnitKind.PSC_BRANCH: UnitLevel.PROVINCE,
    UnitKind.DEPARTMENT: UnitLevel.DEPARTMENT,
    UnitKind.COMMUNE_PC: UnitLevel.COMMUNE,
    UnitKind.COMMUNE_PSC: UnitLevel.COMMUNE,
    UnitKind.COMMUNE_POLICE: UnitLevel.COMMUNE,
    UnitKind.VERTICAL: UnitLevel.VERTICAL,
}

# Units where a citizen can hand in a dossier at a counter (R-ORG-02: any PSC of the province).
RECEIVING_KINDS = frozenset({UnitKind.PROVINCIAL_PSC, UnitKind.PSC_BRANCH, UnitKind.COMMUNE_PSC})


class Unit(TimeStampedModel):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="units")
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(max_length=30, choices=UnitKind.choices)
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=120, blank=True)
    name_folded = models.CharField(max_length=255, db_index=True)
    # R-ID-01: the code as an opaque string, its format, and the parsed structure.
    eid_code = models.CharField(max_length=35, unique=True)
    eid_format = models.CharField(max_length=10, choices=[(f.value, f.value) for f in CodeFormat])
    eid_parsed = models.JSONField(default=dict)
    address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    # R-ID-04: codes are closed and re-issued on mergers.
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["province_id", "kind", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return LEVEL_OF_KIND[self.kind]

    @property
    def is_receiving_point(self) -> bool:
        return self.kind in RECEIVING_KINDS

    def ancestors(self) -> list[Unit]:
        chain: list[Unit] = []
        node = self.parent
        while node is not None and len(chain) < 20:
            chain.append(node)
            node = node.parent
        return chain
