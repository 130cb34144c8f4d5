"""``motcua bench load``: the platform under a Monday morning's load, a 5x spike and a soak, with
locust (issue #12 part 9).

    motcua bench load [--users U] [--steady-seconds S] [--spike-seconds P]
                      [--recovery-seconds R] [--soak-minutes M] [--search-dossiers N]

On a throw-away PostgreSQL database (bench/common.py): the seed, then ``--search-dossiers``
history dossiers by COPY (bench/seed.py), gunicorn (the Procfile: 2 gthread workers, 4 threads; or
``--workers``/``--worker-class``/``--threads``) and the worker
(``motcua worker``, its scheduled jobs running), locust headless on the loopback (bench/
locustfile.py: citizens, officers, the board), bounded by its stages.

**Rate.** DESIGN §6: the biggest province has ~10 M dossiers over five years = 2 M a year; over
250 working days of 8 hours that is 1,000 dossiers an hour, 0.28 a second (used as the
per-province figure — an overstatement of the national average, which no document here gives).
Ten times that is 2.8 receipts/s. In the mix, one user makes at most one request a second and
one request in 21 of an officer's is a receipt (weights 2+2+2+1 → 1/7 of 8/20 of the users), so
~50 users give 2.8 receipts/s among ~50 requests/s. ``--users`` defaults to 50.

**Phases** (locust stages): warm-up 10 s; steady ``--steady-seconds`` at U users; spike
``--spike-seconds`` at 5U; recovery ``--recovery-seconds`` at U; soak ``--soak-minutes`` at U.
Figures: p50/p95/p99 per page in the steady phase against OpenCRVS's SLOs (reads 50/150/300 ms,
writes 100/300/500 ms); the spike's error rate; the seconds after the spike until a 5-second
window's p95 is back within 20 % of the steady p95; the resident memory (psutil) of each
gunicorn process and of the worker, sampled every 5 s over the soak (30 minutes by default;
growth of the last quarter, at least a minute, against the first).

**Search at scale**, in the same run: on the seeded dossiers, p95 of the tracking lookup (exact
code) and of the desk search (``dossiers.selectors.search``: code, name with and without
diacritics, ID number), each against a naive query (no folded column, ``LIKE`` on the raw
columns with the folding done per row).

Last line: ``requests=<n> errors=<n> p95_read_ms=<n> p95_write_ms=<n> spike_recovery_s=<n>
rss_growth_pct=<n>``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_PASSWORD,
    ROOT,
    machine,
    main_in_child,
    migrate_and_seed,
    note,
    percentile,
    say,
    table,
)

SLO = {"read": (50, 150, 300), "write": (100, 300, 500)}  # OpenCRVS p50/p95/p99 ms
WARMUP_S = 10
WINDOW_S = 5.0
LOCUSTFILE = ROOT / "bench" / "locustfile.py"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench load", description=__doc__)
    parser.add_argument("--users", type=int, default=50, help="users at the steady rate")
    parser.add_argument("--steady-seconds", type=int, default=60)
    parser.add_argument("--spike-seconds", type=int, default=20)
    parser.add_argument("--recovery-seconds", type=int, default=40)
    parser.add_argument(
        "--soak-minutes",
        type=float,
        default=30.0,
        help="minutes of the soak at the steady rate (issue #12: 30); shorter for a quick look, "
        "longer to hunt a slow leak",
    )
    parser.add_argument("--search-dossiers", type=int, default=100_000)
    parser.add_argument("--search-samples", type=int, default=50)
    # The Procfile's gunicorn (config/gunicorn_conf.py) by default; other values to compare
    # (issue #12 item 9).
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the Procfile's)")
    parser.add_argument("--worker-class", choices=("gthread", "sync"), help="(Procfile: gthread)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: the Procfile's)")
    parser.add_argument(
        "--keep-alive", type=int, help="seconds a client's idle connection is kept (gunicorn: 2)"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    return main_in_child("load", argv, parse, run)


# --------------------------------------------------------------------------- data


def seed(options: argparse.Namespace) -> None:
    from bench import seed as history

    if options.search_dossiers > 0:
        started = time.perf_counter()
        history.run(argparse.Namespace(dossiers=options.search_dossiers, years=1, seed=12))
        say(
            f"# search data: {options.search_dossiers:,} history dossiers in "
            f"{time.perf_counter() - started:.0f} s (bench/seed.py)"
        )
    else:
        migrate_and_seed()


def samples(n: int) -> tuple[list[str], list[str], list[str]]:
    from motcua.dossiers.models import Dossier

    rows = list(
        Dossier.objects.exclude(code=None)
        .order_by("?")
        .values_list("code", "applicant_name", "applicant_id_number")[:n]
    )
    return [str(r[0]) for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def timed(run: Any, inputs: list[Any]) -> float:
    """p95 in ms of ``run(x)`` over the inputs."""
    times = []
    for value in inputs:
        began = time.perf_counter()
        run(value)
        times.append((time.perf_counter() - began) * 1000)
    return percentile(sorted(times), 0.95)


def search_at_scale(options: argparse.Namespace) -> list[list[str]]:
    from django.db import connection

    from motcua.core.text import fold
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import search

    codes, names, ids = samples(options.search_samples)
    if not codes:
        return []
    surname_given = [" ".join(n.split()[-2:]) for n in names]
    folded = [fold(n) for n in surname_given]
    everything = Dossier.objects.all()

    def product(q: str) -> None:
        list(search(everything, q).values_list("id", flat=True)[:25])

    def naive(sql: str, param: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql + " LIMIT 25", [param])
            cursor.fetchall()

    vietnamese = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    plain = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
    fold_sql = f"translate(lower(applicant_name), '{vietnamese}', '{plain}')"
    return [
        [
            "tracking by code (exact)",
            f"{timed(lambda c: list(Dossier.objects.filter(code=c)[:1]), codes):.1f}",
            f"{timed(lambda c: naive('SELECT id FROM dossiers_dossier WHERE lower(code) = lower(%s)', c), codes):.1f}",  # noqa: E501
            "lower(code) = lower(…)",
        ],
        [
            "desk search by code",
            f"{timed(product, codes):.1f}",
            f"{timed(lambda c: naive('SELECT id FROM dossiers_dossier WHERE lower(code) = lower(%s)', c), codes):.1f}",  # noqa: E501
            "lower(code) = lower(…)",
        ],
        [
            "desk search by ID number",
            f"{timed(product, ids):.1f}",
            f"{timed(lambda i: naive('SELECT id FROM dossiers_dossier WHERE applicant_id_number LIKE %s', f'%{i}%'), ids):.1f}",  # noqa: E501
            "LIKE '%number%'",
        ],
        [
            "desk search by name (diacritics)",
            f"{timed(product, surname_given):.1f}",
            f"{timed(lambda n: naive(f'SELECT id FROM dossiers_dossier WHERE {fold_sql} LIKE %s', '%' + fold(n) + '%'), surname_given):.1f}",  # noqa: E501
            "translate(lower(name)) LIKE",
        ],
        [
            "desk search by name (no diacritics)",
            f"{timed(product, folded):.1f}",
            f"{timed(lambda n: naive(f'SELECT id FROM dossiers_dossier WHERE {fold_sql} LIKE %s', '%' + n + '%'), folded):.1f}",  # noqa: E501
            "translate(lower(name)) LIKE",
        ],
    ]


# --------------------------------------------------------------------------- processes


Series = list[tuple[float, dict[str, float]]]


def rss_sampler(pids: dict[str, int], stop: threading.Event) -> tuple[Series, Series]:
    """Every 5 s, the resident memory (bytes) of each process and its children, and the CPU
    seconds (user + system) each has used so far: two series filled until ``stop`` is set."""
    import psutil

    series: Series = []
    cpu: Series = []

    def sample() -> None:
        while not stop.wait(5.0):
            point: dict[str, float] = {}
            used: dict[str, float] = {}
            for label, pid in pids.items():
                try:
                    parent = psutil.Process(pid)
                    for name, process in [
                        (label, parent),
                        *(
                            (f"{label} child {i + 1}", child)
                            for i, child in enumerate(parent.children(recursive=True))
                        ),
                    ]:
                        point[name] = process.memory_info().rss
                        times = process.cpu_times()
                        used[name] = times.user + times.system
                except psutil.Error:
                    continue
            now = time.time()
            series.append((now, point))
            cpu.append((now, used))

    threading.Thread(target=sample, daemon=True).start()
    return series, cpu


def cpu_shares(cpu: Series, start: float, end: float) -> list[list[str]]:
    """CPU seconds each process used between ``start`` and ``end`` (the nearest samples inside),
    and each gunicorn child's share of the children's total: a connection stays with the child
    that accepted it, so an uneven share means one child queues while another idles."""
    inside = [(t, p) for t, p in cpu if start <= t <= end]
    if len(inside) < 2:
        return []
    (t0, first), (t1, last) = inside[0], inside[-1]
    used = {label: last[label] - first[label] for label in last if label in first}
    children = sum(v for label, v in used.items() if label.startswith("gunicorn child"))
    rows = []
    for label in sorted(used):
        share = (
            f"{used[label] / children * 100:.0f} %"
            if label.startswith("gunicorn child") and children
            else ""
        )
        rows.append([label, f"{used[label]:.1f}", f"{used[label] / (t1 - t0) * 100:.0f} %", share])
    return rows


def window_p95(records: list[Any], start: float) -> float | None:
    """p95 of the successful requests started in the window of ``WINDOW_S`` from ``start``."""
    window = sorted(r[3] for r in records if start <= r[0] < start + WINDOW_S and r[4])
    return percentile(window, 0.95) if window else None


def spike_recovery(
    records: list[Any], spike_end: float, recovery_end: float, steady_p95: float
) -> float | None:
    """Seconds after the spike until a window's p95 is within 20 % of the steady p95."""
    moment = spike_end
    while moment + WINDOW_S <= recovery_end:
        p95 = window_p95(records, moment)
        if p95 is not None and p95 <= 1.2 * steady_p95:
            return moment + WINDOW_S - spike_end
        moment += 1.0
    return None


