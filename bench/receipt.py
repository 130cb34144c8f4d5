"""Counter receipt through the API on PostgreSQL served by gunicorn, versus a trivial one-row write
endpoint on the same server in the same run.

    motcua bench receipt --seconds N [--concurrency C] [--workers W] [--worker-class sync|gthread]

The last line is ``receipts_per_s=<n> p50_ms=<n> p99_ms=<n> trivial_writes_per_s=<n> ratio=<r>``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    BENCH_PASSWORD,
    ROOT,
    Phase,
    load_average,
    machine,
    main_in_child,
    migrate_and_seed,
    say,
    table,
)

BIRTH = "1.001193"  # Đăng ký khai sinh: commune level, same day, boundary-free in the seed
OFFICER = "motcua.caikhe"  # counter officer of commune B's centre
RECEIVING_COMMUNE = "Phường Cái Khế"  # commune B: its public-administration service centre
GUNICORN_CONF = ROOT / "config" / "gunicorn_conf.py"  # the Procfile's settings
COMPETENT_COMMUNE = "Phường Ninh Kiều"  # commune A: its People's Committee decides
CITIZEN_ID = "092190000001"
MAX_REQUESTS_PER_SECOND = 5_000  # a bound on the generator, far above what the server does
ERROR_SAMPLES = 3


def parse(argv: list[str]) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(prog="motcua bench receipt", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="each measured phase")
    parser.add_argument("--concurrency", type=int, default=2 * cores, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2 * cores, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before each phase")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="instead of the load: N receipts in-process (Django test client) under cProfile, "
        "with the SQL of one receipt",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    return main_in_child("receipt", argv, parse, run, prefix="motcua_bench")


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _temp_log() -> Path:
    with tempfile.NamedTemporaryFile(prefix="motcua-bench-", suffix=".log", delete=False) as f:
        return Path(f.name)


@dataclass
class Server:
    """A gunicorn serving config.wsgi on the loopback, stopped by :meth:`stop`."""

    # None: the value of config/gunicorn_conf.py, as the Procfile runs it.
    workers: int | None = None
    worker_class: str | None = None
    threads: int | None = None
    keep_alive: int | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=_temp_log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def effective(self) -> dict[str, Any]:
        """The settings gunicorn runs with: the config file's, overridden by this object's."""
        import runpy

        config = runpy.run_path(str(GUNICORN_CONF))
        given = {
            "workers": self.workers,
            "worker_class": self.worker_class,
            "threads": self.threads,
            "keepalive": self.keep_alive,
        }
        settings = {"keepalive": 2, **{k: config[k] for k in given if k in config}}  # 2: gunicorn's
        settings.update({k: v for k, v in given.items() if v is not None})
        return settings

    def describe(self) -> str:
        s = self.effective()
        threads = f", {s['threads']} threads each" if s["worker_class"] == "gthread" else ""
        return (
            f"gunicorn -c {GUNICORN_CONF.relative_to(ROOT)} config.wsgi: {s['workers']} "
            f"{s['worker_class']} workers{threads}, keep-alive {s['keepalive']} s"
        )

    def start(self, timeout: float = 60.0) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn if gunicorn.exists() else shutil.which("gunicorn") or "gunicorn"),
            "-c",
            str(GUNICORN_CONF),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
        ]
        for flag, value in (
            ("--workers", self.workers),
            ("--worker-class", self.worker_class),
            ("--threads", self.threads),
            ("--keep-alive", self.keep_alive),
        ):
            if value is not None:
                command += [flag, str(value)]
        env = dict(os.environ)
        env.update(
            MOTCUA_BENCH_ENDPOINTS="1",
            MOTCUA_LOG_LEVEL="WARNING",
            MOTCUA_DEBUG="0",
            MOTCUA_BENCH_CHILD="0",
        )
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code in {200, 503}:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the clients


def login(base_url: str, username: str, password: str) -> httpx.Client:
    """An HTTP client logged in through the login page, as a browser would."""
    client = httpx.Client(base_url=base_url, timeout=30.0)
    client.get("/accounts/login/")
    token = client.cookies.get("csrftoken")
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token or ""},
    )
    if response.status_code != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"login as {username} failed: HTTP {response.status_code}")
    client.headers["X-CSRFToken"] = client.cookies.get("csrftoken") or ""
    return client


Body = Callable[[int, int], dict[str, Any]]


def load(name: str, clients: list[httpx.Client], path: str, body: Body, seconds: float) -> Phase:
    """Every client posts in a loop for ``seconds`` (and at most a bounded number of requests);
    only 200/201 count as successes."""
    limit = max(1, int(MAX_REQUESTS_PER_SECOND * seconds / len(clients)))
    latencies: list[list[float]] = [[] for _ in clients]
    errors = [0 for _ in clients]
    samples: list[str] = []
    lock = threading.Lock()
    cpu = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds

    def worker(index: int, client: httpx.Client) -> None:
        for i in range(limit):
            began = time.perf_counter()
            if began >= deadline:
                return
            try:
                response = client.post(path, json=body(index, i))
                status, text = response.status_code, response.text
            except httpx.HTTPError as exc:
                status, text = 0, f"{exc.__class__.__name__}: {exc}"
            elapsed = (time.perf_counter() - began) * 1000
            if status in {200, 201}:
                latencies[index].append(elapsed)
            else:
                errors[index] += 1
                with lock:
                    if len(samples) < ERROR_SAMPLES:
                        samples.append(f"HTTP {status}: {text[:300]}")

    threads = [
        threading.Thread(target=worker, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - start
    flat = [x for xs in latencies for x in xs]
    return Phase(name, took, flat, sum(errors), samples, time.process_time() - cpu)


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class Setup:
    receiving_unit: str
    competent_unit: str
    receiving_name: str
    competent_name: str
    components: list[int]


def find_setup() -> Setup:
    from motcua.agencies.models import Unit, UnitKind
    from motcua.catalog.models import Procedure
    from motcua.geo.models import Province

    province = Province.objects.get(code=92)
    psc_b = Unit.objects.get(commune__name=RECEIVING_COMMUNE, kind=UnitKind.COMMUNE_PSC)
    pc_a = Unit.objects.get(commune__name=COMPETENT_COMMUNE, kind=UnitKind.COMMUNE_PC)
    version = Procedure.objects.get(province=province, code_national=BIRTH).current
    assert version is not None, "the bundled catalogue has no current version of 1.001193"
    components = list(version.components.filter(is_note=False).values_list("pk", flat=True))
    return Setup(str(psc_b.pk), str(pc_a.pk), psc_b.name, pc_a.name, components)


def receipt_body(setup: Setup, run_id: str) -> Body:
    components = [{"component_id": c, "pages": 1} for c in setup.components]

    def body(client: int, i: int) -> dict[str, Any]:
        return {
            "procedure_code": BIRTH,
            "receiving_unit_id": setup.receiving_unit,
            "competent_unit_id": setup.competent_unit,
            "applicant_name": f"Nguyễn Văn Thử {run_id} {client}-{i}",
            "applicant_id_number": CITIZEN_ID,
            "applicant_phone": "0901234567",
            "components": components,
            "receive": True,
        }

    return body


def trivial_body(client: int, i: int) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Check:
    received: int
    successes: int
    codes_unique: bool
    gap_free: bool
    detail: str

    @property
    def ok(self) -> bool:
        return self.received == self.successes and self.codes_unique and self.gap_free


def verify(run_id: str, successes: int) -> Check:
    """Received dossiers of this run = successful requests; codes unique; sequence numbers (the
    last part of the code, R-ID-09) 1..n without gaps per unit per day, ending at the unit's
    counter (over every receipt in the database)."""
    from django.db import connection

    from motcua.dossiers.models import Dossier, DossierSequence

    mine = Dossier.objects.filter(applicant_name__contains=f" {run_id} ", state="received")
    received = mine.count()
    codes = mine.exclude(code=None).values("code").distinct().count()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH numbered AS (
                SELECT receiving_unit_id AS unit_id, received_on,
                       regexp_replace(code, '^.*-', '')::int AS seq
                FROM dossiers_dossier WHERE code IS NOT NULL
            )
            SELECT unit_id, received_on, COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq)
            FROM numbered GROUP BY unit_id, received_on
            """
        )
        groups = cursor.fetchall()
    last = {(s.unit_id, s.day): s.last for s in DossierSequence.objects.all()}
    gap_free = all(
        n == distinct == high == last.get((unit, day)) and low == 1
        for unit, day, n, distinct, low, high in groups
    )
    detail = "; ".join(f"{day}: {n} numbers 1..{high}" for _, day, n, _, _, high in groups)
    return Check(received, successes, codes == received, gap_free, detail)


