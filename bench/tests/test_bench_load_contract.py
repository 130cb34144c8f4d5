"""``motcua bench load`` and ``motcua bench startup`` keep their output contract (the format of
the last line, never the timing), with tiny durations; the load benchmark leaves no database,
server or worker behind."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bench.load import parse as load_options
from bench.tests.test_bench_contract import ROOT, run_bench

NUMBER = r"-?\d+(?:\.\d+)?"


@pytest.mark.slow
def test_load_prints_the_contract_line() -> None:
    lines = run_bench(
        "load", "--users", "3", "--steady-seconds", "6", "--spike-seconds", "4",
        "--recovery-seconds", "6", "--soak-minutes", "0.2", "--search-dossiers", "500",
        "--search-samples", "5", timeout=600,
    )  # fmt: skip
    assert re.fullmatch(
        rf"requests=\d+ errors=\d+ p95_read_ms={NUMBER} p95_write_ms={NUMBER} "
        rf"spike_recovery_s={NUMBER} rss_growth_pct={NUMBER}",
        lines[-1],
    ), lines[-1]
    assert any(line.startswith("## steady phase") for line in lines), lines
    assert any(line.startswith("## search at scale") for line in lines), lines


def test_the_soak_lasts_thirty_minutes_unless_told() -> None:
    assert load_options([]).soak_minutes == 30
    assert load_options(["--soak-minutes", "0.2"]).soak_minutes == 0.2


def test_the_server_is_the_procfiles_unless_told() -> None:
    from bench.receipt import GUNICORN_CONF, Server

    procfile = (ROOT / "Procfile").read_text(encoding="utf-8")
    web = next(line for line in procfile.splitlines() if line.startswith("web:"))
    assert f"-c {GUNICORN_CONF.relative_to(ROOT)} config.wsgi" in web
    assert "--workers" not in web
    assert "--threads" not in web
    default = load_options([])
    assert (default.workers, default.worker_class, default.threads, default.keep_alive) == (
        None, None, None, None,
    )  # fmt: skip
    settings = Server().effective()
    assert settings["worker_class"] == "gthread"
    assert settings["workers"] >= 2
    other = load_options(["--workers", "3", "--worker-class", "sync", "--threads", "1"])
    assert settings["keepalive"] == 0  # decision 0034: a new connection per request
    told = Server(other.workers, other.worker_class, other.threads, keep_alive=5).effective()
    assert (told["workers"], told["worker_class"], told["threads"], told["keepalive"]) == (
        3, "sync", 1, 5,
    )  # fmt: skip


@pytest.mark.slow
def test_search_prints_the_contract_line() -> None:
    lines = run_bench("search", "--dossiers", "1500", "--samples", "3", timeout=600)
    assert re.fullmatch(
        rf"dossiers=1500 p95_code_ms={NUMBER} p95_id_ms={NUMBER} p95_name_ms={NUMBER} "
        rf"p95_name_folded_ms={NUMBER} p95_name_noindex_ms={NUMBER} p95_name_naive_ms={NUMBER}",
        lines[-1],
    ), lines[-1]
    assert "# check: ok" in lines


@pytest.mark.slow
def test_startup_prints_the_contract_line() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "bench", "startup", "--repeat", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    last = run.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"baseline_cpu_ms=\d+ setup_cpu_ms=\d+ deadline_cpu_ms=\d+ worker_boot_cpu_ms=\d+ "
        r"eager_setup_cpu_ms=\d+",
        last,
    ), last


def test_the_web_process_is_sized_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # config/gunicorn_conf.py, decision 0034: 4 processes × 2 threads unless the operator says.
    from bench.receipt import Server

    assert (Server().effective()["workers"], Server().effective()["threads"]) == (4, 2)
    monkeypatch.setenv("MOTCUA_WEB_WORKERS", "9")
    monkeypatch.setenv("MOTCUA_WEB_THREADS", "3")
    assert (Server().effective()["workers"], Server().effective()["threads"]) == (9, 3)
