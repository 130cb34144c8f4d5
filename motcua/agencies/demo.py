"""The demo province's unit tree, built from the real geography.

Cần Thơ (code 92) after the 1/7/2025 merger of Cần Thơ, Sóc Trăng and Hậu Giang: the city People's
Committee, its departments, the city public-administration service centre with branches in the
former provincial capitals, and for each of the 103 communes its People's Committee and its
commune service centre.

The electronic identification codes here are DEMO PLACEHOLDERS in the two legal formats
(R-ID-02/03): the real codes issued by the city are not in our sources. A province loads its
real codes with `motcua units_csv import` (see docs/operations.md).
"""

from __future__ import annotations

from django.db import transaction

from motcua.agencies.importer import parsed_code
from motcua.agencies.models import Unit, UnitKind
from motcua.core.text import fold
from motcua.geo.models import Commune, Province

DEPARTMENTS = [
    ("01", "Văn phòng Ủy ban nhân dân thành phố", "VP UBND"),
    ("02", "Sở Nội vụ", "SNV"),
    ("03", "Sở Tư pháp", "STP"),
    ("04", "Sở Tài chính", "STC"),
    ("05", "Sở Công Thương", "SCT"),
    ("06", "Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("07", "Sở Xây dựng", "SXD"),
    ("08", "Sở Khoa học và Công nghệ", "SKHCN"),
    ("09", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("10", "Sở Y tế", "SYT"),
    ("11", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("12", "Sở Dân tộc và Tôn giáo", "SDTTG"),
    ("13", "Thanh tra thành phố", "TTr"),
]
PSC_BRANCHES = [
    ("01", "Chi nhánh Trung tâm Phục vụ hành chính công tại Sóc Trăng", "Phường Sóc Trăng"),
    ("02", "Chi nhánh Trung tâm Phục vụ hành chính công tại Vị Thanh", "Phường Vị Thanh"),
]


def _lower_kind(name: str) -> str:
    """'Phường Ninh Kiều' → 'phường Ninh Kiều' inside a longer name."""
    for kind in ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu"):
        if name.startswith(kind + " "):
            return kind.lower() + name[len(kind) :]
    return name


def province_level1(province: Province) -> str:
    """Placeholder level-1 group: 'H' + the two-digit province code."""
    return f"H{province.code:02d}"


def _upsert(province: Province, code: str, **values: object) -> Unit:
    canonical, fmt, parsed = parsed_code(code)
    name = str(values["name"])
    unit, _ = Unit.objects.update_or_create(
        eid_code=canonical,
        defaults={
            "province": province,
            "eid_format": fmt,
            "eid_parsed": parsed,
            "name_folded": fold(name),
            **values,
        },
    )
    return unit


@transaction.atomic
def seed_province_units(province: Province) -> int:
    """Create (idempotently) the unit tree of ``province``; return the number of units."""
    level1 = province_level1(province)
    pc = _upsert(
        province,
        f"000.00.00.{level1}",
        kind=UnitKind.PROVINCIAL_PC,
        name=f"Ủy ban nhân dân {province.name}",
        short_name="UBND thành phố" if province.kind == Province.Kind.CITY else "UBND tỉnh",
        parent=None,
        address=f"{province.name}",
    )
    for number, name, short in DEPARTMENTS:
        _upsert(
            province,
            f"000.00.{number}.{level1}",
            kind=UnitKind.DEPARTMENT,
            name=name,
            short_name=short,
            parent=pc,
        )
    psc = _upsert(
        province,
        f"000.00.60.{level1}",
        kind=UnitKind.PROVINCIAL_PSC,
        name=f"Trung tâm Phục vụ hành chính công {_lower_kind(province.name)}",
        short_name="TTPVHCC thành phố",
        parent=pc,
        phone="1022",
    )
    for number, name, commune_name in PSC_BRANCHES:
        commune = Commune.objects.filter(province=province, name=commune_name).first()
        _upsert(
            province,
            f"000.{number}.60.{level1}",
            kind=UnitKind.PSC_BRANCH,
            name=name,
            short_name=name.replace("Chi nhánh Trung tâm Phục vụ hành chính công", "Chi nhánh"),
            parent=psc,
            commune=commune,
            address=commune_name,
        )
    police = _upsert(
        province,
        f"000.00.30.{level1}",
        kind=UnitKind.VERTICAL,
        name=f"Công an {_lower_kind(province.name)}",
        short_name="Công an thành phố" if province.kind == Province.Kind.CITY else "Công an tỉnh",
        parent=None,
    )
    for commune in Commune.objects.filter(province=province).order_by("code"):
        commune_pc = _upsert(
            province,
            f"{level1}.{commune.code}",
            kind=UnitKind.COMMUNE_PC,
            name=f"Ủy ban nhân dân {_lower_kind(commune.name)}",
            short_name=f"UBND {commune.name}",
            parent=pc,
            commune=commune,
            address=f"{commune.name}, {province.name}",
        )
        _upsert(
            province,
            f"{level1}.{commune.code}.01",
            kind=UnitKind.COMMUNE_PSC,
            name=f"Trung tâm Phục vụ hành chính công {_lower_kind(commune.name)}",
            short_name=f"TTPVHCC {commune.name}",
            parent=commune_pc,
            commune=commune,
            address=f"{commune.name}, {province.name}",
        )
        _upsert(
            province,
            f"{level1}.{commune.code}.02",
            kind=UnitKind.COMMUNE_POLICE,
            name=f"Công an {_lower_kind(commune.name)}",
            short_name=f"CA {commune.name}",
            parent=police,
            commune=commune,
            address=f"{commune.name}, {province.name}",
        )
    return Unit.objects.filter(province=province).count()
