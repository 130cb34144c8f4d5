"""Commune centres loaded by an operator from a CSV file, and the nearest centre to a point.

No public, redistributable data set of the 2025 communes' boundaries or centres was found
(docs/decisions/0021-commune-centres-from-the-operator.md), so Motcua ships none: an operator
loads a file ``code,lat,long`` (national 5-digit commune code, WGS 84 degrees) for the communes
they know, e.g. the People's Committees' headquarters from the province's own GIS."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from django.db import transaction

from motcua.core.errors import ValidationFailed
from motcua.geo.models import Commune

#: Vietnam's extent with its islands, generously: a point outside cannot be a commune centre.
LAT_RANGE = (6.0, 24.0)
LONG_RANGE = (101.0, 118.0)
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Centre:
    code: int
    latitude: float
    longitude: float


def _number(text: str, line: int, what: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValidationFailed(
            f"Dòng {line}: {what} «{text.strip()}» không phải là số.",
            f"Line {line}: {what} is not a number.",
            field="file",
        ) from None
    if not math.isfinite(value):
        raise ValidationFailed(
            f"Dòng {line}: {what} không hợp lệ.", f"Line {line}: bad {what}.", field="file"
        )
    return value


def read_centres(text: str) -> list[Centre]:
    """The rows of a ``code,lat,long`` CSV (a header line naming those columns is required),
    checked: known commune codes, each once, coordinates inside Vietnam's extent."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    wanted = {"code", "lat", "long"}
    if reader.fieldnames is None or not wanted <= {f.strip() for f in reader.fieldnames}:
        raise ValidationFailed(
            "Tệp phải có dòng tiêu đề với các cột code, lat, long.",
            "The file needs a header line with the columns code, lat, long.",
            field="file",
        )
    centres: list[Centre] = []
    seen: set[int] = set()
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "") for k, v in raw.items()}
        code_text = row["code"].strip()
        if not code_text.isdigit():
            raise ValidationFailed(
                f"Dòng {line}: mã xã «{code_text}» phải là mã số 5 chữ số.",
                f"Line {line}: the commune code must be the 5-digit national code.",
                field="file",
            )
        code = int(code_text)
        if code in seen:
            raise ValidationFailed(
                f"Dòng {line}: mã xã {code_text} đã có ở dòng trước.",
                f"Line {line}: commune {code_text} appears twice.",
                field="file",
            )
        seen.add(code)
        lat = _number(row["lat"], line, "vĩ độ")
        lon = _number(row["long"], line, "kinh độ")
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LONG_RANGE[0] <= lon <= LONG_RANGE[1]):
            raise ValidationFailed(
                f"Dòng {line}: toạ độ {lat}, {lon} nằm ngoài lãnh thổ Việt Nam "
                "(vĩ độ rồi kinh độ, hệ WGS 84).",
                f"Line {line}: {lat}, {lon} is outside Vietnam (lat then long, WGS 84).",
                field="file",
            )
        centres.append(Centre(code, lat, lon))
    known = set(Commune.objects.filter(code__in=seen).values_list("code", flat=True))
    unknown = sorted(seen - known)
    if unknown:
        shown = ", ".join(f"{c:05d}" for c in unknown[:5])
        raise ValidationFailed(
            f"Mã xã không có trong danh mục đơn vị hành chính từ 01/7/2025: {shown}.",
            f"Unknown commune codes (2025 list): {shown}.",
            field="file",
        )
    return centres


@transaction.atomic
def load_centres(text: str) -> int:
    """Set the centres a CSV gives (all or nothing); communes it does not name keep theirs."""
    centres = read_centres(text)
    communes = {c.code: c for c in Commune.objects.filter(code__in=[x.code for x in centres])}
    for centre in centres:
        commune = communes[centre.code]
        commune.latitude, commune.longitude = centre.latitude, centre.longitude
    Commune.objects.bulk_update(communes.values(), ["latitude", "longitude"], batch_size=500)
    return len(centres)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def nearest_commune(
    latitude: float,
    longitude: float,
    *,
    province_id: int,
    max_km: float,
    without_boundary: bool = False,
) -> Commune | None:
    """The commune of the province whose centre is nearest the point, or None: when no centre
    is loaded, when the nearest of all loaded centres is another province's (the point is
    outside this one), or when it is farther than ``max_km`` (at sea, abroad).
    ``without_boundary`` leaves out the communes whose boundary is loaded (the caller knows
    the point lies in none of them: docs/decisions/0026)."""
    found = Commune.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if without_boundary:
        found = found.filter(boundary__isnull=True)
    rows = found.values_list("code", "province_id", "latitude", "longitude")
    best: tuple[float, int, int] | None = None
    for code, province, lat, lon in rows.iterator():
        if lat is None or lon is None:  # filtered out above; for the type checker
            continue
        d = distance_km(latitude, longitude, lat, lon)
        if best is None or (d, code) < (best[0], best[1]):
            best = (d, code, province)
    if best is None or best[2] != province_id or best[0] > max_km:
        return None
    return Commune.objects.select_related("province").get(pk=best[1])
