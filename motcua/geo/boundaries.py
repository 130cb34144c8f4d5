"""Commune boundaries loaded by an operator from a GeoJSON file, and the commune a point is in.

No public, redistributable data set of the 2025 communes' boundaries was found
(docs/decisions/0021 and 0026), so Motcua ships none: an operator loads a GeoJSON
FeatureCollection (RFC 7946: WGS 84, longitude before latitude) whose features are the communes'
Polygons or MultiPolygons, each carrying the national 5-digit 2025 commune code in a property
(``ma_xa`` unless told otherwise), e.g. exported from the province's own GIS.

The file is checked whole before anything is written; the first fault is named precisely, in
Vietnamese first. Geometry is read and tested with shapely (GEOS)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from django.conf import settings
from django.db import transaction
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from motcua.core.errors import ValidationFailed
from motcua.geo.centres import LAT_RANGE, LONG_RANGE
from motcua.geo.models import Commune, CommuneBoundary, Province

#: Where a bundled boundary file would be (none is bundled: docs/decisions/0026).
BUNDLED_DIR = Path(__file__).resolve().parent / "data"
#: The feature property that holds the commune code unless the operator names another.
DEFAULT_PROPERTY = "ma_xa"
#: Names of WGS 84 longitude/latitude a legacy ``crs`` member may give (RFC 7946 dropped it).
WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}

#: What shapely raises on coordinates it cannot read.
_UNREADABLE = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    shapely.errors.GEOSException,
)


@dataclass(frozen=True)
class Boundary:
    code: int
    geometry: BaseGeometry

    def as_geojson(self) -> dict[str, Any]:
        mapped: dict[str, Any] = json.loads(shapely.to_geojson(self.geometry))
        return mapped


def _refuse(vi: str, en: str) -> ValidationFailed:
    return ValidationFailed(vi, en, field="file")


def _code(value: Any, where: str, where_en: str, prop: str) -> int:
    """The 5-digit code of a feature's property: a number or a string of digits (leading
    zeros kept or not: 70 and "00070" are Phường Hoàn Kiếm)."""
    if isinstance(value, bool) or value is None:
        text = ""
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    if not text.isdigit() or len(text) > 5:
        shown = "trống" if value is None or text == "" else f"«{text}»"
        raise _refuse(
            f"{where}: thuộc tính {prop} ({shown}) phải là mã xã 5 chữ số của danh mục từ "
            "01/7/2025.",
            f"{where_en}: the property {prop} must be the 5-digit commune code (2025 list).",
        )
    return int(text)


def _geometry(raw: Any, where: str, where_en: str) -> BaseGeometry:
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        kind = raw.get("type") if isinstance(raw, dict) else None
        raise _refuse(
            f"{where}: ranh giới phải là Polygon hoặc MultiPolygon (tệp có "
            f"{kind or 'không có hình'}).",
            f"{where_en}: the geometry must be a Polygon or MultiPolygon (found {kind}).",
        )
    try:
        geometry = shapely.force_2d(shape(raw))
    except _UNREADABLE:
        raise _refuse(
            f"{where}: toạ độ của ranh giới không đọc được (mỗi vòng là danh sách các cặp "
            "[kinh độ, vĩ độ], khép kín, ít nhất 4 điểm).",
            f"{where_en}: the geometry's coordinates cannot be read.",
        ) from None
    if geometry.is_empty:
        raise _refuse(f"{where}: ranh giới rỗng.", f"{where_en}: the geometry is empty.")
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    inside = (
        LONG_RANGE[0] <= min_lon
        and max_lon <= LONG_RANGE[1]
        and LAT_RANGE[0] <= min_lat
        and max_lat <= LAT_RANGE[1]
    )
    if not inside:
        swapped = (
            LAT_RANGE[0] <= min_lon
            and max_lon <= LAT_RANGE[1]
            and LONG_RANGE[0] <= min_lat
            and max_lat <= LONG_RANGE[1]
        )
        hint = (
            " Có vẻ kinh độ và vĩ độ bị đảo: GeoJSON ghi kinh độ trước, vĩ độ sau."
            if swapped
            else " Tệp phải dùng hệ WGS 84 (độ), không phải VN-2000 (mét)."
        )
        raise _refuse(
            f"{where}: ranh giới nằm ngoài lãnh thổ Việt Nam (kinh độ {min_lon:g}…{max_lon:g}, "
            f"vĩ độ {min_lat:g}…{max_lat:g}).{hint}",
            f"{where_en}: the geometry lies outside Vietnam (GeoJSON is longitude, latitude in "
            "WGS 84 degrees).",
        )
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        raise _refuse(
            f'{where}: ranh giới không hợp lệ ({reason}); hãy sửa hình (ví dụ QGIS "Fix '
            'geometries" hoặc ogr2ogr -makevalid) rồi nạp lại.',
            f"{where_en}: invalid geometry ({reason}).",
        )
    return geometry


def read_boundaries(text: str, *, prop: str = DEFAULT_PROPERTY) -> list[Boundary]:
    """The features of a GeoJSON FeatureCollection, checked: a Polygon or MultiPolygon inside
    Vietnam, valid, carrying a known 2025 commune code in ``prop``, each code once."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise _refuse(
            f"Tệp không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}).",
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}).",
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _refuse(
            'Tệp phải là một GeoJSON FeatureCollection ("type": "FeatureCollection").',
            "The file must be a GeoJSON FeatureCollection.",
        )
    crs = data.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
        if name not in WGS84_NAMES:
            raise _refuse(
                f"Tệp dùng hệ toạ độ «{name or crs}»; hãy xuất lại theo WGS 84 (EPSG:4326).",
                f"The file uses the coordinate system {name or crs!r}; export it in WGS 84.",
            )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise _refuse("Tệp không có đối tượng nào (features rỗng).", "The file has no features.")
    boundaries: list[Boundary] = []
    seen: dict[int, int] = {}
    for number, feature in enumerate(features, start=1):
        where, where_en = f"Đối tượng thứ {number}", f"Feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise _refuse(
                f'{where} không phải là một Feature ("type": "Feature").',
                f"{where_en} is not a Feature.",
            )
        properties = feature.get("properties")
        if not isinstance(properties, dict) or prop not in properties:
            raise _refuse(
                f"{where} không có thuộc tính {prop} (mã xã). Nếu tệp ghi mã xã ở thuộc tính "
                "khác, hãy chỉ rõ bằng --property.",
                f"{where_en} has no property {prop} (the commune code); name another with "
                "--property.",
            )
        code = _code(properties[prop], where, where_en, prop)
        where, where_en = f"{where} (mã xã {code:05d})", f"{where_en} (commune {code:05d})"
        if code in seen:
            raise _refuse(
                f"{where}: mã xã đã có ở đối tượng thứ {seen[code]}; gộp các phần thành một "
                "MultiPolygon.",
                f"{where_en}: the code already appears in feature {seen[code]}.",
            )
        seen[code] = number
        boundaries.append(Boundary(code, _geometry(feature.get("geometry"), where, where_en)))
    known = set(Commune.objects.filter(code__in=seen).values_list("code", flat=True))
    unknown = sorted(set(seen) - known)
    if unknown:
        shown = ", ".join(f"{c:05d}" for c in unknown[:5])
        raise _refuse(
            f"Mã xã không có trong danh mục đơn vị hành chính từ 01/7/2025: {shown} (đối tượng "
            f"thứ {seen[unknown[0]]}).",
            f"Unknown commune codes (2025 list): {shown}.",
        )
    return boundaries


