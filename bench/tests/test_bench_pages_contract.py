"""``motcua bench pages`` keeps its output contract (the format of the last line, never the
timing) and measures every read page of the locust mix (bench/locustfile.py)."""

from __future__ import annotations

import re

import pytest

from bench.pages import MIX, last_line, pages, parse
from bench.tests.test_bench_contract import ROOT, run_bench

NUMBER = r"\d+(?:\.\d+)?"
PAGE_KEYS = (
    "portal_home", "procedure_list", "procedure_page", "tracking_form", "tracking_lookup",
    "desk_home", "desk_search", "dossier_page", "board", "board_assembled",
)  # fmt: skip


def test_every_read_page_of_the_locust_mix_is_measured_and_weighted() -> None:
    locustfile = (ROOT / "bench" / "locustfile.py").read_text(encoding="utf-8")
    named = set(re.findall(r'name="([^"]+)"', locustfile)) - {"login", "login page", "receipt"}
    measured = {name for name, _, _ in pages()}
    assert named <= measured, named - measured
    assert set(MIX) == named


def test_the_last_line_names_each_page_and_the_weighted_total() -> None:
    figures = {"n": 2, "cpu50": 1.0, "cpu95": 2.0, "wall50": 3.0, "wall95": 4.0, "queries": 3}
    results = {name: dict(figures) for name, _, _ in pages()}
    line = last_line(results)
    assert line.startswith("baseline_cpu_ms=1.0 portal_home_cpu_ms=1.0 ")
    assert line.endswith(f"total_cpu_ms=1.0 queries={3 * len(MIX)}")
    assert parse([]).requests == 60


@pytest.mark.slow
def test_pages_prints_the_contract_line() -> None:
    lines = run_bench(
        "pages", "--search-dossiers", "300", "--requests", "2", "--warmup", "1", timeout=900
    )
    keys = " ".join(rf"{key}_cpu_ms={NUMBER}" for key in PAGE_KEYS)
    assert re.fullmatch(
        rf"baseline_cpu_ms={NUMBER} {keys} total_cpu_ms={NUMBER} queries=\d+", lines[-1]
    ), lines[-1]
    assert any(line.startswith("## CPU per page") for line in lines), lines
