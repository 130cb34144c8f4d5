"""The operations-centre board and the ranking of all communes for a quarter, read from the
rollups, next to the naive query over the dossier table measured in the same run; and the cost
of keeping the rollups current (receipts per second with and without rollup maintenance).

    motcua bench seed --dossiers N      # once: the history (kept in the database)
    motcua bench board [--requests R] [--naive-runs K] [--receipts M]

Runs on the database ``bench seed`` filled (``DATABASE_URL``, else ``motcua_board``). The last
line is ``dossiers=<n> board_p95_ms=<n> naive_p95_ms=<n> ratio=<r>`` (ratio = naive / board).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from typing import Any

from bench.common import PROVINCE, is_child, machine, percentile, say, table
from bench.seed import ensure_database, spawn, target_url

OFFICER = "motcua.caikhe"  # counter officer of commune B's centre
VIEWER = "ioc.tinh"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench board", description=__doc__)
    parser.add_argument("--requests", type=int, default=30, help="measured board requests")
    parser.add_argument("--naive-runs", type=int, default=5, help="runs of the naive query")
    parser.add_argument("--receipts", type=int, default=200, help="receipts per mode")
    parser.add_argument("--period", default="", help="quarter, e.g. 2026-Q3 (default: last)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse(argv)
    if not is_child():
        url = target_url()
        ensure_database(url)
        return spawn("bench.board", argv, url)
    return run(options)


def timed(fn: Callable[[], Any], runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return sorted(out)


NAIVE_SQL = """
SELECT u.commune_id,
       count(*) AS received,
       count(*) FILTER (
         WHERE d.state IN ('result_ready', 'returned')
           AND (d.result_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
               <= (d.due_at_original AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
       )
       + count(*) FILTER (
         WHERE d.state IN ('withdrawn', 'stopped') AND EXISTS (
           SELECT 1 FROM dossiers_dossierevent e
           WHERE e.dossier_id = d.id AND e.to_state = d.state
             AND (e.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                 <= (d.due_at_original AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
       )
       + count(*) FILTER (
         WHERE d.state NOT IN ('result_ready', 'returned', 'withdrawn', 'stopped')
           AND (
             (d.state IN ('awaiting_supplement', 'awaiting_payment')
              AND d.clock_paused_at IS NOT NULL
              AND (d.clock_paused_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                  <= (d.due_at_original AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
             OR (d.due_at_original AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= %(evaluation)s)
       ) AS in_time,
       count(*) FILTER (WHERE d.channel = 'online') AS online,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM dossiers_dossiercomponent c
         WHERE c.dossier_id = d.id AND c.digitization > 0)) AS digitized
FROM dossiers_dossier d
JOIN agencies_unit u ON u.id = d.competent_unit_id
WHERE d.received_on BETWEEN %(start)s AND %(end)s
  AND d.state NOT IN ('submitted', 'refused_at_receipt')
  AND u.commune_id IS NOT NULL AND u.kind IN ('ubnd_xa', 'tt_phvhcc_xa', 'cong_an_xa')
GROUP BY u.commune_id
"""


def naive_ranking(start: date, end: date, evaluation: date) -> dict[int, tuple[int, int]]:
    """The obvious way: the same figures per commune straight from the dossier table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(NAIVE_SQL, {"start": start, "end": end, "evaluation": evaluation})
        rows = cursor.fetchall()
    return {row[0]: (int(row[1]), int(row[2])) for row in rows}


@contextmanager
def rollups(enabled: bool) -> Iterator[None]:
    """Receipts with or without rollup maintenance (the insights reaction to state events)."""
    from motcua.core import events

    with nullcontext() if enabled else events.reactions_off("dossier:state:"):
        yield


def receipts(count: int, enabled: bool) -> tuple[float, list[Any]]:
    """Create ``count`` boundary-free birth registrations at commune B's counter (not timed),
    then receive them (timed), one transaction each, as at the counter."""
    from motcua.accounts.models import User
    from motcua.agencies.models import Unit, UnitKind
    from motcua.dossiers.actions import Applicant, Filing, do_create_dossier, do_receive_dossier
    from motcua.dossiers.tests.factories import BIRTH, CITIZEN_ID, all_components

    officer = User.objects.get(username=OFFICER)
    psc_b = Unit.objects.get(commune__name="Phường Cái Khế", kind=UnitKind.COMMUNE_PSC)
    pc_a = Unit.objects.get(commune__name="Phường Ninh Kiều", kind=UnitKind.COMMUNE_PC)
    components = all_components(BIRTH, PROVINCE)
    made = [
        do_create_dossier(
            Filing(
                procedure_code=BIRTH,
                receiving_unit=psc_b,
                competent_unit=pc_a,
                channel="counter",
                components=tuple(components),
                applicant=Applicant(kind="person", name="Nguyễn Văn Đo", id_number=CITIZEN_ID),
            ),
            acting_user=officer,
        )
        for _ in range(count)
    ]
    with rollups(enabled):
        started = time.perf_counter()
        for dossier in made:
            do_receive_dossier(dossier, acting_user=officer, at_unit=psc_b)
        seconds = time.perf_counter() - started
    return count / seconds, made


def catch_up(dossiers: list[Any]) -> None:
    """The receipts made without maintenance are applied afterwards, so the seeded database
    stays consistent for the next run."""
    from django.db import transaction

    from motcua.insights.rollups import apply_event

    for dossier in dossiers:
        dossier.refresh_from_db()
        with transaction.atomic():
            apply_event(dossier, dossier.events.order_by("-seq").first())


def run(options: argparse.Namespace) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.core.clock import now, to_local
    from motcua.dossiers.models import Dossier
    from motcua.insights import selectors
    from motcua.insights.periods import Kind, last_complete, parse

    say(f"# machine: {machine()}; PostgreSQL {connection.cursor().connection.info.server_version}")
    n = Dossier.objects.count()
    if n == 0:
        say("# no dossiers: run `motcua bench seed --dossiers N` first")
        return 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()
    today = to_local(now()).date()
    period = parse(options.period) if options.period else last_complete(Kind.QUARTER, today)
    evaluation = period.evaluation_day(today)
    say(
        f"# {n:,} dossiers, database {(size[0] if size else 0) / 2**30:.2f} GiB; "
        f"period {period.label_vi} ({period.key}), evaluation day {evaluation}"
    )

    client = Client()
    client.force_login(User.objects.get(username=VIEWER))
    cache.clear()
    first = time.perf_counter()
    response = client.get("/ioc/", {"ky": period.key})
    cold_ms = (time.perf_counter() - first) * 1000
    if response.status_code != 200:
        say(f"# board answered {response.status_code}")
        return 1
    board = timed(lambda: client.get("/ioc/", {"ky": period.key}), options.requests)
    communes = selectors.commune_scopes(PROVINCE)
    ranking = timed(lambda: selectors.ranking(communes, period, today, PROVINCE), options.requests)
    naive = timed(
        lambda: naive_ranking(period.start, period.end, evaluation), options.naive_runs, warmup=1
    )
    # Same numbers both ways (received and on-time numerator of every commune).
    expected = naive_ranking(period.start, period.end, evaluation)
    got = {
        s.scope.commune_code: (s.received, s.figures["on_time"].numerator or 0)
        for s in selectors.ranking(communes, period, today, PROVINCE)
        if s.received
    }
    agree = got == expected
    say(
        table(
            [
                [
                    "board page GET /ioc/ (overview, 103 communes + departments ranked)",
                    len(board),
                    f"{percentile(board, 0.5):.1f}",
                    f"{percentile(board, 0.95):.1f}",
                ],
                [
                    "ranking of 103 communes from the rollups",
                    len(ranking),
                    f"{percentile(ranking, 0.5):.1f}",
                    f"{percentile(ranking, 0.95):.1f}",
                ],
                [
                    "naive ranking over dossiers_dossier",
                    len(naive),
                    f"{percentile(naive, 0.5):.1f}",
                    f"{percentile(naive, 0.95):.1f}",
                ],
            ],
            ["query", "runs", "p50_ms", "p95_ms"],
        )
    )
    say(f"# first board request (cold catalogue cache): {cold_ms:.0f} ms")
    say(f"# rollups and the naive query agree on every commune's figures: {agree}")
    # Every indicator of the registry, as the board shows it: numerator/denominator and points.
    province = selectors.indicators(selectors.province_scope(PROVINCE), period, today, PROVINCE)
    say(
        "# figures ("
        + province.version
        + "): "
        + " ".join(
            f"{code}={f.numerator}/{f.denominator}:{f.points if f.points is not None else '-'}"
            for code, f in province.figures.items()
        )
    )
    ranked = [s for s in selectors.ranking(communes, period, today, PROVINCE) if s.rank]
    say(
        f"# province total {province.score.total} of {province.score.possible}; "
        f"{len(ranked)} communes ranked, {len(communes) - len(ranked)} without dossiers apart"
    )

    with_rate, _ = receipts(options.receipts, enabled=True)
    without_rate, unmaintained = receipts(options.receipts, enabled=False)
    catch_up(unmaintained)
    overhead = (without_rate / with_rate - 1) * 100 if with_rate else 0.0
    say(
        f"# receipts (do_receive_dossier, one transaction each, {options.receipts} per mode): "
        f"{with_rate:.1f}/s with rollup maintenance, {without_rate:.1f}/s without "
        f"(+{overhead:.0f}% time per receipt)"
    )
    board_p95 = percentile(board, 0.95)
    naive_p95 = percentile(naive, 0.95)
    ratio = naive_p95 / board_p95 if board_p95 else 0.0
    say(f"dossiers={n} board_p95_ms={board_p95:.1f} naive_p95_ms={naive_p95:.1f} ratio={ratio:.1f}")
    return 0 if agree else 1


if __name__ == "__main__":
    from bench.seed import entry

    entry()
    sys.exit(main(sys.argv[1:]))
