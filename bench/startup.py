"""``motcua bench startup``: what starting a process costs (issue #12 part 10).

Each case runs in a fresh interpreter, ``--repeat`` times; the figures are the median CPU time
(user + system, from ``wait4``) and wall time, next to ``python -c pass`` measured in the same
run. No database is used: the cases stop before touching one, except ``motcua deadline``, which
reads no calendar row when none exists (it falls back to the law's default calendar) — it runs
against an empty SQLite file here.

* ``python -c pass`` — the baseline;
* ``django.setup()`` — every app's models and ``ready()``;
* ``motcua deadline …`` — the legal deadline calculator, end to end;
* ``worker boot`` — ``django.setup()``, the worker command and the modules of its scheduled
  jobs (config/jobs.py), without running them;
* ``django.setup() + PDF/signing libraries`` — the same set-up plus what it imported before this
  issue (fpdf2, the font package, segno, pyHanko, cryptography, openpyxl): the cost the lazy
  imports remove, measured in the same run.

Last line: ``baseline_cpu_ms=<n> setup_cpu_ms=<n> deadline_cpu_ms=<n> worker_boot_cpu_ms=<n>
eager_setup_cpu_ms=<n>``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, machine, say, table

SETUP = "import django; django.setup()\n"
CASES: dict[str, str] = {
    "python -c pass": "pass",
    "django.setup()": SETUP,
    "motcua deadline": (
        "from motcua.cli import main\n"
        "main(['deadline', '--received', '2026-02-12T16:10', '--limit', '3', "
        "'--unit', 'working_days'])\n"
    ),
    "worker boot": SETUP
    + (
        "from django.core.management import load_command_class\n"
        "from django.utils.module_loading import import_string\n"
        "load_command_class('motcua.core', 'worker')\n"
        "from config.jobs import SCHEDULE\n"
        "for path, _ in SCHEDULE:\n"
        "    import_string(path)\n"
    ),
    "django.setup() + PDF/signing libraries": SETUP
    + (
        "import fpdf, fontpkg_be_vietnam_pro, segno, openpyxl, cryptography.x509\n"
        "import pyhanko.sign, pyhanko.sign.validation, pyhanko_certvalidator\n"
    ),
}
KEYS = {
    "python -c pass": "baseline_cpu_ms",
    "django.setup()": "setup_cpu_ms",
    "motcua deadline": "deadline_cpu_ms",
    "worker boot": "worker_boot_cpu_ms",
    "django.setup() + PDF/signing libraries": "eager_setup_cpu_ms",
}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench startup")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (median reported)")
    return parser.parse_args(argv)


def measure(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(CPU ms, wall ms) of one fresh interpreter running ``code``."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=errors,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        wall = (time.perf_counter() - started) * 1000
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{code!r} failed:\n{errors.read().decode()[-2000:]}")
    return (usage.ru_utime + usage.ru_stime) * 1000, wall


def main(argv: list[str]) -> int:
    options = parse(argv)
    with tempfile.TemporaryDirectory(prefix="motcua-startup-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            MOTCUA_SQLITE_PATH=str(Path(tmp) / "empty.sqlite3"),
            MOTCUA_LOG_LEVEL="WARNING",
        )
        say(f"# machine: {machine()}")
        say(f"# each case: a fresh interpreter, {options.repeat} runs, median (CPU = user+sys)")
        for code in CASES.values():  # warm the file-system cache and the .pyc files once
            measure(code, env)
        figures: dict[str, tuple[float, float]] = {}
        for name, code in CASES.items():
            runs = [measure(code, env) for _ in range(options.repeat)]
            figures[name] = (
                statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs),
            )
    base_cpu = figures["python -c pass"][0]
    rows = [
        [name, f"{cpu:.0f}", f"{wall:.0f}", f"{cpu - base_cpu:.0f}"]
        for name, (cpu, wall) in figures.items()
    ]
    say(table(rows, ["case", "CPU ms", "wall ms", "CPU ms over python -c pass"]))
    say(" ".join(f"{KEYS[name]}={cpu:.0f}" for name, (cpu, _) in figures.items()))
    return 0
