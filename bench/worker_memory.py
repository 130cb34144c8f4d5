"""The worker's memory over rounds of its jobs, in one process, on PostgreSQL (issue #12 item 9).

    motcua bench worker_memory [--rounds K] [--warmup W] [--scopes S] [--receipts R]
        [--history N] [--no-seed] [--no-trace] [--frames F] [--top T]
        [--fresh-reports] [--months N] [--malloc-trim] [--minutes M]

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
- ``--fresh-reports``: the round first deletes the scheduled reports of the scopes and period it
  is about to generate, so every round makes ``2 × --scopes`` new reports (collected, drawn and
  stored), however many rounds run — what a worker does over months, where every period's
  reports are new (once per scope). Without it the periods come round again after
  ``5 × scopes / --scopes`` rounds and their reports exist (skipped);
- ``--months N``: each round's reports are instead of the next of the last N complete months
  (newest first, round and round) with the next ``--scopes`` scopes, so every round makes new
  scope-period reports — a new month for the same scopes, as over a year of month-ends — and a
  (month, scopes) pair comes back only after N × chunks rounds (choose N prime to the number of
  chunks, e.g. 11 with the 30 chunks of 117 scopes at --scopes 4: 330 rounds);
- ``--malloc-trim``: after each round, glibc's ``malloc_trim(0)`` (the free memory of every
  arena back to the system), to tell memory the allocator keeps from memory in use; run it
  beside a run without it (a separate database each) to compare; ``--minutes``: stop after the
  round that passes M minutes (the summary is still printed, with the rounds run);
- after each round ``gc.collect()``, the resident memory (psutil), the live Python blocks
  (``sys.getallocatedblocks``, free of tracing's cost), glibc's view of the heap
  (``mallinfo2()``: bytes in use, free inside the arenas, and mmapped — fragmentation shows as
  "free" growing while "in use" does not), Python's own small-object arenas and the bytes live
  in them (``sys._debugmallocstats``) and the traced Python memory, against
  round 1 and against the first round after ``--warmup`` rounds (first imports, fonts, the
  catalogue, the assistant's index; default 3) in the same run. ``--no-trace``: resident
  memory and blocks only (tracing slows a round five- to tenfold).

Last lines: the ``--top`` tracebacks whose traced memory grew most from the first round after
the ``--warmup`` rounds (the baseline; tracing starts at the end of the warm-up, so the imports
are not traced) to the last round, the memoised functions' entries against their bounds, then
``rounds=<k> rss_first_mib=<x> rss_last_mib=<y> rss_growth_after_warmup_pct=<p>
rss_growth_second_half_pct=<q> traced_growth_after_warmup_kib=<n> reports_made=<r>`` (growth from
the baseline round; the second half's growth is its largest resident memory against its first
round; the reports the rounds generated).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import itertools
import os
import re
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
    parser.add_argument(
        "--fresh-reports",
        action="store_true",
        help="delete each round's scheduled reports before generating them: every round's are new",
    )
    parser.add_argument(
        "--months", type=int, default=0, help="reports of the last N months in turn, one a round"
    )
    parser.add_argument(
        "--malloc-trim", action="store_true", help="glibc malloc_trim(0) after each round"
    )
    parser.add_argument(
        "--minutes", type=float, default=0, help="stop after the round that passes M minutes"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    return main_in_child("worker_memory", argv, parse, run, prefix="motcua_bench_wmem")


def seed(options: argparse.Namespace) -> None:
    from bench import seed as history

    started = time.perf_counter()
    history.run(argparse.Namespace(dossiers=options.history, years=1, seed=12))
    took = time.perf_counter() - started
    say(f"# seed: {options.history:,} history dossiers in {took:.0f} s")


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


def forget_reports(period_key: str, scopes: list[str]) -> int:
    """Delete the scheduled reports of ``scopes`` for the period (``--fresh-reports``), so that
    generating them again makes new ones; returns how many were deleted."""
    from motcua.insights.models import Report
    from motcua.insights.periods import parse as parse_period

    period = parse_period(period_key)
    deleted, _ = Report.objects.filter(
        scheduled=True,
        scope__in=scopes,
        period_kind=period.kind.value,
        period_start=period.start,
    ).delete()
    return deleted


def month_chunks(province: int, size: int, months: int) -> Any:
    """(month key, scopes) of ``--months``: round r takes month r mod N (the last N complete
    months, newest first) and chunk r mod C of the scopes, ``size`` at a time."""
    from motcua.core.clock import now, to_local
    from motcua.insights.periods import Kind, last_complete
    from motcua.insights.tasks import scheduled_scopes

    period = last_complete(Kind.MONTH, to_local(now()).date())
    keys = []
    for _ in range(months):
        keys.append(period.key)
        period = period.previous()
    scopes = scheduled_scopes(province)
    chunks = [scopes[start : start + size] for start in range(0, len(scopes), size)]
    for round_no in itertools.count():
        yield keys[round_no % months], chunks[round_no % len(chunks)]


def work_round(
    round_no: int,
    receipt_count: int,
    jobs: list[str],
    chunks: Any,
    worker: Any,
    *,
    fresh: bool = False,
) -> tuple[str, int]:
    """One round of the worker's work (see the module); returns the reports' period and how many
    reports it generated."""
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
    if fresh:
        forget_reports(str(period_key), scopes)
    made = generate_all(int(settings.MOTCUA_PROVINCE_CODE), period_key, scopes=scopes)
    while worker._run_one_task("bench:worker-memory"):
        pass
    return str(period_key), made


def pymalloc() -> tuple[float, float] | None:
    """Python's small-object allocator (objects ≤ 512 bytes, in 1 MiB arenas it maps itself, so
    glibc does not see them): (arenas mapped, bytes in live blocks), MiB, from
    ``sys._debugmallocstats()`` (CPython only; it writes to the C stderr, caught in a file).
    Arenas growing while the live blocks do not is fragmentation: a few survivors keep an arena."""
    import tempfile

    stats = getattr(sys, "_debugmallocstats", None)
    if stats is None:
        return None
    with tempfile.TemporaryFile() as out:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            stats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    arenas = re.search(r"# arenas allocated current\s*=\s*([\d,]+)", text)
    live = re.search(r"# bytes in allocated blocks\s*=\s*([\d,]+)", text)
    if not (arenas and live):
        return None
    arena_bytes = 1 << 20  # ARENA_SIZE on 64-bit CPython 3.10+
    return (
        int(arenas.group(1).replace(",", "")) * arena_bytes / MIB,
        int(live.group(1).replace(",", "")) / MIB,
    )


def allocators(heap: Heap) -> list[str]:
    """glibc's bytes in use, free and mmapped, pymalloc's arenas and live bytes, MiB ("-" where
    the C library or the interpreter does not tell)."""
    glibc = heap.info() or (None, None, None)
    small = pymalloc() or (None, None)
    return ["-" if v is None else f"{v:.1f}" for v in (*glibc, *small)]


class Heap:
    """glibc's ``mallinfo2()`` (2.33+) and ``malloc_trim``; ``None`` elsewhere (musl, macOS)."""

    class _Info(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_size_t)
            for name in (
                "arena",  # bytes from sbrk and the thread arenas' heaps
                "ordblks",
                "smblks",
                "hblks",
                "hblkhd",  # bytes in mmapped chunks
                "usmblks",
                "fsmblks",
                "uordblks",  # bytes in use
                "fordblks",  # bytes free inside the arenas
                "keepcost",
            )
        ]

    def __init__(self) -> None:
        self.libc: Any = None
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.mallinfo2.restype = self._Info
            libc.malloc_trim.argtypes = [ctypes.c_size_t]
            self.libc = libc
        except (OSError, AttributeError):
            pass

    def info(self) -> tuple[float, float, float] | None:
        """(in use, free in the arenas, mmapped), MiB."""
        if self.libc is None:
            return None
        i = self.libc.mallinfo2()
        return i.uordblks / MIB, i.fordblks / MIB, i.hblkhd / MIB

    def trim(self) -> None:
        if self.libc is not None:
            self.libc.malloc_trim(0)


