"""Commune centres loaded by an operator (issue #18, docs/decisions/0021): the CSV is checked
whole before anything is written, and the nearest centre answers for a point only inside the
province and near enough."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.core.errors import ValidationFailed
from motcua.geo.centres import distance_km, load_centres, nearest_commune
from motcua.geo.models import Commune, Province

pytestmark = pytest.mark.django_db

# Centres as an operator would load them (here the points open-admin-data publishes for these
# wards, CC-BY-4.0; Motcua ships no centres).
CENTRES = """code,lat,long
31135,10.035,105.772
31120,10.057,105.784
00070,21.029,105.853
"""
NINH_KIEU, CAI_KHE, HOAN_KIEM = 31135, 31120, 70


def test_the_loader_sets_the_centres_it_names_and_leaves_the_others() -> None:
    assert load_centres(CENTRES) == 3
    ninh_kieu = Commune.objects.get(pk=NINH_KIEU)
    assert (ninh_kieu.latitude, ninh_kieu.longitude) == (10.035, 105.772)
    assert Commune.objects.filter(latitude__isnull=False).count() == 3
    assert load_centres("code,lat,long\n31135,10.036,105.771\n") == 1  # a reload corrects one
    assert Commune.objects.get(pk=NINH_KIEU).latitude == 10.036
    assert Commune.objects.get(pk=CAI_KHE).latitude == 10.057


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ma,vido,kinhdo\n31135,10,105\n", "dòng tiêu đề"),
        ("code,lat,long\nabc,10,105\n", "mã số 5 chữ số"),
        ("code,lat,long\n31135,10,105\n31135,10,105\n", "đã có ở dòng trước"),
        ("code,lat,long\n31135,mười,105\n", "không phải là số"),
        ("code,lat,long\n31135,105.77,10.03\n", "ngoài lãnh thổ Việt Nam"),  # lat/long swapped
        ("code,lat,long\n31135,10,105\n99999,10,105\n", "99999"),
    ],
)
def test_a_bad_file_is_refused_whole_with_a_precise_message(text: str, says: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        load_centres(text)
    assert says in refused.value.message_vi
    assert not Commune.objects.filter(latitude__isnull=False).exists()  # nothing written


def test_the_command_loads_a_file_and_reports_errors(tmp_path: Path, capsys: object) -> None:
    good = tmp_path / "centres.csv"
    good.write_text("\ufeff" + CENTRES, encoding="utf-8")  # a spreadsheet's BOM is fine
    call_command("load_commune_centres", str(good))
    assert Commune.objects.filter(latitude__isnull=False).count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("code,lat,long\n12345678,10,105\n", encoding="utf-8")
    with pytest.raises(CommandError, match="12345678"):
        call_command("load_commune_centres", str(bad))


def test_the_nearest_centre_within_the_province(can_tho: Province) -> None:
    load_centres(CENTRES)

    def near(lat: float, long: float) -> Commune | None:
        return nearest_commune(lat, long, province_id=can_tho.code, max_km=15.0)

    # Bến Ninh Kiều (the riverside quay) and the Cái Khế market side.
    found = near(10.0330, 105.7880)
    assert found is not None
    assert found.code == NINH_KIEU
    found = near(10.0590, 105.7830)
    assert found is not None
    assert found.code == CAI_KHE
    # Hà Nội is nearest Phường Hoàn Kiếm, another province's: not a commune of Cần Thơ.
    assert near(21.0285, 105.8542) is None
    # At sea off Côn Đảo: farther than the limit from every centre.
    assert near(8.5, 107.0) is None


def test_without_centres_no_point_routes(can_tho: Province) -> None:
    assert nearest_commune(10.0330, 105.7880, province_id=can_tho.code, max_km=15.0) is None


def test_distance_is_the_great_circle() -> None:
    # Ninh Kiều to Hoàn Kiếm, about 1,220 km as the crow flies.
    assert 1_200 < distance_km(10.035, 105.772, 21.029, 105.853) < 1_240
    assert distance_km(10.0, 105.0, 10.0, 105.0) == 0.0
