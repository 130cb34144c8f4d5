"""Commune boundaries loaded by an operator (issue #18, docs/decisions/0026): the GeoJSON file
is checked whole before anything is written, with a precise Vietnamese message for the first
fault, and a point is in the commune whose boundary covers it.

The polygons here are hand-made rectangles around well-known places, test fixtures only: not
the communes' real boundaries (Motcua ships none)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.core.errors import ValidationFailed
from motcua.geo.boundaries import commune_containing, load_boundaries
from motcua.geo.models import CommuneBoundary

pytestmark = pytest.mark.django_db

NINH_KIEU, CAI_KHE, HOAN_KIEM = 31135, 31120, 70


def box(west: float, south: float, east: float, north: float) -> list[list[list[float]]]:
    """A Polygon's coordinates: one closed ring, [longitude, latitude] pairs (RFC 7946)."""
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


#: Rectangles sharing the edge at latitude 10.045: "Ninh Kiều" south of it (holding Bến Ninh
#: Kiều, 10.0330 N 105.7880 E), "Cái Khế" north (holding the market side, 10.0590 N 105.7830 E);
#: "Hoàn Kiếm" round Hồ Gươm in Hà Nội (21.0285 N 105.8542 E).
NINH_KIEU_BOX = box(105.760, 10.020, 105.800, 10.045)
CAI_KHE_BOX = box(105.770, 10.045, 105.800, 10.070)
HOAN_KIEM_BOX = box(105.840, 21.020, 105.860, 21.040)


def feature(
    code: Any, coordinates: Any, kind: str = "Polygon", prop: str = "ma_xa"
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {prop: code, "ten_xa": "x"},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def collection(*features: dict[str, Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


FILE = collection(
    feature("31135", NINH_KIEU_BOX),
    feature(31120, CAI_KHE_BOX),  # a number is fine too
    feature("00070", [HOAN_KIEM_BOX], kind="MultiPolygon"),
)


def test_the_loader_stores_the_boundaries_it_names_and_leaves_the_others() -> None:
    assert load_boundaries(FILE) == 3
    stored = CommuneBoundary.objects.get(commune_id=NINH_KIEU)
    assert stored.geometry["type"] == "Polygon"
    assert (stored.min_longitude, stored.min_latitude) == (105.760, 10.020)
    assert (stored.max_longitude, stored.max_latitude) == (105.800, 10.045)
    # A reload corrects one commune; the others keep theirs.
    assert load_boundaries(collection(feature(NINH_KIEU, box(105.75, 10.02, 105.80, 10.045)))) == 1
    assert CommuneBoundary.objects.get(commune_id=NINH_KIEU).min_longitude == 105.75
    assert CommuneBoundary.objects.count() == 3


def test_the_code_property_is_named_by_the_operator() -> None:
    text = collection(feature("31135", NINH_KIEU_BOX, prop="MaXa2025"))
    with pytest.raises(ValidationFailed) as refused:
        load_boundaries(text)
    assert "không có thuộc tính ma_xa" in refused.value.message_vi
    assert load_boundaries(text, prop="MaXa2025") == 1


BOWTIE = [[[105.76, 10.02], [105.80, 10.045], [105.80, 10.02], [105.76, 10.045], [105.76, 10.02]]]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "không phải JSON hợp lệ (dòng 1"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "không có đối tượng"),
        (collection({"type": "Point"}), "Đối tượng thứ 1 không phải là một Feature"),
        (collection(feature("31135", NINH_KIEU_BOX, prop="code")), "không có thuộc tính ma_xa"),
        (collection(feature("Ninh Kiều", NINH_KIEU_BOX)), "phải là mã xã 5 chữ số"),
        (collection(feature("311350", NINH_KIEU_BOX)), "phải là mã xã 5 chữ số"),
        (
            collection(feature(31135, NINH_KIEU_BOX), feature("31135", CAI_KHE_BOX)),
            "Đối tượng thứ 2 (mã xã 31135): mã xã đã có ở đối tượng thứ 1",
        ),
        (
            collection(feature(31135, [105.78, 10.03], kind="Point")),
            "phải là Polygon hoặc MultiPolygon (tệp có Point)",
        ),
        (collection(feature(31135, [[[105.76, 10.02], [105.8]]])), "không đọc được"),
        (  # latitude first: not GeoJSON's order
            collection(feature(31135, [[[lat, lon] for lon, lat in NINH_KIEU_BOX[0]]])),
            "kinh độ và vĩ độ bị đảo",
        ),
        (  # VN-2000 metres, not degrees
            collection(feature(31135, box(587000, 1109000, 590000, 1112000))),
            "không phải VN-2000",
        ),
        (collection(feature(31135, BOWTIE)), "ranh giới không hợp lệ (Self-intersection"),
        (
            collection(feature(31135, NINH_KIEU_BOX), feature(99999, CAI_KHE_BOX)),
            "không có trong danh mục đơn vị hành chính từ 01/7/2025: 99999 (đối tượng thứ 2)",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "EPSG:9210"}},
                    "features": [feature(31135, NINH_KIEU_BOX)],
                }
            ),
            "EPSG:9210",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_with_a_precise_message(text: str, says: str) -> None:
    load_boundaries(collection(feature(CAI_KHE, CAI_KHE_BOX)))
    before = list(CommuneBoundary.objects.values_list("commune_id", "geometry"))
    with pytest.raises(ValidationFailed) as refused:
        load_boundaries(text)
    assert says in refused.value.message_vi
    assert refused.value.message_en  # English second
    # Nothing written: the earlier load is untouched.
    assert list(CommuneBoundary.objects.values_list("commune_id", "geometry")) == before


def test_the_command_loads_a_file_and_reports_errors(tmp_path: Path) -> None:
    good = tmp_path / "ranh-gioi.geojson"
    good.write_text(FILE.replace('"ma_xa"', '"code"'), encoding="utf-8")
    call_command("load_commune_boundaries", str(good), "--property", "code")
    assert CommuneBoundary.objects.count() == 3
    bad = tmp_path / "bad.geojson"
    bad.write_text(collection(feature("12345678", CAI_KHE_BOX)), encoding="utf-8")
    with pytest.raises(CommandError, match="12345678"):
        call_command("load_commune_boundaries", str(bad))
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("load_commune_boundaries", str(tmp_path / "khong-co.geojson"))


def _code(lat: float, lon: float) -> int | None:
    found = commune_containing(lat, lon)
    return None if found is None else found.code


def test_the_commune_whose_boundary_covers_the_point() -> None:
    assert _code(10.0330, 105.7880) is None  # nothing loaded
    hole = box(105.785, 10.030, 105.790, 10.035)[0]
    load_boundaries(
        collection(
            feature(NINH_KIEU, [NINH_KIEU_BOX[0], hole]),  # a Polygon with a hole
            feature(CAI_KHE, CAI_KHE_BOX),
            feature(HOAN_KIEM, [HOAN_KIEM_BOX], kind="MultiPolygon"),
        )
    )
    assert _code(10.0250, 105.7700) == NINH_KIEU
    assert _code(10.0590, 105.7830) == CAI_KHE
    assert _code(21.0285, 105.8542) == HOAN_KIEM
    assert _code(10.0330, 105.7880) is None  # in the hole
    assert _code(10.0450, 105.7800) == CAI_KHE  # on the shared edge: the lower code
    assert _code(10.0500, 105.7650) is None  # west of Cái Khế, north of Ninh Kiều: in neither
    assert _code(8.5, 107.0) is None  # at sea