def run(options: argparse.Namespace) -> int:
    from django.db import connection

    migrate_and_seed()
    setup = find_setup()
    if options.profile:
        return profile(setup, options.profile)
    connection.close()
    run_id = secrets.token_hex(3)
    server = Server(options.workers, options.worker_class, options.threads)
    say(f"# machine: {machine()}")
    say(f"# server: {server.describe()} on {server.url} (PostgreSQL, DEBUG off)")
    say(
        f"# load: {options.concurrency} concurrent clients (threads, httpx), "
        f"{options.warmup:g} s warm-up then {options.seconds:g} s per phase"
    )
    say(f"# receipt: {BIRTH} at {setup.receiving_name} for {setup.competent_name}")
    clients: list[httpx.Client] = []
    try:
        server.start()
        clients = [login(server.url, OFFICER, BENCH_PASSWORD) for _ in range(options.concurrency)]
        body = receipt_body(setup, run_id)
        warm = load("warm-up", clients, "/api/v1/dossiers", body, options.warmup)
        receipts = load("receipt", clients, "/api/v1/dossiers", body, options.seconds)
        load("warm-up", clients, "/api/v1/_bench/write", trivial_body, min(options.warmup, 1.0))
        trivial = load(
            "trivial write", clients, "/api/v1/_bench/write", trivial_body, options.seconds
        )
    finally:
        for client in clients:
            client.close()
        server.stop()
    check = verify(run_id, warm.successes + receipts.successes)
    report(receipts, trivial, warm, check)
    return 0 if check.ok and receipts.successes and trivial.successes else 1


