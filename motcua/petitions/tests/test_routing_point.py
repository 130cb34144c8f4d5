"""A report's place routes to its commune (issue #18, docs/decisions/0021): the address the
citizen typed first, then the coordinates (nearest operator-loaded commune centre), then the
provincial People's Committee; the request records how (``routed_by``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.agencies.models import Unit, UnitKind
from motcua.geo.centres import load_centres
from motcua.petitions.models import Petition
from motcua.petitions.open311.routing import route
from motcua.petitions.tests.test_open311 import _post, key  # noqa: F401 (fixture)
from motcua.petitions.tests.test_portal import _form

pytestmark = pytest.mark.django_db

# The operator's centres (the tests load them; Motcua ships none). Phường Ninh Kiều, Phường
# Cái Khế (Cần Thơ) and Phường Hoàn Kiếm (Hà Nội).
CENTRES = "code,lat,long\n31135,10.035,105.772\n31120,10.057,105.784\n00070,21.029,105.853\n"
QUAY = ("10.0330", "105.7880")  # Bến Ninh Kiều, in Phường Ninh Kiều
MARKET = ("10.0590", "105.7830")  # by the Cái Khế market, in Phường Cái Khế
HANOI = ("21.0285", "105.8542")  # Hồ Gươm, Hà Nội: outside the province
SEA = ("8.5000", "107.0000")  # at sea: far from every centre


@pytest.fixture
def centres(db: None) -> None:
    load_centres(CENTRES)


def test_route_prefers_the_address_then_the_point_then_the_province(
    centres: None, can_tho: Any, pc_a: Unit
) -> None:
    cai_khe_pc = Unit.objects.get(commune__code=31120, kind=UnitKind.COMMUNE_PC)
    # The typed address wins over a point in another commune: it is what the citizen said.
    by_address = route("Phường Ninh Kiều", can_tho.code, *map(float, MARKET))
    assert (by_address.unit, by_address.routed_by) == (pc_a, "address")
    by_point = route("", can_tho.code, *map(float, MARKET))
    assert (by_point.unit, by_point.routed_by) == (cai_khe_pc, "point")
    assert by_point.commune is not None
    assert by_point.commune.code == 31120
    unknown_street = route("Hẻm 51, đường không tên", can_tho.code, *map(float, QUAY))
    assert (unknown_street.unit, unknown_street.routed_by) == (pc_a, "point")
    for outside in (HANOI, SEA):
        nowhere = route("", can_tho.code, *map(float, outside))
        assert nowhere.unit is not None
        assert nowhere.unit.kind == UnitKind.PROVINCIAL_PC
        assert (nowhere.commune, nowhere.routed_by) == (None, "province")


@pytest.mark.parametrize(
    ("place", "commune_code", "routed_by"),
    [(QUAY, 31135, "point"), (MARKET, 31120, "point"), (HANOI, None, "province")],
)
def test_open311_coordinates_without_an_address_route_by_the_point(
    centres: None,
    traveller: Any,
    client: Client,
    key: str,  # noqa: F811
    place: tuple[str, str],
    commune_code: int | None,
    routed_by: str,
) -> None:
    response = _post(client, key, address_string="", lat=place[0], long=place[1])
    assert response.status_code == 201, response.content
    petition = Petition.objects.get(code=response.json()[0]["service_request_id"])
    assert petition.open311.routed_by == routed_by
    if commune_code is None:
        assert petition.commune is None
        assert petition.unit.kind == UnitKind.PROVINCIAL_PC
    else:
        assert petition.commune is not None
        assert petition.commune.code == commune_code
        assert petition.unit.commune_id == commune_code
        assert petition.unit.kind == UnitKind.COMMUNE_PC


def test_the_portal_map_pick_sets_the_commune(centres: None, traveller: Any, pc_a: Unit) -> None:
    """On the portal the citizen chooses the unit; the place picked on the map (no address)
    names the commune the report is about."""
    response = Client().post(
        "/phan-anh-kien-nghi/",
        {**_form(pc_a), "address": "", "latitude": MARKET[0], "longitude": MARKET[1]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    petition = Petition.objects.get()
    assert petition.commune is not None
    assert petition.commune.code == 31120


# Boundaries (docs/decisions/0026): hand-made rectangles from the geo tests (fixtures, not the
# real boundaries). Ninh Kiều's holds the quay, Cái Khế's the market side.
def _boundaries(*features: dict[str, Any]) -> None:
    from motcua.geo.boundaries import load_boundaries
    from motcua.geo.tests.test_boundaries import collection

    load_boundaries(collection(*features))


def _feature(code: int, name: str) -> dict[str, Any]:
    from motcua.geo.tests import test_boundaries as b

    return b.feature(code, getattr(b, f"{name}_BOX"))


def test_a_boundary_comes_before_the_nearest_centre(can_tho: Any, pc_a: Unit) -> None:
    # The quay is nearer Cái Khế's loaded centre than Ninh Kiều's, but inside Ninh Kiều's
    # boundary: the boundary decides.
    load_centres("code,lat,long\n31135,10.000,105.740\n31120,10.040,105.790\n")
    by_centre = route("", can_tho.code, *map(float, QUAY))
    assert by_centre.commune is not None
    assert (by_centre.commune.code, by_centre.routed_by) == (31120, "point")
    _boundaries(_feature(31135, "NINH_KIEU"))
    by_boundary = route("", can_tho.code, *map(float, QUAY))
    assert (by_boundary.unit, by_boundary.routed_by) == (pc_a, "point")
    # The address the citizen typed still comes first.
    assert route("Phường Cái Khế", can_tho.code, *map(float, QUAY)).commune.code == 31120  # type: ignore[union-attr]


def test_a_point_in_no_boundary_of_the_province_goes_to_the_province(can_tho: Any) -> None:
    _boundaries(_feature(31135, "NINH_KIEU"), _feature(31120, "CAI_KHE"), _feature(70, "HOAN_KIEM"))
    # Between the two boxes (no centre loaded), in Hà Nội's boundary, at sea: the province.
    for lat, lon in ((10.0500, 105.7650), (21.0285, 105.8542), (8.5, 107.0)):
        nowhere = route("", can_tho.code, lat, lon)
        assert nowhere.unit is not None
        assert nowhere.unit.kind == UnitKind.PROVINCIAL_PC
        assert (nowhere.commune, nowhere.routed_by) == (None, "province")
    # A point outside every loaded boundary is not in those communes, whatever their centres:
    # the nearest centre is looked for among the communes without a boundary only.
    load_centres("code,lat,long\n31135,10.044,105.766\n31120,10.046,105.771\n")
    assert route("", can_tho.code, 10.0500, 105.7650).routed_by == "province"
    load_centres("code,lat,long\n31168,10.052,105.760\n")  # Phường Bình Thủy: no boundary
    beside = route("", can_tho.code, 10.0500, 105.7650)
    assert beside.commune is not None
    assert (beside.commune.code, beside.routed_by) == (31168, "point")


def test_open311_and_the_portal_map_pick_route_by_the_boundary(
    traveller: Any,
    client: Client,
    key: str,  # noqa: F811
    pc_a: Unit,
) -> None:
    _boundaries(_feature(31135, "NINH_KIEU"), _feature(31120, "CAI_KHE"))
    response = _post(client, key, address_string="", lat=QUAY[0], long=QUAY[1])
    assert response.status_code == 201, response.content
    petition = Petition.objects.get(code=response.json()[0]["service_request_id"])
    assert (petition.unit, petition.open311.routed_by) == (pc_a, "point")
    response = Client().post(
        "/phan-anh-kien-nghi/",
        {**_form(pc_a), "address": "", "latitude": MARKET[0], "longitude": MARKET[1]},
    )
    assert response.status_code == 302
    picked = Petition.objects.exclude(pk=petition.pk).get()
    assert picked.commune is not None
    assert picked.commune.code == 31120


def test_the_demo_loads_the_configured_boundaries_and_a_map_pick_routes_by_them(
    traveller: Any, can_tho: Any, pc_a: Unit, settings: Any, tmp_path: Any
) -> None:
    """What ``demo_setup`` does with ``MOTCUA_DEMO_BOUNDARIES_FILE`` (a gzipped GeoJSON file,
    here the hand-made rectangles): then a map pick on the portal names its commune."""
    import gzip

    from motcua.geo.boundaries import load_demo_boundaries
    from motcua.geo.tests.test_boundaries import FILE

    settings.MOTCUA_DEMO_BOUNDARIES_FILE = ""
    path = tmp_path / "communes-92.geojson.gz"
    path.write_bytes(gzip.compress(FILE.encode()))
    settings.MOTCUA_DEMO_BOUNDARIES_FILE = str(path)
    assert load_demo_boundaries(can_tho) == (path, 3)
    response = Client().post(
        "/phan-anh-kien-nghi/",
        {**_form(pc_a), "address": "", "latitude": MARKET[0], "longitude": MARKET[1]},
    )
    assert response.status_code == 302
    picked = Petition.objects.get()
    assert picked.commune is not None
    assert picked.commune.name == "Phường Cái Khế"


def test_the_bundled_demo_boundaries_route_a_map_pick_to_its_commune(
    can_tho: Any, pc_a: Unit, settings: Any
) -> None:
    """The demo province's boundaries ship with the product (motcua/geo/data/README.md):
    with nothing configured ``demo_setup`` loads all 103 communes, and a point on the Ninh Kiều
    quay, by the Cái Khế market or in Hà Nội routes as a citizen would expect."""
    from motcua.geo.boundaries import BUNDLED_DIR, load_demo_boundaries

    settings.MOTCUA_DEMO_BOUNDARIES_FILE = ""
    assert load_demo_boundaries(can_tho) == (BUNDLED_DIR / "communes-92.geojson.gz", 103)
    places = [(QUAY, 31135, "point"), (MARKET, 31120, "point"), (HANOI, None, "province")]
    for point, code, how in places:
        routed = route("", can_tho.code, *map(float, point))
        assert (routed.commune.code if routed.commune else None, routed.routed_by) == (code, how)
