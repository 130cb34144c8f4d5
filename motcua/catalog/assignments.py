"""Per-province assignment of procedures to the units that implement them.

Provinces publish, per procedure, the competent unit, whether it is boundary-free and the
decision that says so (R-ORG-03, R-CAT-02). ``assign_defaults`` derives a first assignment from
the competent level and field so a province starts with something to correct; the CSV
``import_assignments`` replaces it with the province's published decision.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import transaction

from motcua.agencies.models import Unit, UnitKind
from motcua.catalog.models import CompetentLevel, OnlineLevel, Procedure, ProcedureVersion
from motcua.core.importing import ImportReport, RowError
from motcua.geo.models import Province

POLICE = "Công an"
# Field (folded) → department of the demo tree. Fields not listed go to the People's Committee.
FIELD_DEPARTMENT = {
    "ho tich": "Sở Tư pháp",
    "chung thuc": "Sở Tư pháp",
    "cong chung": "Sở Tư pháp",
    "luat su": "Sở Tư pháp",
    # Judicial records moved to the Ministry of Public Security in 2025 (DOMAIN §14 note).
    "ly lich tu phap": POLICE,
    "quan ly xuat nhap canh": POLICE,
    "cap quan ly can cuoc": POLICE,
    "dang ky quan ly cu tru": POLICE,
    "quan ly vu khi vat lieu no cong cu ho tro va phao": POLICE,
    "phong chay chua chay": POLICE,
    "dang ky quan ly phuong tien giao thong co gioi xe may chuyen dung": POLICE,
    "tro giup phap ly": "Sở Tư pháp",
    "giam dinh tu phap": "Sở Tư pháp",
    "nuoi con nuoi": "Sở Tư pháp",
    "thua phat lai": "Sở Tư pháp",
    "dau gia tai san": "Sở Tư pháp",
    "hoa giai thuong mai": "Sở Tư pháp",
    "trong tai thuong mai": "Sở Tư pháp",
    "dat dai": "Sở Nông nghiệp và Môi trường",
    "tai nguyen nuoc": "Sở Nông nghiệp và Môi trường",
    "dia chat va khoang san": "Sở Nông nghiệp và Môi trường",
    "bien va hai dao": "Sở Nông nghiệp và Môi trường",
    "thuy loi": "Sở Nông nghiệp và Môi trường",
    "thuy san": "Sở Nông nghiệp và Môi trường",
    "thu y": "Sở Nông nghiệp và Môi trường",
    "lam nghiep": "Sở Nông nghiệp và Môi trường",
    "kiem lam": "Sở Nông nghiệp và Môi trường",
    "chan nuoi": "Sở Nông nghiệp và Môi trường",
    "nong nghiep": "Sở Nông nghiệp và Môi trường",
    "trong trot": "Sở Nông nghiệp và Môi trường",
    "trong trot va bao ve thuc vat": "Sở Nông nghiệp và Môi trường",
    "hoat dong xay dung": "Sở Xây dựng",
    "nha o va cong so": "Sở Xây dựng",
    "kinh doanh bat dong san": "Sở Xây dựng",
    "duong bo": "Sở Xây dựng",
    "duong sat": "Sở Xây dựng",
    "hang hai va duong thuy noi dia": "Sở Xây dựng",
    "thanh lap va hoat dong cua doanh nghiep": "Sở Tài chính",
    "dau tu tai viet nam": "Sở Tài chính",
    "quan ly cong san": "Sở Tài chính",
    "thanh lap va hoat dong cua to hop tac hop tac xa lien hiep hop tac xa": "Sở Tài chính",
}


def _current_versions(province: Province) -> list[ProcedureVersion]:
    return list(
        ProcedureVersion.objects.filter(
            pk__in=Procedure.objects.filter(province=province).values("current_id")
        ).select_related("field")
    )


@transaction.atomic
def assign_defaults(province: Province, *, boundary_free_basis: str = "") -> ImportReport:
    """Commune procedures → every commune People's Committee (or commune police); provincial →
    the department of the field. ``boundary_free_basis`` names the province's decision listing
    its boundary-free procedures; when given, commune and provincial procedures are marked."""
    units = Unit.objects.filter(province=province)
    commune_pcs = list(units.filter(kind=UnitKind.COMMUNE_PC))
    police = list(units.filter(kind=UnitKind.COMMUNE_POLICE))
    departments = {u.name: u for u in units.filter(kind=UnitKind.DEPARTMENT)}
    provincial_police = units.filter(kind=UnitKind.VERTICAL, name__startswith=POLICE).first()
    if provincial_police is not None:
        departments[POLICE] = provincial_police
    pc = units.filter(kind=UnitKind.PROVINCIAL_PC).first()
    report = ImportReport()
    through = ProcedureVersion.implementing_units.through
    links: list[Any] = []
    versions = _current_versions(province)
    for version in versions:
        if version.competent_level == CompetentLevel.COMMUNE:
            targets = police if version.competent_body_type == "Công an cấp xã" else commune_pcs
        else:
            dept = departments.get(FIELD_DEPARTMENT.get(version.field.name_folded, ""))
            targets = [dept] if dept else ([pc] if pc else [])
        links.extend(through(procedureversion_id=version.pk, unit_id=u.pk) for u in targets)
        report.assigned += 1
    through.objects.filter(procedureversion_id__in=[v.pk for v in versions]).delete()
    through.objects.bulk_create(links, batch_size=2000)
    if boundary_free_basis:
        ProcedureVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
            boundary_free=True, boundary_free_basis=boundary_free_basis
        )
    return report


ASSIGNMENT_COLUMNS = [
    "code",
    "unit_eid_codes",
    "boundary_free",
    "boundary_free_basis",
    "online_level",
]


@transaction.atomic
def import_assignments(text: str, *, province: Province) -> ImportReport:
    """CSV: code, unit_eid_codes (separated by ';'), boundary_free (yes/no), basis, online_level.
    All-or-nothing, like every import."""
    report = ImportReport()
    versions = {
        v.procedure.code_national: v
        for v in ProcedureVersion.objects.filter(
            pk__in=Procedure.objects.filter(province=province).values("current_id")
        ).select_related("procedure")
    }
    units = {u.eid_code: u for u in Unit.objects.filter(province=province)}
    plan: list[tuple[ProcedureVersion, list[Unit], bool, str, str]] = []
    for index, row in enumerate(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))), start=2):
        code = (row.get("code") or "").strip()
        version = versions.get(code)
        if version is None:
            report.errors.append(
                RowError(index, "code", f"không có thủ tục “{code}” trong danh mục")
            )
            continue
        eids = [e.strip() for e in (row.get("unit_eid_codes") or "").split(";") if e.strip()]
        missing = [e for e in eids if e not in units]
        if missing:
            report.errors.append(
                RowError(index, "unit_eid_codes", f"không có đơn vị mã {', '.join(missing)}")
            )
        flag = (row.get("boundary_free") or "").strip().lower()
        if flag not in ("", "yes", "no"):
            report.errors.append(RowError(index, "boundary_free", "chỉ nhận yes/no"))
        online = (row.get("online_level") or "").strip()
        if online and online not in OnlineLevel.values:
            report.errors.append(RowError(index, "online_level", "giá trị không hợp lệ"))
        basis = (row.get("boundary_free_basis") or "").strip()
        if flag == "yes" and not basis:
            report.errors.append(
                RowError(index, "boundary_free_basis", "cần số quyết định công bố (R-ORG-03)")
            )
        plan.append((version, [units[e] for e in eids if e in units], flag == "yes", basis, online))
    if report.errors:
        transaction.set_rollback(True)
        return report
    for version, targets, free, basis, online in plan:
        if targets:
            version.implementing_units.set(targets)
        version.boundary_free = free
        version.boundary_free_basis = basis
        if online:
            version.online_level = online
        version.save(
            update_fields=["boundary_free", "boundary_free_basis", "online_level", "updated_at"]
        )
        report.assigned += 1
    return report