def describe(options: argparse.Namespace, jobs: int, debug: bool) -> str:
    """The line that says what each round does."""
    fresh = ", deleted first: all new" if options.fresh_reports else ""
    fresh += f", the last {options.months} months in turn" if options.months > 0 else ""
    trim = "; malloc_trim(0)" if options.malloc_trim else ""
    arenas = os.environ.get("MALLOC_ARENA_MAX", "-")
    return (
        f"# each round: {options.receipts} receipts, {jobs} jobs, {options.scopes} report scopes "
        f"(XLSX+PDF{fresh}), the task queue drained{trim}; DEBUG={debug}; "
        f"MALLOC_ARENA_MAX={arenas}"
    )


def run(options: argparse.Namespace) -> int:
    import psutil
    from django.conf import settings

    from config.jobs import SCHEDULE
    from motcua.core.management.commands.worker import Command as WorkerCommand

    if not options.no_seed:
        seed(options)
    started = time.perf_counter()
    say(f"# machine: {machine()}")
    jobs = [path for path, _ in SCHEDULE if path != REPORTS_JOB]
    say(describe(options, len(jobs), settings.DEBUG))
    heap = Heap()
    made = 0
    province = int(settings.MOTCUA_PROVINCE_CODE)
    chunks = (
        month_chunks(province, options.scopes, options.months)
        if options.months > 0
        else report_chunks(province, options.scopes)
    )
    worker = WorkerCommand()
    worker.running, worker.busy = True, False
    process = psutil.Process()
    rows: list[list[Any]] = []
    snapshots: list[tracemalloc.Snapshot] = []
    rss: list[float] = []
    for round_no in range(1, options.rounds + 1):
        began = time.perf_counter()
        period_key, round_made = work_round(
            round_no, options.receipts, jobs, chunks, worker, fresh=options.fresh_reports
        )
        made += round_made
        gc.collect()
        if options.malloc_trim:
            heap.trim()
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
        in_use, free, mapped, py_arenas, py_live = allocators(heap)
        rows.append(
            [round_no, f"{time.perf_counter() - began:.1f}", period_key, made, f"{rss[-1]:.1f}",
             f"{rss[-1] - rss[0]:+.1f}",
             f"{rss[-1] - rss[min(options.warmup, len(rss) - 1)]:+.1f}",
             f"{blocks:,}", in_use, free, mapped, py_arenas, py_live, f"{traced:.1f}"]
        )  # fmt: skip
        say(
            f"# round {round_no}: {rows[-1][1]} s, {made} reports, rss {rows[-1][4]} MiB, "
            f"{blocks:,} blocks, heap in use {in_use} free {free} mmapped {mapped} MiB, "
            f"pymalloc arenas {py_arenas} live {py_live} MiB, traced {traced:.1f} MiB"
        )
        if options.minutes and time.perf_counter() - started > options.minutes * 60:
            break
    tracemalloc_stop_and_report(snapshots, options.top)
    say(f"# memoised (entries/bound): {'; '.join(caches())}")
    say(
        table(
            rows,
            [
                "round",
                "s",
                "period",
                "reports",
                "rss MiB",
                "vs 1",
                f"vs {options.warmup + 1}",
                "blocks",
                "heap in use",
                "heap free",
                "mmapped",
                "py arenas",
                "py live",
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
        f"rounds={len(rss)} rss_first_mib={rss[0]:.1f} rss_last_mib={rss[-1]:.1f} "
        f"rss_growth_after_warmup_pct={growth_pct:.1f} rss_growth_second_half_pct={half_pct:.1f} "
        f"traced_growth_after_warmup_kib={traced_growth:.0f} reports_made={made}"
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