def report(receipts: Phase, trivial: Phase, warm: Phase, check: Check) -> None:
    rows = [
        [
            p.name,
            p.requests,
            p.successes,
            p.errors,
            f"{p.per_second:.1f}",
            f"{p.pct(0.50):.1f}",
            f"{p.pct(0.90):.1f}",
            f"{p.pct(0.99):.1f}",
        ]
        for p in (receipts, trivial)
    ]
    header = ["endpoint", "requests", "ok", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms"]
    say(table(rows, header))
    for phase in (receipts, trivial):
        share = phase.client_cpu_seconds / phase.seconds * 100 if phase.seconds else 0.0
        say(f"# {phase.name}: the load generator used {share:.0f}% of one core")
    say(f"# after the run: {load_average()}")
    for phase in (warm, receipts, trivial):
        for sample in phase.error_samples:
            say(f"# {phase.name} error: {sample}")
    say(
        f"# check: {check.received} received dossiers for {check.successes} successful receipts "
        f"(warm-up included): {'equal' if check.received == check.successes else 'DIFFERENT'}; "
        f"codes unique: {'yes' if check.codes_unique else 'NO'}; sequence numbers gap-free per "
        f"unit per day: {'yes' if check.gap_free else 'NO'} ({check.detail})"
    )
    ratio = receipts.per_second / trivial.per_second if trivial.per_second else 0.0
    say(
        f"receipts_per_s={receipts.per_second:.1f} p50_ms={receipts.pct(0.50):.1f} "
        f"p99_ms={receipts.pct(0.99):.1f} trivial_writes_per_s={trivial.per_second:.1f} "
        f"ratio={ratio:.2f}"
    )


# --------------------------------------------------------------------------- where time goes


def profile(setup: Setup, count: int) -> int:
    """N receipts in this process through the whole Django stack (middleware, session, ninja),
    without HTTP: the queries of one receipt, then cProfile over N."""
    import cProfile
    import json
    import pstats
    import re
    from collections import Counter

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.accounts.models import User

    client = Client(enforce_csrf_checks=False)
    client.force_login(User.objects.get(username=OFFICER))
    body = receipt_body(setup, secrets.token_hex(3))

    def post(path: str, data: dict[str, Any]) -> int:
        response = client.post(path, json.dumps(data), content_type="application/json")
        return int(response.status_code)

    for i in range(5):  # warm caches (URL resolver, translations, ninja schemas)
        assert post("/api/v1/dossiers", body(0, i)) == 201
    for name, path, make in (
        ("receipt", "/api/v1/dossiers", body),
        ("trivial write", "/api/v1/_bench/write", trivial_body),
    ):
        with CaptureQueriesContext(connection) as captured:
            status = post(path, make(1, 0))
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        say(f"# {name}: HTTP {status}, {len(captured)} queries ({sql_ms:.1f} ms of SQL):")
        shapes = Counter(re.sub(r"\s+", " ", q["sql"])[:150] for q in captured.captured_queries)
        for sql, n in shapes.items():
            say(f"#   {n}x {sql}")
    for name, path, make in (
        ("receipt", "/api/v1/dossiers", body),
        ("trivial write", "/api/v1/_bench/write", trivial_body),
    ):
        cpu, started = time.process_time(), time.perf_counter()
        for i in range(count):
            post(path, make(3, i))
        wall = (time.perf_counter() - started) / count * 1000
        used = (time.process_time() - cpu) / count * 1000
        say(
            f"# {name}, one process, no profiler: {wall:.1f} ms per request, of which "
            f"{used:.1f} ms Python CPU in Django and {wall - used:.1f} ms waiting for PostgreSQL"
        )
    # CPU time, not wall time: waits for PostgreSQL (reported above) would otherwise hide where
    # the Python work goes, and the machine is shared.
    profiler = cProfile.Profile(time.process_time)
    started = time.perf_counter()
    profiler.enable()
    for i in range(count):
        post("/api/v1/dossiers", body(2, i))
    profiler.disable()
    if os.environ.get("MOTCUA_BENCH_PROFILE_OUT"):
        profiler.dump_stats(os.environ["MOTCUA_BENCH_PROFILE_OUT"])
    took = time.perf_counter() - started
    say(
        f"# {count} receipts in-process: {took / count * 1000:.1f} ms each "
        "(under cProfile; the tables below are CPU time)"
    )
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("cumulative").print_stats(r"/motcua/", 40)  # our code only
    stats.sort_stats("tottime").print_stats(25)
    return 0
