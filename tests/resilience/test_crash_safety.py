"""Crash safety and the backup drill (issue #12 part 8), on a PostgreSQL database of their own
with real processes: gunicorn, the worker (``motcua worker``), the portal and SMS simulators.

1. **kill -9 of the web server during a burst of receipts.** Four officers' clients post counter
   receipts (register-and-receive, ``POST /api/v1/dossiers``) in a loop; after 20 confirmed
   receipts the whole gunicorn process group is killed with SIGKILL, requests in flight. A new
   server starts and takes receipts again at once (the day's counter is not wedged).
2. **kill -9 of the worker during outbox delivery.** The portal answers after 500 ms, so a
   delivery batch is in flight for seconds; as soon as the portal has accepted its first call
   the worker's process group is killed. ``/healthz`` then answers 503 ``stale``. A second
   worker takes the leased messages again when their lease ends and delivers them; the portal
   and the SMS gateway deduplicate by idempotency key.
3. **Afterwards** ``motcua check_integrity`` passes (no dossier without its events, no gap in
   codes, no message stuck), every confirmed code exists, the portal counted every status of
   every dossier exactly once and the SMS gateway stored each message once.
4. **Backup and restore.** ``pg_dump -Fc`` of that database, ``pg_restore`` into a new one,
   ``check_integrity`` there: passes, with the same counts.

The task queue is left out of the worker here (``MOTCUA_TASK_BACKEND`` is django-tasks' dummy
backend): the scheduled periodic reports would otherwise hold the worker's loop for minutes on a
fresh database, which is part 1 of the issue, not what this test proves. A task left running by
a dead worker is covered by motcua/core/tests/test_worker_liveness.py.

``MOTCUA_RESILIENCE_TEMPLATE_DB``: name of an already migrated and seeded database to copy
instead of seeding (``bench.common.migrate_and_seed``, about a minute) — for local iterations.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from simulators.tests.conftest import SimProcess, start_simulator

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("MOTCUA_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
OFFICER = "motcua.caikhe"  # bench.receipt's counter officer (seeded persona)
PASSWORD = "Bench-mat-khau-2026"  # bench.common.BENCH_PASSWORD
CONFIRMED_BEFORE_KILL = 20
PORTAL_LATENCY_MS = 500


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Group:
    """A command in its own process group (gunicorn and its workers; the worker and its
    threads), killed as a whole."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def kill9(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


def wait_until(what: str, predicate: Any, timeout: float, log: Path | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"{what}: not within {timeout:.0f} s\n{tail}")


