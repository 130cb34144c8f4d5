"""``motcua bench assistant`` keeps its output contract (the format of the last line, never the
timing or the accuracy) on a small subset of the evaluation set, and leaves no database behind
(its saved index goes to a temporary directory)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.tests.test_bench_contract import run_bench

RATIO = r"\d+(?:\.\d+)?"


@pytest.mark.slow
def test_assistant_prints_the_contract_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MOTCUA_ASSISTANT_INDEX_DIR", str(tmp_path))
    lines = run_bench("assistant", "--limit", "12", timeout=600)
    assert re.fullmatch(
        rf"questions=12 top1={RATIO} top3={RATIO} behaviour={RATIO} p95_ms={RATIO} "
        rf"naive_top3={RATIO} naive_p95_ms={RATIO}",
        lines[-1],
    ), lines[-1]
    assert any(line.startswith("# misses in top 3") for line in lines), lines
    assert any(line.startswith("# naive:") for line in lines), lines
    assert list(tmp_path.glob("index-*.pickle")), "the index was not saved where it was told"