def recovery_trace(records: list[Any], start: float, end: float) -> str:
    """Each window's p95 after the spike (successful requests, by start time), "-" if empty."""
    out = []
    moment = start
    while moment + WINDOW_S <= end:
        p95 = window_p95(records, moment)
        out.append("-" if p95 is None else f"{p95:.0f}")
        moment += WINDOW_S
    return " ".join(out)


def rss_growth(series: Series, since: float) -> list[list[str]]:
    """Per process: mean RSS (MiB) in each quarter of the soak, the growth of the last quarter
    against the first (at least a minute each) and the growth of the last quarter against the
    third. Warming caches (bounded ones: the Vietnamese sort keys, the board's figures) show as
    growth early in the soak; a leak keeps growing into the last quarter."""
    soak = [(t, p) for t, p in series if t >= since]
    if len(soak) < 4:
        return []
    start, span = soak[0][0], soak[-1][0] - soak[0][0]
    edge = max(60.0, span / 4)
    first = [p for t, p in soak if t <= start + edge]
    last = [p for t, p in soak if t >= soak[-1][0] - edge]
    quarters = [
        [p for t, p in soak if start + span * q / 4 <= t <= start + span * (q + 1) / 4]
        for q in range(4)
    ]

    def mean(points: list[dict[str, float]], label: str) -> float:
        values = [p[label] for p in points if label in p]
        return statistics.mean(values) if values else float("nan")

    rows = []
    for label in sorted(soak[0][1]):
        a, b = mean(first, label), mean(last, label)
        q = [mean(points, label) for points in quarters]
        rows.append(
            [label, f"{a / 2**20:.1f}"]
            + [f"{v / 2**20:.1f}" for v in q]
            + [f"{b / 2**20:.1f}", f"{(b - a) / a * 100:+.1f}"]
            + [f"{(q[3] - q[2]) / q[2] * 100:+.1f}"]
        )
    return rows