def manage(
    env: dict[str, str], *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "motcua"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


@dataclass
class Crashed:
    """What the crash scenario leaves: its database and what the clients and probes saw."""

    url: str
    env: dict[str, str]
    confirmed: list[str] = field(default_factory=list)
    attempted: int = 0
    after_restart: list[str] = field(default_factory=list)
    stale_health: dict[str, Any] = field(default_factory=dict)
    delivered_at_kill: int = 0
    outbox_at_kill: int = 0
    portal_calls_at_kill: int = 0
    portal_counts: dict[str, Any] = field(default_factory=dict)
    portal_stats: dict[str, Any] = field(default_factory=dict)
    sms_keys: list[str] = field(default_factory=list)
    integrity: subprocess.CompletedProcess[str] | None = None


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    name = f"motcua_resilience_{secrets.token_hex(4)}"
    template = os.environ.get("MOTCUA_RESILIENCE_TEMPLATE_DB")
    admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    url = f"{PG_URL}/{name}"
    try:
        if not template:
            env = {**os.environ, "DATABASE_URL": url, "MOTCUA_LOG_LEVEL": "WARNING"}
            seed = subprocess.run(
                [sys.executable, "-c",
                 "import django; django.setup(); "
                 "from bench.common import migrate_and_seed; migrate_and_seed()"],
                cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                capture_output=True, text=True, timeout=600, check=False,
            )  # fmt: skip
            assert seed.returncode == 0, seed.stdout[-2000:] + seed.stderr[-3000:]
        yield url
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def crashed(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crashed]:
    tmp = tmp_path_factory.mktemp("crash")
    sims: list[SimProcess] = []
    groups: list[Group] = []
    try:
        portal = start_simulator("portal", tmp / "portal")
        sms = start_simulator("sms", tmp / "sms")
        sims += [portal, sms]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        env.update(
            DATABASE_URL=database,
            MOTCUA_DEBUG="0",
            MOTCUA_LOG_LEVEL="WARNING",
            MOTCUA_VAR_DIR=str(tmp / "var"),
            MOTCUA_PKI_DIR=str(tmp / "pki"),
            MOTCUA_EXCHANGE_PORTAL_URL=portal.url,
            MOTCUA_EXCHANGE_PORTAL_KEY=portal.key,
            MOTCUA_EXCHANGE_SMS_URL=sms.url,
            MOTCUA_EXCHANGE_SMS_KEY=sms.key,
            MOTCUA_TASK_BACKEND="django_tasks.backends.dummy.DummyBackend",
            MOTCUA_WORKER_HEARTBEAT_SECONDS="1",
            MOTCUA_WORKER_STARTUP_GRACE_SECONDS="0",
            MOTCUA_OUTBOX_LEASE_S="3",
            MOTCUA_OUTBOX_BACKOFF_BASE_S="1",
        )
        result = Crashed(url=database, env=env)
        setup = json.loads(
            subprocess.run(
                [sys.executable, "-c",
                 "import dataclasses, json, django; django.setup(); "
                 "from bench.receipt import find_setup; "
                 "print(json.dumps(dataclasses.asdict(find_setup())))"],
                cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                capture_output=True, text=True, timeout=120, check=True,
            ).stdout.strip().splitlines()[-1]
        )  # fmt: skip

        # ---- 1. kill -9 of the web server during a burst of receipts
        web_log = tmp / "web.log"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        gunicorn = [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
                    "--workers", "2", "--threads", "2", "--log-level", "warning"]  # fmt: skip

        def serving() -> bool:
            try:
                return httpx.get(f"{url}/healthz", timeout=2).status_code in {200, 503}
            except httpx.TransportError:
                return False

        web = Group(gunicorn, env, web_log)
        groups.append(web)
        wait_until("gunicorn answers", serving, 60, web_log)
        from bench.receipt import login

        def body(i: int) -> dict[str, Any]:
            return {
                "procedure_code": "1.001193",
                "receiving_unit_id": setup["receiving_unit"],
                "competent_unit_id": setup["competent_unit"],
                "applicant_name": f"Nguyễn Văn Sập {i}",
                "applicant_id_number": "092190000001",
                "applicant_phone": "0901234567",
                "components": [{"component_id": c, "pages": 1} for c in setup["components"]],
                "receive": True,
            }

        clients = [login(url, OFFICER, PASSWORD) for _ in range(4)]
        lock = threading.Lock()
        stop = threading.Event()
        counter = iter(range(10**6))

        def post_loop(client: httpx.Client) -> None:
            while not stop.is_set():
                with lock:
                    i = next(counter)
                    result.attempted += 1
                try:
                    response = client.post("/api/v1/dossiers", json=body(i))
                except httpx.HTTPError:
                    continue  # the server is gone: this request may or may not have committed
                if response.status_code == 201:
                    with lock:
                        result.confirmed.append(response.json()["code"])

        threads = [threading.Thread(target=post_loop, args=(c,), daemon=True) for c in clients]
        for thread in threads:
            thread.start()
        wait_until(
            "confirmed receipts", lambda: len(result.confirmed) >= CONFIRMED_BEFORE_KILL, 120,
            web_log,
        )  # fmt: skip
        web.kill9()  # requests in flight
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        for client in clients:
            client.close()

        web = Group(gunicorn, env, web_log)
        groups.append(web)
        wait_until("gunicorn answers again", serving, 60, web_log)
        client = login(url, OFFICER, PASSWORD)
        try:
            for i in range(5):
                response = client.post("/api/v1/dossiers", json=body(10**6 + i))
                assert response.status_code == 201, response.text[:500]
                result.after_restart.append(response.json()["code"])
        finally:
            client.close()

        # ---- 2. kill -9 of the worker during outbox delivery
        portal_http = httpx.Client(base_url=portal.url, headers={"X-Api-Key": portal.key})
        portal_http.post(
            "/_sim/faults", json={"fault": f"latency={PORTAL_LATENCY_MS}"}
        ).raise_for_status()
        worker_log = tmp / "worker.log"
        worker_argv = [str(BIN / "motcua"), "worker", "--interval", "0.2"]
        worker = Group(worker_argv, env, worker_log)
        groups.append(worker)

        def portal_calls() -> int:
            """Dossiers the portal has accepted something for (its own records, not its
            request counter, which counts our /_sim calls too)."""
            return len(portal_http.get("/_sim/counts").json()["dossiers"])

        wait_until("the portal's first call", lambda: portal_calls() > 0, 120, worker_log)
        worker.kill9()
        result.portal_calls_at_kill = portal_calls()
        result.outbox_at_kill, result.delivered_at_kill = query(
            database,
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'delivered') FROM core_outboxmessage",
        )[0]

        def stale() -> dict[str, Any] | None:
            response = httpx.get(f"{url}/healthz", timeout=5)
            body: dict[str, Any] = response.json() | {"http": response.status_code}
            return body if body.get("worker") == "stale" else None

        result.stale_health = wait_until("/healthz sees the dead worker", stale, 30)
        portal_http.delete("/_sim/faults")

        worker = Group(worker_argv, env, worker_log)
        groups.append(worker)

        def drained() -> bool:
            ((pending,),) = query(
                database, "SELECT COUNT(*) FROM core_outboxmessage WHERE status <> 'delivered'"
            )
            return int(pending) == 0

        wait_until("the outbox drains after the restart", drained, 180, worker_log)
        healthy = httpx.get(f"{url}/healthz", timeout=5)
        assert healthy.status_code == 200, healthy.text
        assert healthy.json()["worker"] == "ok"
        worker.stop()
        web.stop()

        result.portal_counts = portal_http.get("/_sim/counts").json()["dossiers"]
        result.portal_stats = portal_http.get("/_sim/stats").json()
        portal_http.close()
        sms_http = httpx.Client(base_url=sms.url, headers={"X-Api-Key": sms.key})
        result.sms_keys = [m["idempotency_key"] for m in sms_http.get("/_sim/messages").json()]
        sms_http.close()
        result.integrity = manage(env, "check_integrity")
        yield result
    finally:
        for group in groups:
            group.kill9()
        for sim in sims:
            sim.stop()


