"""The unit tree, its e-ID codes, and CSV import/export with a row-by-row report."""

from __future__ import annotations

import pytest

from motcua.agencies.importer import export_units_csv, import_units_csv
from motcua.agencies.models import Unit, UnitKind
from motcua.geo.models import Province

pytestmark = pytest.mark.django_db

HEADER = (
    "eid_code,name,short_name,kind,parent_eid_code,commune_code,address,phone,email,"
    "valid_from,valid_to\n"
)


def test_the_demo_tree_has_a_peoples_committee_departments_and_service_centres(
    can_tho: Province,
) -> None:
    units = Unit.objects.filter(province=can_tho)
    assert units.filter(kind=UnitKind.PROVINCIAL_PC).count() == 1
    assert units.filter(kind=UnitKind.PROVINCIAL_PSC).count() == 1
    assert units.filter(kind=UnitKind.PSC_BRANCH).count() == 2
    assert units.filter(kind=UnitKind.DEPARTMENT).count() >= 10
    assert units.filter(kind=UnitKind.COMMUNE_PSC).count() == 103
    pc = units.get(kind=UnitKind.PROVINCIAL_PC)
    assert pc.eid_format == "QCVN102"
    assert pc.eid_code == "000.00.00.H92"


def test_a_commune_centre_sits_under_its_peoples_committee(psc_a: Unit, pc_a: Unit) -> None:
    assert psc_a.parent == pc_a
    assert psc_a.is_receiving_point
    assert not pc_a.is_receiving_point
    assert psc_a.level == "commune"
    assert psc_a.eid_format == "QD20"


def test_import_creates_units_and_a_second_import_changes_nothing(can_tho: Province) -> None:
    csv_text = HEADER + (
        "000.00.20.H92,Công an thành phố Cần Thơ,CATP,co_quan_doc,000.00.00.H92,,,,,01/07/2025,\n"
        "000.01.20.H92,Phòng Cảnh sát quản lý hành chính,PC06,co_quan_doc,000.00.20.H92,,,,,,\n"
    )
    first = import_units_csv(csv_text, province=can_tho)
    assert first.ok, first.errors
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    child = Unit.objects.get(eid_code="000.01.20.H92")
    assert child.parent is not None
    assert child.parent.eid_code == "000.00.20.H92"
    second = import_units_csv(csv_text, province=can_tho)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)


def test_a_bad_file_is_reported_row_by_row_and_nothing_is_written(can_tho: Province) -> None:
    before = Unit.objects.count()
    csv_text = HEADER + (
        "000.00.21.H92,Đơn vị hợp lệ,,co_quan_doc,,,,,,,\n"
        "000.0.21.H92,Mã sai độ dài,,co_quan_doc,,,,,,,\n"
        "000.00.22.H92,,,khong_co_loai_nay,,,,,,,\n"
        "000.00.23.H92,Xã không tồn tại,,ubnd_xa,,99999999,,,,31/02/2025,\n"
        "000.00.21.H92,Trùng mã,,co_quan_doc,000.99.99.H92,,,,,,\n"
    )
    report = import_units_csv(csv_text, province=can_tho)
    assert not report.ok
    where = {(e.row, e.column) for e in report.errors}
    assert (3, "eid_code") in where
    assert (4, "name") in where
    assert (4, "kind") in where
    assert (5, "commune_code") in where
    assert (5, "valid_from") in where
    assert (6, "eid_code") in where  # duplicate of row 2
    assert all(str(e).startswith(f"Dòng {e.row}, cột") for e in report.errors)
    assert Unit.objects.count() == before


def test_a_missing_column_is_reported(can_tho: Province) -> None:
    report = import_units_csv("name,kind\nA,co_quan_doc\n", province=can_tho)
    assert not report.ok
    assert report.errors[0].column == "eid_code"


def test_export_then_import_round_trips(can_tho: Province) -> None:
    text = export_units_csv(can_tho)
    assert text.splitlines()[0].startswith("eid_code,name")
    assert len(text.splitlines()) == Unit.objects.filter(province=can_tho).count() + 1
    report = import_units_csv(text, province=can_tho)
    assert report.ok, report.errors[:3]
    assert report.created == 0
    assert report.updated == 0