@transaction.atomic
def load_boundaries(text: str, *, prop: str = DEFAULT_PROPERTY) -> int:
    """Set the boundaries a file gives (all or nothing); communes it does not name keep
    theirs."""
    boundaries = read_boundaries(text, prop=prop)
    for boundary in boundaries:
        min_lon, min_lat, max_lon, max_lat = boundary.geometry.bounds
        CommuneBoundary.objects.update_or_create(
            commune_id=boundary.code,
            defaults={
                "geometry": boundary.as_geojson(),
                "min_longitude": min_lon,
                "min_latitude": min_lat,
                "max_longitude": max_lon,
                "max_latitude": max_lat,
            },
        )
    return len(boundaries)


def commune_containing(latitude: float, longitude: float) -> Commune | None:
    """The commune (of any province) whose loaded boundary covers the point, or None. A point
    on a border shared by two communes belongs to the one with the lower code."""
    point = Point(longitude, latitude)
    candidates = CommuneBoundary.objects.filter(
        min_latitude__lte=latitude,
        max_latitude__gte=latitude,
        min_longitude__lte=longitude,
        max_longitude__gte=longitude,
    ).order_by("commune_id")
    for row in candidates:
        if shape(row.geometry).covers(point):
            return Commune.objects.select_related("province").get(pk=row.commune_id)
    return None


def read_file(path: Path) -> str:
    """A GeoJSON file's text; ``.gz`` files are decompressed. Raises OSError,
    UnicodeDecodeError (or gzip.BadGzipFile, an OSError) for the caller to report."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def demo_boundaries_file(province: Province) -> Path | None:
    """The boundary file ``make demo`` loads: ``MOTCUA_DEMO_BOUNDARIES_FILE``, else a bundled
    ``geo/data/communes-<province code>.geojson.gz`` when one exists, else None."""
    configured = str(settings.MOTCUA_DEMO_BOUNDARIES_FILE or "")
    if configured:
        return Path(configured)
    bundled = BUNDLED_DIR / f"communes-{province.code:02d}.geojson.gz"
    return bundled if bundled.exists() else None


def load_demo_boundaries(province: Province) -> tuple[Path | None, int]:
    """Load the demo's boundary file, if there is one: (its path, features loaded)."""
    path = demo_boundaries_file(province)
    if path is None:
        return None, 0
    return path, load_boundaries(read_file(path))
