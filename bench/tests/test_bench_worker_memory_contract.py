"""``motcua bench worker_memory`` keeps its output contract (the format of the last line and the
growth report, never the figures) with a tiny run, and leaves no database behind."""

from __future__ import annotations

import re

import pytest

from bench.tests.test_bench_contract import run_bench
from bench.worker_memory import parse

NUMBER = r"-?\d+(?:\.\d+)?"


@pytest.mark.slow
def test_worker_memory_prints_the_contract_line() -> None:
    lines = run_bench(
        "worker_memory", "--rounds", "3", "--warmup", "1", "--scopes", "1", "--receipts", "2",
        "--history", "200", "--top", "3", "--frames", "4", timeout=1200,
    )  # fmt: skip
    assert re.fullmatch(
        rf"rounds=3 rss_first_mib={NUMBER} rss_last_mib={NUMBER} "
        rf"rss_growth_after_warmup_pct={NUMBER} rss_growth_second_half_pct={NUMBER} "
        rf"traced_growth_after_warmup_kib={NUMBER}",
        lines[-1],
    ), lines[-1]
    assert sum(1 for line in lines if line.startswith("# round ")) == 3, lines
    assert any(line.startswith("# traced memory growth by traceback") for line in lines), lines


def test_the_defaults_trace_and_take_three_rounds_of_warm_up() -> None:
    options = parse([])
    assert (options.rounds, options.warmup) == (12, 3)
    assert not options.no_trace
    assert not options.no_seed
