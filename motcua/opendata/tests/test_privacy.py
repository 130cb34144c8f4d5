"""Issue #17 item 2 (R-PDP-04): no published resource holds a personal identifier or a count of
people below the threshold; small counts are published empty and the rule is configurable."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from motcua.opendata import publish
from motcua.opendata.datasets import DATASETS
from motcua.opendata.models import DatastoreRow, ResourceVersion
from motcua.opendata.privacy import PERSONAL_PATTERNS, percent, small_counts, suppress
from motcua.opendata.tests.conftest import PETITIONER, PETITIONER_PHONE, TODAY, Seeded


def test_the_rule_blanks_counts_from_one_to_the_threshold() -> None:
    row, n = suppress({"a": 0, "b": 1, "c": 4, "d": 5, "e": None, "name": "x"}, "abcde", 5)
    assert row == {"a": 0, "b": None, "c": None, "d": 5, "e": None, "name": "x", "suppressed": True}
    assert n == 2
    assert percent(None, 10) is None
    assert percent(3, 0) is None
    assert percent(1, 3) == 33.33


def _current_rows() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for v in ResourceVersion.objects.filter(current=True):
        out[f"{v.dataset}/{v.resource}"] = list(
            DatastoreRow.objects.filter(version=v).order_by("n").values_list("data", flat=True)
        )
    return out


def test_no_resource_holds_a_small_count_or_a_personal_identifier(
    seeded: Seeded, settings: Any
) -> None:
    rows = _current_rows()
    expected = {f"{d.slug}/{t.slug}" for d in DATASETS for t in d.tables}
    assert set(rows) == expected  # every table of every dataset was checked
    threshold = settings.MOTCUA_OPENDATA_MIN_COUNT
    for d in DATASETS:
        for t in d.tables:
            key = f"{d.slug}/{t.slug}"
            assert small_counts(rows[key], t.count_fields, threshold) == [], key
            for row in rows[key]:
                for value in row.values():
                    if not isinstance(value, str):
                        continue
                    for name, pattern in PERSONAL_PATTERNS.items():
                        assert not pattern.search(value), (key, name, value)
                    assert PETITIONER not in value, key
    # The downloads say the same (nothing else is added on the way out).
    client = Client()
    for d in DATASETS:
        for t in d.tables:
            body = client.get(f"/du-lieu-mo/{d.slug}/{t.slug}.json").content.decode()
            assert PETITIONER not in body
            assert PETITIONER_PHONE not in body


def test_small_counts_are_blank_and_large_ones_published(seeded: Seeded) -> None:
    rows = _current_rows()["thong-ke-ho-so/theo-don-vi-thang"]
    a = next(r for r in rows if r["unit_code"] == seeded.unit_a.eid_code)
    assert a["month"] == "2026-03"
    assert (a["received"], a["online"], a["on_time"], a["early"]) == (40, 25, 30, 6)
    assert a["late"] is None  # 2 late dossiers
    assert a["reused"] is None  # 3
    assert a["reuse_share"] is None  # never a percentage of a suppressed count
    assert a["online_share"] == 62.5
    assert a["suppressed"] is True
    b = next(r for r in rows if r["unit_code"] == seeded.unit_b.eid_code)
    assert b["received"] is None  # 3 dossiers in the month: the whole row is blank
    assert b["online_share"] is None
    feedback = _current_rows()["thong-ke-phan-anh-danh-gia/theo-don-vi-quy"]
    fa = next(r for r in feedback if r["unit_code"] == seeded.unit_a.eid_code)
    assert fa["period"] == "2026-Q1"
    assert (fa["petitions"], fa["ratings"]) == (6, 7)
    assert fa["ratings_unsatisfied"] is None  # 1
    assert fa["ratings_satisfied_share"] is None


@pytest.mark.usefixtures("clock")
def test_the_threshold_is_a_setting(seeded: Seeded, settings: Any) -> None:
    settings.MOTCUA_OPENDATA_MIN_COUNT = 2
    publish.run(today=TODAY, only=["thong-ke-ho-so"])
    rows = _current_rows()["thong-ke-ho-so/theo-don-vi-thang"]
    a = next(r for r in rows if r["unit_code"] == seeded.unit_a.eid_code)
    assert (a["late"], a["reused"]) == (2, 3)
    assert json.dumps(a["reuse_share"]) == "7.5"
