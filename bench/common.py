"""Shared pieces of the benchmarks: a throw-away PostgreSQL database, the seed, figures.

A benchmark runs in two processes. The parent (``motcua bench <name>``) creates a throw-away
database unless ``DATABASE_URL`` is set, runs the same command again in a child process with
``DATABASE_URL`` pointing at it (Django reads the database settings once, at start-up), and drops
the database when the child ends, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

CHILD_FLAG = "MOTCUA_BENCH_CHILD"
PG_BASE_URL = os.environ.get("MOTCUA_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PROVINCE = 92  # Thành phố Cần Thơ, the demo province
BENCH_PASSWORD = "Bench-mat-khau-2026"
BOUNDARY_FREE_BASIS = "Danh mục TTHC không phụ thuộc địa giới (benchmark)"
CATALOGUE = (
    Path(__file__).resolve().parent.parent / "motcua" / "catalog" / "data" / "procedures.csv"
)
ROOT = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(message, flush=True)


def note(message: str) -> None:
    """Housekeeping on stderr, so that the figures' line stays the last line of stdout."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- throw-away database


def _admin_conninfo() -> str:
    return f"{PG_BASE_URL.rstrip('/')}/postgres"


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Yield the URL of a new, empty PostgreSQL database; drop it afterwards, whatever happens."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(_admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    note(f"# throw-away database {name} created")
    try:
        yield f"{PG_BASE_URL.rstrip('/')}/{name}"
    finally:
        with psycopg.connect(_admin_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        note(f"# throw-away database {name} dropped")


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM raise KeyboardInterrupt once (later ones are ignored, so the clean-up
    that follows runs to its end), even if the shell started us with SIGINT ignored."""
    raised = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal raised
        if not raised:
            raised = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def run_in_child(argv: Sequence[str], prefix: str) -> int:
    """Run ``motcua bench <argv>`` in a child process against a database: ``DATABASE_URL`` if
    set, else a throw-away one. Ctrl-C reaches the child (same process group); the parent waits
    for it and drops the database."""
    stop_on_signals()
    command = [sys.executable, "-m", "motcua.cli", "bench", *argv]
    env = dict(os.environ)
    env[CHILD_FLAG] = "1"
    env.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    env["MOTCUA_DEBUG"] = "0"  # no per-query bookkeeping (DEBUG keeps every query in memory)
    env["MOTCUA_BENCH_ENDPOINTS"] = "1"  # the in-process profile calls the trivial endpoint too
    if os.environ.get("DATABASE_URL"):
        return _wait(subprocess.Popen(command, env=env, cwd=ROOT))
    with throwaway_database(prefix) as url:
        env["DATABASE_URL"] = url
        return _wait(subprocess.Popen(command, env=env, cwd=ROOT))


def _wait(child: subprocess.Popen[bytes]) -> int:
    try:
        return child.wait()
    except KeyboardInterrupt:
        # Ctrl-C usually reached the child too (same process group); SIGTERM makes sure. The
        # child stops its server; the caller then drops the database.
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise


def is_child() -> bool:
    return os.environ.get(CHILD_FLAG) == "1"


def main_in_child(
    name: str,
    argv: list[str],
    parse: Callable[[list[str]], argparse.Namespace],
    run: Callable[[argparse.Namespace], int],
    *,
    prefix: str = "",
) -> int:
    """The ``main`` of ``motcua bench <name>``: parse the options (``--help`` and errors end
    here, in the parent), refuse ``--no-seed`` without ``DATABASE_URL``, re-run the command in
    a child against a database (:func:`run_in_child`; throw-away database
    ``<prefix>_<hex>``, default ``motcua_bench_<name>``); in the child, stop cleanly on
    signals and ``run`` the options."""
    options = parse(argv)
    if getattr(options, "no_seed", False) and not os.environ.get("DATABASE_URL"):
        say("# --no-seed measures the database DATABASE_URL points at: set it")
        return 2
    if not is_child():
        return run_in_child([name, *argv], prefix=prefix or f"motcua_bench_{name}")
    stop_on_signals()
    return run(options)


# --------------------------------------------------------------------------- seed


def migrate_and_seed(*, catalogue: bool = True, personas: bool = True) -> None:
    """What the test session and ``demo_setup`` load: real geography, the demo province's units,
    the personas (password :data:`BENCH_PASSWORD`), the calendar, the bundled catalogue assigned
    to its default units with a boundary-free basis. Idempotent (an existing database is kept)."""
    from django.core.management import call_command

    from motcua.accounts.demo import seed_personas
    from motcua.agencies.demo import seed_province_units
    from motcua.catalog.assignments import assign_defaults
    from motcua.catalog.importer import SEED_EFFECTIVE_FROM, import_procedures, read_rows
    from motcua.geo.loader import load_geography
    from motcua.geo.models import Province
    from motcua.worktime.calendars import seed_calendar

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    load_geography()
    province = Province.objects.get(code=PROVINCE)
    seed_province_units(province)
    if personas:
        seed_personas(province, password=BENCH_PASSWORD)
    seed_calendar(province)
    if catalogue:
        report = import_procedures(
            read_rows(CATALOGUE), province=province, effective_from=SEED_EFFECTIVE_FROM
        )
        if not report.ok:
            raise RuntimeError(f"catalogue import failed: {report.errors[:3]}")
        assign_defaults(province, boundary_free_basis=BOUNDARY_FREE_BASIS)
    say(f"# migrated and seeded in {time.perf_counter() - started:.1f} s")


# --------------------------------------------------------------------------- figures


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending sequence (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Phase:
    """The outcome of one timed load phase."""

    name: str
    seconds: float
    latencies_ms: list[float]
    errors: int
    error_samples: list[str]
    client_cpu_seconds: float = 0.0  # CPU the load generator itself used during the phase

    @property
    def successes(self) -> int:
        return len(self.latencies_ms)

    @property
    def requests(self) -> int:
        return self.successes + self.errors

    @property
    def per_second(self) -> float:
        return self.successes / self.seconds if self.seconds > 0 else 0.0

    def pct(self, fraction: float) -> float:
        return percentile(sorted(self.latencies_ms), fraction)


def table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    cells = [[str(h) for h in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {load_average()}"
    )


def load_average() -> str:
    """The machine is shared: other work running at the same time shows here."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"
