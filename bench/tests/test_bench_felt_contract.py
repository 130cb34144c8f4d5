"""``motcua bench felt`` keeps its output contract (the format of the last line, never the
timing), with tiny parameters, and leaves its throw-away site behind no more."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.tests.test_bench_contract import ROOT

NUMBER = r"\d+"


@pytest.mark.slow
def test_felt_prints_the_contract_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TMPDIR"] = str(tmp_path)  # the throw-away site goes here, and must be gone after
    run = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "bench", "felt", "--seed", "bench",
         "--restarts", "1", "--warm", "1", "--pages", "home,search"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert re.fullmatch(
        rf"restarts=1 first_home_ms={NUMBER} first_eform_ms=0 first_search_ms={NUMBER} "
        rf"warm_home_ms={NUMBER} warm_eform_ms=0 warm_search_ms={NUMBER} baseline_ms={NUMBER}",
        lines[-1],
    ), lines[-1]
    assert any(line.startswith("baseline /healthz") for line in lines), lines
    assert not list(tmp_path.glob("motcua-felt-*")), "the throw-away site was left behind"