def test_kill_9_of_server_and_worker_loses_nothing_and_delivers_once(crashed: Crashed) -> None:
    url = crashed.url
    # The scenario happened as described (not vacuously): receipts were in flight at the kill,
    # and the worker died with a batch half-way.
    assert len(crashed.confirmed) >= CONFIRMED_BEFORE_KILL
    assert crashed.attempted > len(crashed.confirmed)
    assert crashed.portal_calls_at_kill > 0
    assert crashed.delivered_at_kill < crashed.outbox_at_kill
    assert crashed.stale_health["http"] == 503
    assert crashed.stale_health["worker"] == "stale"
    assert crashed.stale_health["status"] != "ok"

    # No dossier without its events, no gap in codes, no message stuck (the operators' check).
    assert crashed.integrity is not None
    assert crashed.integrity.returncode == 0, crashed.integrity.stdout + crashed.integrity.stderr
    assert "integrity OK" in crashed.integrity.stdout

    codes = {code for (code,) in query(url, "SELECT code FROM dossiers_dossier")}
    assert set(crashed.confirmed) | set(crashed.after_restart) <= codes
    assert len(codes) <= crashed.attempted + len(crashed.after_restart)
    events = query(
        url,
        "SELECT COUNT(*) FROM dossiers_dossier d WHERE NOT EXISTS "
        "(SELECT 1 FROM dossiers_dossierevent e WHERE e.dossier_id = d.id)",
    )
    assert events == [(0,)]

    # Every message delivered exactly once: the portal counted each status of each dossier once,
    # the SMS gateway stored each outbox message once.
    assert set(crashed.portal_counts) == codes
    for code, entry in crashed.portal_counts.items():
        counts = {**entry["status_counts"], **entry["step_counts"]}
        assert counts, code
        assert set(counts.values()) == {1}, (code, entry)
    sms_keys = {
        k
        for (k,) in query(
            url, "SELECT idempotency_key FROM core_outboxmessage WHERE topic = 'sms.send'"
        )
    }
    assert sorted(crashed.sms_keys) == sorted(sms_keys)


def test_backup_restored_into_a_new_database_passes_the_integrity_check(
    crashed: Crashed, tmp_path: Path
) -> None:
    dump = tmp_path / "motcua.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", crashed.url],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    name = f"motcua_restored_{secrets.token_hex(4)}"
    admin(f'CREATE DATABASE "{name}"')
    restored = f"{PG_URL}/{name}"
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        check = manage({**crashed.env, "DATABASE_URL": restored}, "check_integrity")
        assert check.returncode == 0, check.stdout + check.stderr
        original = manage(crashed.env, "check_integrity", "--only", "codes")
        # The first line counts what was checked: "checked: dossiers=… events=… …".
        assert check.stdout.splitlines()[0] == original.stdout.splitlines()[0]
        assert "dossiers=0" not in check.stdout

        # The counters came along: the next receipt of the day numbers on from them.
        ((last,),) = query(restored, "SELECT MAX(last) FROM dossiers_dossiersequence")
        assert last is not None
        assert last >= CONFIRMED_BEFORE_KILL
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