# --------------------------------------------------------------------------- the run


def run(options: argparse.Namespace) -> int:
    from django.db import connection

    from bench.receipt import Server, find_setup

    seed(options)
    search_rows = search_at_scale(options)
    codes, names, _ = samples(200)
    setup = find_setup()
    from motcua.dossiers.models import Dossier

    officer_codes = [
        str(c)
        for c in Dossier.objects.filter(receiving_unit_id=uuid.UUID(setup.receiving_unit))
        .exclude(code=None)
        .values_list("code", flat=True)[:200]
    ]
    # A citizen tracks with the code and the last four digits of the phone given at receipt.
    tracked = [
        [str(code), phone[-4:]]
        for code, phone in Dossier.objects.exclude(code=None)
        .exclude(applicant_phone="")
        .order_by("?")
        .values_list("code", "applicant_phone")[:200]
        if len(phone) >= 4
    ]
    connection.close()

    users = options.users
    steady_end = WARMUP_S + options.steady_seconds
    spike_end = steady_end + options.spike_seconds
    recovery_end = spike_end + options.recovery_seconds
    soak_end = recovery_end + int(options.soak_minutes * 60)
    stages = [[steady_end, users], [spike_end, 5 * users], [recovery_end, users], [soak_end, users]]

    say(f"# machine: {machine()}")
    say(
        f"# load: locust headless, {users} users at most 1 request/s each (steady), "
        f"{5 * users} in the spike; warm-up {WARMUP_S} s, steady {options.steady_seconds} s, "
        f"spike {options.spike_seconds} s, recovery {options.recovery_seconds} s, soak "
        f"{options.soak_minutes:g} min"
    )
    server = Server(options.workers, options.worker_class, options.threads, options.keep_alive)
    worker: subprocess.Popen[bytes] | None = None
    out = Path(tempfile.mkstemp(prefix="motcua-load-", suffix=".jsonl")[1])
    stop = threading.Event()
    try:
        server.start(timeout=180)  # a loaded machine boots gunicorn slowly
        env = dict(os.environ)
        env.update(MOTCUA_BENCH_CHILD="0", MOTCUA_LOG_LEVEL="WARNING")
        worker = subprocess.Popen(
            [sys.executable, "-m", "motcua.cli", "worker"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert server.process is not None
        series, cpu = rss_sampler({"gunicorn": server.process.pid, "worker": worker.pid}, stop)
        say(f"# server: {server.describe()} on {server.url} (PostgreSQL, DEBUG off); worker on")
        started = time.time()
        locust_env = dict(env)
        locust_env.update(
            MOTCUA_LOAD_OUT=str(out),
            MOTCUA_LOAD_STAGES=json.dumps(stages),
            MOTCUA_LOAD_CODES=json.dumps(codes),
            MOTCUA_LOAD_TRACKED=json.dumps(tracked),
            MOTCUA_LOAD_OFFICER_CODES=json.dumps(officer_codes),
            MOTCUA_LOAD_NAMES=json.dumps([" ".join(n.split()[-2:]) for n in names]),
            MOTCUA_LOAD_SETUP=json.dumps(setup.__dict__),
            MOTCUA_LOAD_PASSWORD=BENCH_PASSWORD,
        )
        locust = subprocess.run(
            [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE),
             "--headless", "--host", server.url, "--only-summary", "--loglevel", "WARNING",
             "--stop-timeout", "5"],
            cwd=ROOT, env=locust_env, capture_output=True, text=True,
            timeout=soak_end + 300, check=False,
        )  # fmt: skip
        if locust.returncode not in {0, 1}:  # 1: some requests failed (reported below)
            note(locust.stderr[-3000:])
            return 1
    finally:
        stop.set()
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        server.stop()
    records = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    out.unlink(missing_ok=True)
    return report(records, started, stages, series, search_rows, cpu=cpu)


def report(
    records: list[list[Any]],
    started: float,
    stages: list[list[int]],
    series: Series,
    search_rows: list[list[str]],
    *,
    cpu: Series,
) -> int:
    steady_end, spike_end, recovery_end, _ = (started + end for end, _ in stages)
    steady_start = started + WARMUP_S
    measured = [r for r in records if r[0] >= steady_start and r[1] not in {"login", "login page"}]
    steady = [r for r in measured if r[0] < steady_end]
    spike = [r for r in measured if steady_end <= r[0] < spike_end]

    by_page: dict[tuple[str, str], list[float]] = defaultdict(list)
    errors_by_page: dict[str, int] = defaultdict(int)
    for _, name, kind, ms, ok, _error in steady:
        if ok:
            by_page[(name, kind)].append(ms)
        else:
            errors_by_page[name] += 1
    rows = []
    for (name, kind), values in sorted(by_page.items()):
        values.sort()
        q50, q95, q99 = (percentile(values, f) for f in (0.50, 0.95, 0.99))
        slo = SLO[kind]
        verdict = "ok" if q50 <= slo[0] and q95 <= slo[1] and q99 <= slo[2] else "over SLO"
        rows.append(
            [name, kind, len(values), errors_by_page[name], f"{q50:.0f}", f"{q95:.0f}",
             f"{q99:.0f}", "/".join(map(str, slo)), verdict]
        )  # fmt: skip
    say("## steady phase, per page (ms)")
    say(table(rows, ["page", "kind", "n", "errors", "p50", "p95", "p99", "SLO", ""]))
    shares = cpu_shares(cpu, steady_start, steady_end)
    if shares:
        say("## steady phase, CPU per process (seconds, % of one core, share of the web children)")
        say(table(shares, ["process", "cpu s", "of a core", "share"]))

    def p95(kind: str, rows_: list[list[Any]]) -> float:
        values = sorted(r[3] for r in rows_ if r[2] == kind and r[4])
        return percentile(values, 0.95)

    steady_p95 = percentile(sorted(r[3] for r in steady if r[4]), 0.95)
    spike_errors = sum(1 for r in spike if not r[4])
    say(
        f"## spike (5x): {len(spike)} requests, {spike_errors} errors "
        f"({spike_errors / max(len(spike), 1) * 100:.2f} %), p95 "
        f"{percentile(sorted(r[3] for r in spike if r[4]), 0.95):.0f} ms (steady p95 "
        f"{steady_p95:.0f} ms)"
    )
    recovery = spike_recovery(measured, spike_end, recovery_end, steady_p95)
    say(
        "## recovery: p95 back within 20 % of the steady p95 "
        + (f"{recovery:.0f} s after the spike" if recovery is not None else "not within the phase")
    )
    say(
        f"# recovery, p95 of each {WINDOW_S:.0f} s window from the spike's end (ms): "
        + recovery_trace(measured, spike_end, recovery_end)
    )
    growth_rows = rss_growth(series, recovery_end)
    if growth_rows:
        say("## soak: resident memory per process (MiB: first part, each quarter, last part)")
        say(
            table(
                growth_rows,
                ["process", "first", "Q1", "Q2", "Q3", "Q4", "last", "growth %", "Q3→Q4 %"],
            )
        )
    # The largest growth of any process (a process that shrank, e.g. a gunicorn worker that
    # returned memory after the spike, does not count as growth).
    worst = max((float(r[7]) for r in growth_rows), default=0.0)
    if search_rows:
        say("## search at scale: p95 ms, product vs naive query (same run, same samples)")
        say(table(search_rows, ["lookup", "product p95", "naive p95", "naive query"]))
    errors = sum(1 for r in measured if not r[4])
    failures = [r for r in measured if not r[4]]
    if failures:
        say("## error samples: " + "; ".join(f"{r[1]}: {r[5]}" for r in failures[:5]))
    say(
        f"requests={len(measured)} errors={errors} p95_read_ms={p95('read', steady):.0f} "
        f"p95_write_ms={p95('write', steady):.0f} "
        f"spike_recovery_s={-1 if recovery is None else round(recovery)} "
        f"rss_growth_pct={worst:.1f}"
    )
    return 0
