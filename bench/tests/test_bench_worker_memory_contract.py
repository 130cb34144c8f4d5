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
    """With ``--fresh-reports`` every round makes its reports anew: one scope a round, XLSX and
    PDF, so 3 rounds make 6 reports, and ``--malloc-trim`` runs without changing the output."""
    lines = run_bench(
        "worker_memory", "--rounds", "3", "--warmup", "1", "--scopes", "1", "--receipts", "2",
        "--history", "200", "--no-trace", "--fresh-reports", "--malloc-trim", timeout=900,
    )  # fmt: skip
    assert re.fullmatch(
        rf"rounds=3 rss_first_mib={NUMBER} rss_last_mib={NUMBER} "
        rf"rss_growth_after_warmup_pct={NUMBER} rss_growth_second_half_pct={NUMBER} "
        rf"traced_growth_after_warmup_kib={NUMBER} reports_made=6",
        lines[-1],
    ), lines[-1]
    rounds = [line for line in lines if line.startswith("# round ")]
    assert len(rounds) == 3, lines
    assert [re.search(r", (\d+) reports, ", line).group(1) for line in rounds] == [  # type: ignore[union-attr]
        "2",
        "4",
        "6",
    ], rounds
    assert all(
        re.search(
            rf"heap in use {NUMBER} free {NUMBER} mmapped {NUMBER} MiB, "
            rf"pymalloc arenas {NUMBER} live {NUMBER} MiB",
            r,
        )
        for r in rounds
    ), rounds


def test_the_growth_report_names_the_allocating_line(capsys: pytest.CaptureFixture[str]) -> None:
    """What ``--rounds`` with tracing prints after the rounds: the tracebacks whose memory grew
    between the first traced round and the last, largest first."""
    import tracemalloc

    from bench.worker_memory import tracemalloc_stop_and_report

    kept: list[bytearray] = []
    tracemalloc.start(4)
    first = tracemalloc.take_snapshot()
    kept.extend(bytearray(1000) for _ in range(500))  # the "leak": ~0.5 MB kept
    last = tracemalloc.take_snapshot()
    tracemalloc_stop_and_report([first, last], top=1)
    out = capsys.readouterr().out
    assert "# traced memory growth by traceback, first traced round → last (top 1):" in out
    grown = re.search(r"#   \+([\d.]+) KiB in \+(\d+) blocks", out)
    assert grown, out
    assert float(grown.group(1)) >= 488  # 500 × 1,000 bytes at least
    assert int(grown.group(2)) >= 500
    assert "test_bench_worker_memory_contract.py" in out
    assert not tracemalloc.is_tracing()


def test_the_defaults_trace_and_take_three_rounds_of_warm_up() -> None:
    options = parse([])
    assert (options.rounds, options.warmup) == (12, 3)
    assert not options.no_trace
    assert not options.no_seed
    assert not options.fresh_reports  # existing reports are kept, as the worker keeps them
    assert not options.malloc_trim
    assert options.months == 0  # the five kinds' last periods in turn, as before
    assert parse(["--fresh-reports", "--malloc-trim"]).fresh_reports
    assert parse(["--months", "11"]).months == 11


def test_glibc_s_heap_is_read_and_trimmed() -> None:
    """mallinfo2 (glibc 2.33+): the bytes in use grow with a live allocation; on another C
    library the figures are absent (None), never wrong."""
    from bench.worker_memory import Heap

    heap = Heap()
    before = heap.info()
    if before is None:
        pytest.skip("not glibc ≥ 2.33")
    # 4 KiB each: above pymalloc's 512 bytes (its own mmapped arenas, which mallinfo does not
    # see) and below malloc's mmap threshold, so ~4 MiB in glibc's arenas.
    kept = [bytearray(4096) for _ in range(1_000)]
    after = heap.info()
    assert after is not None
    assert after[0] - before[0] >= 3.5, (before, after)
    assert len(kept) == 1_000
    heap.trim()  # returns free memory to the system; must not fail
    assert all(v >= 0 for v in heap.info() or ())


def test_the_memoised_functions_are_listed_with_their_bound() -> None:
    from bench.worker_memory import caches

    listed = caches()
    assert any(re.fullmatch(r"motcua\.insights\.formulas\.figure \d+/8192", c) for c in listed)
    assert any(c.startswith("motcua.core.text.vi_sort_key ") for c in listed), listed


def test_python_s_small_object_arenas_are_read() -> None:
    """pymalloc's live bytes grow with small objects kept; the arenas hold at least them."""
    from bench.worker_memory import pymalloc

    before = pymalloc()
    if before is None:
        pytest.skip("not CPython")
    kept = [bytearray(100) for _ in range(20_000)]  # ~3 MiB of blocks ≤ 512 bytes
    after = pymalloc()
    assert after is not None
    assert after[1] - before[1] >= 2.0, (before, after)
    assert after[0] >= after[1]
    assert len(kept) == 20_000
