"""The worker's memory over rounds of its jobs, in one process, on PostgreSQL (issue #12 item 9).

    motcua bench worker_memory [--rounds K] [--warmup W] [--scopes S] [--receipts R]
        [--history N] [--no-seed] [--no-trace] [--frames F] [--top T]

``motcua bench load``'s 30-minute soak showed the gunicorn children flat after warm-up and the
worker (``motcua worker``) growing ~1 % a quarter. A soak is the wrong tool to find why: the
worker spends it on what its clock makes due. This benchmark runs the same work on a short
clock, in one process, with :mod:`tracemalloc` on after the warm-up, so what grows can be
named by traceback:

- a throw-away database with the seed and ``--history`` history dossiers (bench/seed.py), like
  ``bench load``; no simulators run, like ``bench load`` (the external jobs meet refused
  connections, and the outbox retries; start ``python -m simulators run-all`` beside it to
  measure with them); ``--no-seed`` with ``DATABASE_URL`` reuses a database seeded before;
- each round: ``--receipts`` counter receipts (the ``POST /api/v1/dossiers`` action, which
  writes the portal's outbox rows the way the load's receipts do), every job of config/jobs.py
  once (the clock shortened to "every job is due") except the report scheduler, whose queued
  task would generate the ~2,300 reports of five periods in one go: instead each round
  generates the next ``--scopes`` scopes' reports (XLSX and PDF) of the periods in turn, as
  the worker does over a soak; then the task queue is drained through the worker's own loop
  (``motcua worker``'s ``_run_one_task``);
- after each round ``gc.collect()``, the resident memory (psutil), the live Python blocks
  (``sys.getallocatedblocks``, free of tracing's cost) and the traced Python memory, against
  round 1 and against the first round after ``--warmup`` rounds (first imports, fonts, the
  catalogue, the assistant's index; default 3) in the same run. ``--no-trace``: resident
  memory and blocks only (tracing slows a round five- to tenfold).

Last lines: the ``--top`` tracebacks whose traced memory grew most from the first round after
the ``--warmup`` rounds (the baseline; tracing starts at the end of the warm-up, so the imports
are not traced) to the last round, the memoised functions' entries against their bounds, then
``rounds=<k> rss_first_mib=<x> rss_last_mib=<y> rss_growth_after_warmup_pct=<p>
rss_growth_second_half_pct=<q> traced_growth_after_warmup_kib=<n>`` (growth from the baseline
round; the second half's growth is its largest resident memory against its first round).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
import time
import tracemalloc
from typing import Any

from bench.common import machine, main_in_child, note, say, table

MIB = 1024 * 1024
REPORTS_JOB = "motcua.insights.jobs.schedule_periodic_reports"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench worker_memory", description=__doc__)
    parser.add_argument("--rounds", type=int, default=12, help="rounds of the worker's jobs")
    parser.add_argument("--scopes", type=int, default=6, help="report scopes per round")
    parser.add_argument("--receipts", type=int, default=20, help="counter receipts per round")
    parser.add_argument("--history", type=int, default=2000, help="history dossiers to seed")
    parser.add_argument(
        "--no-seed", action="store_true", help="use DATABASE_URL as it is (seeded before)"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="rounds of warm-up before the baseline round"
    )
    parser.add_argument("--top", type=int, default=12, help="growing tracebacks to print")
    parser.add_argument(
        "--no-trace", action="store_true", help="resident memory only (no tracemalloc overhead)"
    )
    parser.add_argument("--frames", type=int, default=12, help="frames kept per allocation")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    return main_in_child("worker_memory", argv, parse, run, prefix="motcua_bench_wmem")


def seed(options: argparse.Namespace) -> None:
    from bench import seed as history

    history.run(argparse.Namespace(dossiers=options.history, years=1, seed=12))


def receipts(count: int, round_no: int) -> None:
    """``count`` counter receipts through the action ``POST /api/v1/dossiers`` calls."""
    from bench.receipt import CITIZEN_ID, OFFICER, find_setup
    from motcua.accounts.models import User
    from motcua.agencies.models import Unit
    from motcua.dossiers import actions

    setup = find_setup()
    officer = User.objects.get(username=OFFICER)
    receiving = Unit.objects.get(pk=setup.receiving_unit)
    competent = Unit.objects.get(pk=setup.competent_unit)
    for i in range(count):
        filing = actions.Filing(
            procedure_code="1.001193",
            receiving_unit=receiving,
            competent_unit=competent,
            channel="counter",
            applicant=actions.Applicant(
                kind="person",
                name=f"Nguyễn Văn Thử {round_no}-{i}",
                id_number=CITIZEN_ID,
                phone="0901234567",
            ),
            components=tuple(actions.ComponentInput(c, pages=1) for c in setup.components),
        )
        actions.do_register_and_receive(filing, acting_user=officer)


def report_chunks(province: int, size: int) -> Any:
    """(period key, scopes) of the scheduled reports, ``size`` scopes at a time, period after
    period (the five kinds' last complete periods), round and round."""
    from motcua.core.clock import now, to_local
    from motcua.insights.jobs import SCHEDULED_KINDS
    from motcua.insights.periods import last_complete
    from motcua.insights.tasks import scheduled_scopes

    today = to_local(now()).date()
    scopes = scheduled_scopes(province)
    for kind in itertools.cycle(SCHEDULED_KINDS):
        key = last_complete(kind, today).key
        for start in range(0, len(scopes), size):
            yield key, scopes[start : start + size]


def work_round(round_no: int, receipt_count: int, jobs: list[str], chunks: Any, worker: Any) -> str:
    """One round of the worker's work (see the module); returns the reports' period."""
    from django.conf import settings
    from django.db import close_old_connections
    from django.utils.module_loading import import_string

    from motcua.insights.tasks import generate_all

    close_old_connections()
    receipts(receipt_count, round_no)
    for path in jobs:
        try:
            import_string(path)()
        except Exception as exc:  # the worker logs and carries on; so does the round
            note(f"# round {round_no}: {path} failed: {exc!r}")
    period_key, scopes = next(chunks)
    generate_all(int(settings.MOTCUA_PROVINCE_CODE), period_key, scopes=scopes)
    while worker._run_one_task("bench:worker-memory"):
        pass
    return str(period_key)


def run(options: argparse.Namespace) -> int:
    import psutil
    from django.conf import settings

    from config.jobs import SCHEDULE
    from motcua.core.management.commands.worker import Command as WorkerCommand

    started = time.perf_counter()
    if not options.no_seed:
        seed(options)
        took = time.perf_counter() - started
        say(f"# seed: {options.history:,} history dossiers in {took:.0f} s")
    say(f"# machine: {machine()}")
    jobs = [path for path, _ in SCHEDULE if path != REPORTS_JOB]
    say(f"# each round: {options.receipts} receipts, {len(jobs)} jobs, {options.scopes} report "
        f"scopes (XLSX+PDF), the task queue drained; DEBUG={settings.DEBUG}")  # fmt: skip
    chunks = report_chunks(int(settings.MOTCUA_PROVINCE_CODE), options.scopes)
    worker = WorkerCommand()
    worker.running, worker.busy = True, False
    process = psutil.Process()
    rows: list[list[Any]] = []
    snapshots: list[tracemalloc.Snapshot] = []
    rss: list[float] = []
    for round_no in range(1, options.rounds + 1):
        began = time.perf_counter()
        period_key = work_round(round_no, options.receipts, jobs, chunks, worker)
        gc.collect()
        rss.append(process.memory_info().rss / MIB)
        traced = 0.0
        if tracemalloc.is_tracing():
            snapshot = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)]
            )
            snapshots = [*snapshots[:1], snapshot]  # the first traced round and the latest
            traced = sum(s.size for s in snapshot.statistics("filename")) / MIB
        elif not options.no_trace and round_no >= options.warmup:
            # The warm-up rounds (imports, fonts, the catalogue, the assistant's index) run
            # untraced, so tracing does not slow the imports down tenfold; the last of them
            # starts it. The snapshot after the next round is the baseline.
            tracemalloc.start(options.frames)
        blocks = sys.getallocatedblocks()  # Python objects alive: cheap, no tracing needed
        rows.append(
            [round_no, f"{time.perf_counter() - began:.1f}", period_key, f"{rss[-1]:.1f}",
             f"{rss[-1] - rss[0]:+.1f}",
             f"{rss[-1] - rss[min(options.warmup, len(rss) - 1)]:+.1f}",
             f"{blocks:,}", f"{traced:.1f}"]
        )  # fmt: skip
        say(
            f"# round {round_no}: {rows[-1][1]} s, rss {rows[-1][3]} MiB, "
            f"{blocks:,} blocks, traced {traced:.1f} MiB"
        )
    tracemalloc_stop_and_report(snapshots, options.top)
    say(f"# memoised (entries/bound): {'; '.join(caches())}")
    say(
        table(
            rows,
            [
                "round",
                "s",
                "period",
                "rss MiB",
                "vs 1",
                f"vs {options.warmup + 1}",
                "blocks",
                "traced MiB",
            ],
        )
    )
    base = min(options.warmup, len(rss) - 1)  # index of the first round after the warm-up
    growth_pct = (rss[-1] - rss[base]) / rss[base] * 100
    second_half = rss[base + (len(rss) - base) // 2 :]
    half_pct = (max(second_half) - second_half[0]) / second_half[0] * 100
    traced_growth = (
        sum(s.size_diff for s in snapshots[-1].compare_to(snapshots[0], "filename")) / 1024
        if len(snapshots) > 1
        else 0.0
    )
    say(
        f"rounds={options.rounds} rss_first_mib={rss[0]:.1f} rss_last_mib={rss[-1]:.1f} "
        f"rss_growth_after_warmup_pct={growth_pct:.1f} rss_growth_second_half_pct={half_pct:.1f} "
        f"traced_growth_after_warmup_kib={traced_growth:.0f}"
    )
    return 0


#: The process's memoised functions the worker's jobs fill (bounded: ``maxsize``), printed after
#: the rounds so that a growth can be set against them.
CACHES = (
    ("motcua.insights.formulas", "figure"),
    ("motcua.insights.selectors.catalogue", "merged_catalogue"),
    ("motcua.core.text", "vi_sort_key"),
    ("psycopg._queries", "_query2pg"),
)


def caches() -> list[str]:
    """``module.function currsize/maxsize`` of each memoised function of :data:`CACHES`."""
    import importlib

    out = []
    for module, name in CACHES:
        try:
            info = getattr(importlib.import_module(module), name).cache_info()
        except (ImportError, AttributeError):
            continue
        out.append(f"{module}.{name} {info.currsize}/{info.maxsize}")
    return out


def tracemalloc_stop_and_report(snapshots: list[tracemalloc.Snapshot], top: int) -> None:
    """The tracebacks whose memory grew most between the first traced round and the last."""
    tracemalloc.stop()
    if len(snapshots) < 2:
        return
    diffs = snapshots[-1].compare_to(snapshots[0], "traceback")
    say(f"# traced memory growth by traceback, first traced round → last (top {top}):")
    for stat in diffs[:top]:
        if stat.size_diff <= 0:
            break
        say(f"#   {stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks")
        for line in stat.traceback.format(limit=8):
            say(f"#     {line}")
