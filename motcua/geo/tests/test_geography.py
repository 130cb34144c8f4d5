from __future__ import annotations

import pytest

from motcua.geo.loader import load_geography
from motcua.geo.models import Commune, Province
from motcua.geo.selectors import search_communes

pytestmark = pytest.mark.django_db


def test_it_holds_the_34_provinces_and_3321_communes_in_force_since_july_2025() -> None:
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_can_tho_has_103_commune_level_units(can_tho: Province) -> None:
    assert can_tho.name == "Thành phố Cần Thơ"
    assert can_tho.kind == Province.Kind.CITY
    assert Commune.objects.filter(province=can_tho).count() == 103


def test_every_province_has_communes_and_names_are_nfc() -> None:
    import unicodedata

    for province in Province.objects.all():
        assert province.communes.exists(), province.name
        assert unicodedata.is_normalized("NFC", province.name)
    assert all(
        unicodedata.is_normalized("NFC", n) for n in Commune.objects.values_list("name", flat=True)
    )


def test_loading_again_changes_nothing() -> None:
    counts = load_geography()
    assert (counts.provinces, counts.communes) == (34, 3321)


def test_names_with_two_spaces_in_the_data_are_loaded_single_spaced_and_nfc() -> None:
    """vietnam-provinces writes ten names with two spaces after the kind ("Xã  Phú Hữu")."""
    import unicodedata

    from vietnam_provinces import Ward

    doubled = {int(w.code): w.name for w in Ward.iter_all() if "  " in w.name}
    assert {31378, 31561} <= doubled.keys()
    Commune.objects.filter(code__in=doubled).update(name="stale")
    load_geography()
    names = dict(Commune.objects.filter(code__in=doubled).values_list("code", "name"))
    assert names[31378] == unicodedata.normalize("NFC", "Xã Phú Hữu")
    assert names[31561] == unicodedata.normalize("NFC", "Xã Đại Hải")
    for code, name in names.items():
        assert name == " ".join(doubled[code].split()), code
        assert unicodedata.is_normalized("NFC", name)
    assert not Commune.objects.filter(name__contains="  ").exists()
    assert not Province.objects.filter(name__contains="  ").exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ninh kieu", "Phường Ninh Kiều"),
        ("Ninh Kiều", "Phường Ninh Kiều"),
        ("NINH KIEU", "Phường Ninh Kiều"),
        ("cai khe", "Phường Cái Khế"),
        ("co do", "Xã Cờ Đỏ"),
    ],
)
def test_it_finds_communes_with_or_without_diacritics(
    can_tho: Province, query: str, expected: str
) -> None:
    names = list(search_communes(query, province=can_tho).values_list("name", flat=True))
    assert expected in names


def test_a_search_is_limited_to_the_province_when_asked(can_tho: Province) -> None:
    everywhere = search_communes("phuong 1").count()
    in_can_tho = search_communes("phuong 1", province=can_tho).count()
    assert in_can_tho <= everywhere
    assert all(c.province_id == can_tho.code for c in search_communes("xa", province=can_tho))
