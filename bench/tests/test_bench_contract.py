"""The benchmarks keep their output contract (the format of the last line, never the timing),
and leave no database or server behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("MOTCUA_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
NUMBER = r"\d+(?:\.\d+)?"


def database_exists(name: str) -> bool:
    with psycopg.connect(f"{PG_URL}/postgres") as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def run_bench(*args: str, timeout: float) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # its own database
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "bench", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the benchmark, its child, its server
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)  # they stop the server and drop the database
        stdout, stderr = process.communicate(timeout=60)
        pytest.fail(f"benchmark took more than {timeout} s:\n{stdout[-2000:]}{stderr[-2000:]}")
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    created = re.search(r"throw-away database (\w+) created", result.stderr)
    assert created, result.stderr[-2000:]
    assert not database_exists(created.group(1)), "the throw-away database was not dropped"
    return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.slow
def test_redate_prints_the_contract_line() -> None:
    lines = run_bench("redate", "--open", "2000", "--sample", "200", timeout=120)
    assert re.fullmatch(
        rf"redated=\d+ seconds={NUMBER} naive_seconds={NUMBER} ratio={NUMBER} "
        rf"refresh_seconds={NUMBER} previous_seconds={NUMBER} "
        rf"previous_refresh_seconds={NUMBER}",
        lines[-1],
    ), lines[-1]
    assert any("naive measured on a sample" in line for line in lines), lines
    assert any("previous path in the same run" in line for line in lines), lines


@pytest.mark.slow
def test_receipt_prints_the_contract_line_and_stops_its_server() -> None:
    lines = run_bench(
        "receipt", "--seconds", "3", "--warmup", "1", "--concurrency", "2", timeout=150
    )
    assert re.fullmatch(
        rf"receipts_per_s={NUMBER} p50_ms={NUMBER} p99_ms={NUMBER} "
        rf"trivial_writes_per_s={NUMBER} ratio={NUMBER}",
        lines[-1],
    ), lines[-1]
    port = next(re.findall(r"127\.0\.0\.1:(\d+)", line) for line in lines if "# server:" in line)
    with pytest.raises(ConnectionRefusedError):  # nothing listens there any more
        socket.create_connection(("127.0.0.1", int(port[0])), timeout=1).close()
