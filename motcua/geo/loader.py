"""Load the official post-1/7/2025 geography from ``vietnam-provinces`` (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province as VpProvince
from vietnam_provinces import VietNamDivisionType, Ward

from motcua.core.text import fold, nfc
from motcua.geo.models import Commune, Province

_PROVINCE_KIND = {
    VietNamDivisionType.TINH: Province.Kind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: Province.Kind.CITY,
}
_COMMUNE_KIND = {
    VietNamDivisionType.XA: Commune.Kind.COMMUNE,
    VietNamDivisionType.PHUONG: Commune.Kind.WARD,
    VietNamDivisionType.DAC_KHU: Commune.Kind.SPECIAL_ZONE,
}


def _name(text: str) -> str:
    """NFC, single-spaced: the data writes some names with two spaces ("Xã  Phú Hữu", 31378;
    "Xã  Đại Hải", 31561)."""
    return " ".join(nfc(text).split())


@dataclass(frozen=True)
class GeographyCounts:
    provinces: int
    communes: int


@transaction.atomic
def load_geography() -> GeographyCounts:
    provinces = [
        Province(
            code=int(p.code),
            name=_name(p.name),
            name_folded=fold(p.name),
            kind=_PROVINCE_KIND[p.division_type],
            codename=p.codename,
            phone_code=p.phone_code,
        )
        for p in VpProvince.iter_all()
    ]
    Province.objects.bulk_create(
        provinces,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "name_folded", "kind", "codename", "phone_code"],
    )
    communes = [
        Commune(
            code=int(w.code),
            province_id=int(w.province_code),
            name=_name(w.name),
            name_folded=fold(w.name),
            kind=_COMMUNE_KIND[w.division_type],
            codename=w.codename,
        )
        for w in Ward.iter_all()
    ]
    Commune.objects.bulk_create(
        communes,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["province", "name", "name_folded", "kind", "codename"],
    )
    return GeographyCounts(Province.objects.count(), Commune.objects.count())
