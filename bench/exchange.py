"""Officers drive N dossiers through their lifecycle while two delivery workers sync every state
change to the portal simulator, which fails ~30 % of calls and loses ~3 % of replies (issue #7
item 6, the long version of motcua/dossiers/tests/test_fault.py). Real time, real threads, a
throw-away PostgreSQL database (unless DATABASE_URL is set) and the portal simulator as its own
process.

    motcua bench exchange --dossiers N [--workers W] [--error-rate R] [--lost-rate L]

Prints the officers' throughput (state changes per second, which never wait for the portal),
the delivery throughput, and a baseline measured in the same run: a tenth of the dossiers with
the portal healthy. As in the fault test, what is not the exchange is left out: the approval
issues no signed result (rendering and signing ~0.5 s of CPU per dossier, measured by the
documents tests) and the indicator rollups (insights hooks) are not kept current. Each status is
counted as the portal is told it (5/6/8 as 9, R-STATE-02). The last line is
``dossiers=<n> transitions=<n> lost=<n> duplicated=<n> worst_sync_lag_s=<n>``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from typing import Any

import httpx

from bench.common import ROOT, is_child, machine, migrate_and_seed, run_in_child, say


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench exchange", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=20_000, help="dossiers to drive")
    parser.add_argument("--workers", type=int, default=2, help="delivery workers (threads)")
    parser.add_argument("--error-rate", type=float, default=0.30, help="share of 503 replies")
    parser.add_argument("--lost-rate", type=float, default=0.03, help="share of lost replies")
    parser.add_argument("--timeout-ms", type=int, default=300, help="client timeout")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse(argv)
    if not is_child():
        return run_in_child(["exchange", *argv], prefix="motcua_bench")
    return run(options)


class Portal:
    """The portal simulator as a subprocess on a free loopback port."""

    def __init__(self) -> None:
        state = tempfile.mkdtemp(prefix="motcua-bench-portal-")
        env = {**os.environ, "MOTCUA_SIM_STATE_DIR": state, "MOTCUA_SIM_TIMEOUT_SECONDS": "30"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "simulators", "run", "portal", "--port", "0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        parts = self.process.stdout.readline().split()
        self.url, self.key = parts[1], parts[2].removeprefix("X-Api-Key=")
        self.http = httpx.Client(base_url=self.url, headers={"X-Api-Key": self.key}, timeout=30)
        for _ in range(300):
            try:
                if self.http.get("/_sim/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)

    def faults(self, error_rate: float, lost_rate: float) -> None:
        share = error_rate + lost_rate
        if share <= 0:
            self.http.delete("/_sim/faults")
            return
        spec = f"error-rate={error_rate / share:.4f},timeout-after=5"
        self.http.post("/_sim/faults", json={"fault": spec, "rate": share}).raise_for_status()

    def counts(self) -> dict[str, dict[str, dict[str, int]]]:
        """Every dossier's accepted deliveries per status, by the portal's own count."""
        body: dict[str, Any] = self.http.get("/_sim/counts").json()
        return dict(body["dossiers"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def run(options: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import close_old_connections, connection

    from motcua.core.models import OutboxMessage

    say(f"# machine: {machine()}; database {connection.vendor}")
    migrate_and_seed()
    exchange_only()
    portal = Portal()
    try:
        settings.MOTCUA_EXCHANGE = {
            **settings.MOTCUA_EXCHANGE,
            "portal": {"url": portal.url, "key": portal.key},
        }
        settings.MOTCUA_EXCHANGE_TIMEOUT_MS = options.timeout_ms
        settings.MOTCUA_OUTBOX_BACKOFF_BASE_S = 1
        settings.MOTCUA_OUTBOX_BACKOFF_CAP_S = 30
        settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 100
        settings.MOTCUA_EXCHANGE_BREAKER_COOLDOWN_S = 2
        settings.MOTCUA_OUTBOX_LEASE_S = 60

        # Baseline, same run: a tenth of the dossiers with a healthy portal and no delivery.
        base_n = max(1, options.dossiers // 10)
        portal.faults(0.0, 0.0)
        started = time.perf_counter()
        base_changes = drive(base_n, offset=0)
        base_rate = base_changes / (time.perf_counter() - started)
        OutboxMessage.objects.filter(topic__in=["sms.send", "email.send"]).delete()
        portal.faults(options.error_rate, options.lost_rate)

        stop = threading.Event()
        delivered = Counter[str]()

        def worker(name: str) -> None:
            from motcua.exchange.outbox import deliver_outbox

            while not stop.is_set():
                report = deliver_outbox(limit=500)
                delivered[name] += report.delivered
                if not report.claimed:
                    time.sleep(0.2)
            close_old_connections()

        threads = [
            threading.Thread(target=worker, args=(f"w{i}",), daemon=True)
            for i in range(options.workers)
        ]
        for t in threads:
            t.start()
        started = time.perf_counter()
        changes = drive(options.dossiers, offset=base_n)
        officer_s = time.perf_counter() - started
        pending = OutboxMessage.objects.filter(topic="portal.step", status="pending")
        while pending.exists():
            time.sleep(0.5)
        total_s = time.perf_counter() - started
        stop.set()
        for t in threads:
            t.join()
        portal.faults(0.0, 0.0)
        return report(
            options,
            portal,
            changes=changes,
            officer_s=officer_s,
            total_s=total_s,
            base_rate=base_rate,
        )
    finally:
        portal.stop()


#: What ``exchange_only`` leaves out, for the rest of the (child) process.
_LEFT_OUT = ExitStack()


def exchange_only() -> None:
    """Leave out what is not the exchange (see the module docstring)."""
    from motcua.core import events
    from motcua.dossiers.actions import processing

    setattr(processing, "issue_signed_result", lambda dossier: None)  # noqa: B010 - a stand-in
    _LEFT_OUT.enter_context(events.reactions_off())
    say("# left out: signed results (PDF and signature), indicator rollups")


def drive(n: int, *, offset: int) -> int:
    """Officers work: n dossiers through receipt, appraisal, (supplement), decision, return or
    withdrawal, through the real actions. Returns the number of state changes."""
    from motcua.accounts.models import User
    from motcua.agencies.models import Unit, UnitKind
    from motcua.catalog.models import Procedure
    from motcua.core.models import OutboxMessage
    from motcua.dossiers import actions as a

    officer = User.objects.get(username="motcua.caikhe")
    specialist = User.objects.get(username="chuyenvien.ninhkieu")
    leader = User.objects.get(username="lanhdao.ninhkieu")
    counter = Unit.objects.get(commune__name="Phường Cái Khế", kind=UnitKind.COMMUNE_PSC)
    competent = Unit.objects.get(commune__name="Phường Ninh Kiều", kind=UnitKind.COMMUNE_PC)
    version = Procedure.objects.get(province_id=92, code_national="1.001193").current
    assert version is not None
    parts = [a.ComponentInput(c.pk, pages=1) for c in version.components.filter(is_note=False)]
    before = OutboxMessage.objects.filter(topic="portal.step").count()
    for i in range(offset + 1, offset + n + 1):
        d = a.do_create_dossier(
            a.Filing(
                procedure_code="1.001193",
                receiving_unit=counter,
                competent_unit=competent,
                channel="counter",
                components=tuple(parts),
                applicant=a.Applicant(
                    kind="person", name=f"Người nộp {i}", id_number="092190000001"
                ),
            ),
            acting_user=officer,
        )
        a.do_receive_dossier(d, acting_user=officer, at_unit=counter)
        if i % 10 == 0:
            a.do_withdraw_dossier(d, acting_user=officer, at_unit=counter, reason="Rút")
            continue
        a.do_forward_dossier(d, acting_user=officer, at_unit=counter)
        if i % 7 == 0:
            a.do_request_supplement(
                d, acting_user=specialist, at_unit=competent, items=[("Tờ khai", "Thiếu chữ ký")]
            )
            a.do_provide_supplement(d, acting_user=officer, at_unit=counter, components=[])
        a.do_submit_for_approval(d, acting_user=specialist, proposal="approved", opinion="Đủ")
        a.do_approve_dossier(d, acting_user=leader)
        a.do_return_result(d, acting_user=officer, at_unit=counter)
    return OutboxMessage.objects.filter(topic="portal.step").count() - before


def report(
    options: argparse.Namespace,
    portal: Portal,
    *,
    changes: int,
    officer_s: float,
    total_s: float,
    base_rate: float,
) -> int:
    from django.db.models import DurationField, ExpressionWrapper, F, Max

    from motcua.core.models import OutboxMessage
    from motcua.exchange.portal import reported_status

    rows = OutboxMessage.objects.filter(topic="portal.step")
    want: dict[str, Counter[int]] = {}
    for code, payload in rows.values_list("key", "payload"):
        want.setdefault(code, Counter())[reported_status(int(payload["status"]))] += 1
    received = portal.counts()
    lost = duplicated = 0
    for code in want.keys() | received.keys():
        counts = want.get(code, Counter())
        got_by = received.get(code, {"status_counts": {}, "step_counts": {}})
        statuses = set(counts) | {int(s) for s in got_by["status_counts"]}
        statuses |= {int(s) for s in got_by["step_counts"]}
        for status in statuses:
            n = counts.get(status, 0)
            for bucket in ("status_counts", "step_counts"):
                got = got_by[bucket].get(str(status), 0)
                lost += max(0, n - got)
                duplicated += max(0, got - n)
    lag = rows.annotate(
        lag=ExpressionWrapper(F("delivered_at") - F("created_at"), output_field=DurationField())
    ).aggregate(m=Max("lag"))["m"]
    worst = lag.total_seconds() if lag else 0.0
    stats = portal.http.get("/_sim/stats").json()
    say(f"# portal faults injected: {stats['faults']} over {stats['requests']} requests")
    say(
        f"# officers: {changes / officer_s:.0f} state changes/s with the portal failing; "
        f"baseline (portal healthy, same run): {base_rate:.0f}/s"
    )
    say(
        f"# delivery: {len(want)} dossiers, {changes} changes synced in {total_s:.1f} s "
        f"({changes / total_s:.0f}/s, {options.workers} workers)"
    )
    say(
        f"dossiers={options.dossiers} transitions={changes} lost={lost} "
        f"duplicated={duplicated} worst_sync_lag_s={worst:.1f}"
    )
    return 1 if lost or duplicated else 0
