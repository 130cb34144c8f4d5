"""``motcua bench pages``: the CPU each page of the Monday-morning mix costs, independent of how
busy the machine is (issue #12 item 9).

    motcua bench pages [--requests R] [--search-dossiers N] [--pages a,b] [--profile PAGE]
                       [--no-seed] [--against DIR]

``motcua bench load`` measures latency under load; on two shared cores its read p95 is mostly
queueing, so it cannot tell which page costs what. This benchmark serves every read page of the
locust mix (bench/locustfile.py) in one process through the whole Django stack (Django test
client: every middleware, the session, the templates; no HTTP, no gunicorn), as the same personas
(anonymous citizen, the counter officer ``motcua.caikhe``, the board viewer ``ioc.tinh``), on a
seeded PostgreSQL database (bench/seed.py: ``--search-dossiers`` history dossiers, as ``bench
load``), and reports per page: CPU of this process (``time.process_time``: Python, the
templates, psycopg; not PostgreSQL's own CPU) p50/p95, wall time p50/p95 (CPU plus waiting for
PostgreSQL, plus whatever else the machine runs), and the number of SQL statements of one
request. The baseline in the same run is ``/healthz`` (the middleware stack and nothing else).

Pages are measured round-robin (one request of each page per round) so that a change in the
machine's load touches every page alike. ``--profile PAGE`` adds a cProfile (CPU time) of R
requests of that page.

``--against DIR`` measures a second checkout (e.g. main in a temporary worktree) against the same
database right after this one, with this benchmark module (copied there if missing) and the same
options, and prints both and the ratio per page: before/after in the same run. The other checkout
must not need migrations this one lacks.

Last line: ``baseline_cpu_ms=<n> <page>_cpu_ms=<n> … total_cpu_ms=<n> queries=<n>`` (p50 per
page; total = the mean CPU of a request of the mix, each page weighted by its share of the
requests; queries = the statements of one request of each page of the mix, summed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    machine,
    main_in_child,
    note,
    percentile,
    say,
    table,
)

OFFICER = "motcua.caikhe"  # counter officer of commune B's centre (bench/locustfile.py)
VIEWER = "ioc.tinh"  # the operations-centre viewer
# Requests per second of each page in the locust mix at 20 users (11 citizens: 3/2/2/2 of 9;
# 8 officers: 2/2/2 of 7 with a receipt; 1 board viewer): the weights of the total.
MIX = {
    "portal home": 11 * 3 / 9,
    "procedure list": 11 * 2 / 9,
    "procedure page": 11 * 2 / 9,
    "tracking form": 11 * 2 / 9,
    "tracking lookup": 11 * 2 / 9,  # the same task posts the lookup after the form
    "desk home": 8 * 2 / 7,
    "desk search": 8 * 2 / 7,
    "dossier page": 8 * 2 / 7,
    "board": 1.0,
}
OUT_ENV = "MOTCUA_BENCH_PAGES_OUT"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench pages", description=__doc__)
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per page")
    parser.add_argument(
        "--search-dossiers",
        type=int,
        default=100_000,
        help="history dossiers (bench/seed.py), as bench load; 0: the plain seed only",
    )
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--profile", default="", help="a page to profile (cProfile, CPU time)")
    parser.add_argument(
        "--no-seed", action="store_true", help="measure the database as it is (DATABASE_URL)"
    )
    parser.add_argument(
        "--against", default="", help="another checkout to measure on the same database after"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    return main_in_child("pages", argv, parse, lambda options: run(options, argv))


# --------------------------------------------------------------------------- pages


def pages() -> list[tuple[str, str, str]]:
    """(page, persona, path) — the read pages of bench/locustfile.py; its random choices are made
    round-robin here from the same kind of samples (:func:`fill`)."""
    return [
        ("baseline /healthz", "anonymous", "/healthz"),
        ("portal home", "anonymous", "/"),
        ("procedure list", "anonymous", "/thu-tuc/"),
        ("procedure page", "anonymous", "/thu-tuc/1.001193/"),
        ("tracking form", "anonymous", "/tra-cuu/?ma={tracked}"),
        ("tracking lookup", "anonymous", "POST /tra-cuu/ ma={tracked}&so={digits}"),
        ("desk home", OFFICER, "/desk/"),
        ("desk search", OFFICER, "/desk/dossiers/?q={name}"),
        ("dossier page", OFFICER, "/desk/dossiers/{mine}/"),
        ("board", VIEWER, "/ioc/"),
        # Not in the mix: the board when its kept figures have expired (decision 0028), i.e.
        # once per MOTCUA_BOARD_CACHE_SECONDS per process and period (the whole board before).
        ("board, assembled", VIEWER, "/ioc/"),
    ]


@dataclass
class Samples:
    """What the locust file chooses from at random, chosen round-robin here."""

    codes: list[str]  # dossier codes
    names: list[str]  # two last words of applicants' names (desk search)
    mine: list[str]  # codes of the counter officer's centre
    tracked: list[tuple[str, str]]  # (code, last four digits of the applicant's phone)


def samples() -> Samples:
    import uuid

    from bench.receipt import find_setup
    from motcua.dossiers.models import Dossier

    rows = list(
        Dossier.objects.exclude(code=None)
        .order_by("id")
        .values_list("code", "applicant_name", "applicant_phone")[
            :: max(1, Dossier.objects.count() // 50)
        ][:50]
    )
    codes = [str(r[0]) for r in rows] or ["X-000000-0001"]
    names = [" ".join(r[1].split()[-2:]) for r in rows] or ["nguyen"]
    tracked = [(str(r[0]), r[2][-4:]) for r in rows if len(r[2] or "") >= 4]
    setup = find_setup()
    mine = [
        str(c)
        for c in Dossier.objects.filter(receiving_unit_id=uuid.UUID(setup.receiving_unit))
        .exclude(code=None)
        .order_by("id")
        .values_list("code", flat=True)[:50]
    ]
    return Samples(codes, names, mine, tracked or [(codes[0], "0000")])


def clients() -> dict[str, Any]:
    from django.test import Client

    from motcua.accounts.models import User

    out: dict[str, Any] = {"anonymous": Client()}
    for username in (OFFICER, VIEWER):
        client = Client()
        client.force_login(User.objects.get(username=username))
        out[username] = client
    return out


def fill(path: str, i: int, chosen: Samples) -> str:
    from urllib.parse import quote

    code, digits = chosen.tracked[i % len(chosen.tracked)]
    return path.format(
        code=quote(chosen.codes[i % len(chosen.codes)]),
        name=quote(chosen.names[i % len(chosen.names)]),
        mine=quote(chosen.mine[i % len(chosen.mine)] if chosen.mine else chosen.codes[0]),
        tracked=quote(code),
        digits=quote(digits),
    )


def send(client: Any, target: str) -> Any:
    """GET ``target``, or for ``"POST <path> <form>"`` post the form (url-encoded pairs) to the
    path, as a browser submits it (the test client does not check CSRF)."""
    if not target.startswith("POST "):
        return client.get(target)
    from urllib.parse import parse_qsl

    _, path, form = target.split(" ", 2)
    return client.post(path, dict(parse_qsl(form)))


def run(options: argparse.Namespace, argv: list[str]) -> int:
    from django.db import connection

    if not options.no_seed:
        from bench.load import seed

        seed(options)  # the same data as `bench load`: --search-dossiers history dossiers
    chosen_samples = samples()
    chosen = pages()
    if options.pages:
        wanted = {w.strip() for w in options.pages.split(",")}
        chosen = [p for p in chosen if p[0] in wanted or p[0].startswith("baseline")]
    say(f"# machine: {machine()}")
    say(
        f"# checkout: {ROOT} ({revision()}); PostgreSQL "
        f"{connection.cursor().connection.info.server_version}; {options.requests} requests per "
        f"page after {options.warmup} unmeasured, round-robin, in one process (Django test client)"
    )
    results = measure(chosen, options, chosen_samples)
    say(f"## CPU per page, ms (this checkout; load after: {machine().split('; ')[-1]})")
    say(table(rows(results), HEADER))
    if options.profile:
        profile(chosen, options, chosen_samples)
    if os.environ.get(OUT_ENV):
        Path(os.environ[OUT_ENV]).write_text(json.dumps(results), encoding="utf-8")
    before = against(options, argv) if options.against else None
    if before is not None:
        say(f"## before ({options.against}) vs this checkout, CPU p50 ms, same database and run")
        compared = []
        for name, now in results.items():
            old = before.get(name)
            if old is None:
                continue
            compared.append(
                [name, f"{old['cpu50']:.1f}", f"{now['cpu50']:.1f}",
                 f"{now['cpu50'] / old['cpu50']:.2f}" if old["cpu50"] else "-",
                 old["queries"], now["queries"]]
            )  # fmt: skip
        say(table(compared, ["page", "before", "after", "after/before", "SQL before", "after"]))
    say(last_line(results))
    return 0


HEADER = ["page", "n", "cpu p50", "cpu p95", "wall p50", "wall p95", "SQL", "cpu / baseline"]


def measure(
    chosen: list[tuple[str, str, str]],
    options: argparse.Namespace,
    picked: Samples,
) -> dict[str, dict[str, float]]:
    from django.db import connection

    by_persona = clients()
    counted: dict[str, int] = {}
    statuses: dict[str, int] = {}

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counter.n += 1  # type: ignore[attr-defined]
        return execute(sql, params, many, context)

    for name, persona, path in chosen:  # warm-up, then one request counted
        for i in range(options.warmup):
            send(by_persona[persona], fill(path, i, picked))
        counter.n = 0  # type: ignore[attr-defined]
        with connection.execute_wrapper(counter), settings_for(name):
            response = send(by_persona[persona], fill(path, 0, picked))
        counted[name] = counter.n  # type: ignore[attr-defined]
        statuses[name] = response.status_code
        if response.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {response.status_code} for {path}")
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in chosen}
    wall: dict[str, list[float]] = {name: [] for name, _, _ in chosen}
    for i in range(options.requests):
        for name, persona, path in chosen:
            url = fill(path, i, picked)
            c0, w0 = time.process_time(), time.perf_counter()
            with settings_for(name):
                send(by_persona[persona], url)
            cpu[name].append((time.process_time() - c0) * 1000)
            wall[name].append((time.perf_counter() - w0) * 1000)
    results = {}
    for name, _, _ in chosen:
        c, w = sorted(cpu[name]), sorted(wall[name])
        results[name] = {
            "n": len(c),
            "cpu50": percentile(c, 0.50),
            "cpu95": percentile(c, 0.95),
            "wall50": percentile(w, 0.50),
            "wall95": percentile(w, 0.95),
            "queries": counted[name],
        }
    return results


def settings_for(name: str) -> Any:
    """The board assembled for every request (``MOTCUA_BOARD_CACHE_SECONDS=0``) for the page
    "board, assembled"; nothing for the others."""
    from contextlib import nullcontext

    from django.test import override_settings

    if name == "board, assembled":
        return override_settings(MOTCUA_BOARD_CACHE_SECONDS=0)
    return nullcontext()


def rows(results: dict[str, dict[str, float]]) -> list[list[Any]]:
    base = next((v["cpu50"] for k, v in results.items() if k.startswith("baseline")), 0.0)
    return [
        [name, int(r["n"]), f"{r['cpu50']:.1f}", f"{r['cpu95']:.1f}", f"{r['wall50']:.1f}",
         f"{r['wall95']:.1f}", int(r["queries"]),
         f"{r['cpu50'] / base:.1f}" if base else "-"]
        for name, r in results.items()
    ]  # fmt: skip


def last_line(results: dict[str, dict[str, float]]) -> str:
    parts = []
    total = 0.0
    queries = 0
    for name, r in results.items():
        key = "baseline" if name.startswith("baseline") else re.sub(r"\W+", "_", name)
        parts.append(f"{key}_cpu_ms={r['cpu50']:.1f}")
        if name in MIX:
            total += r["cpu50"] * MIX[name] / sum(MIX.values())
            queries += int(r["queries"])
    return " ".join([*parts, f"total_cpu_ms={total:.1f}", f"queries={queries}"])


def profile(
    chosen: list[tuple[str, str, str]],
    options: argparse.Namespace,
    picked: Samples,
) -> None:
    import cProfile
    import pstats

    by_persona = clients()
    found = [p for p in chosen if p[0] == options.profile]
    if not found:
        say(f"# --profile: no page {options.profile!r}")
        return
    name, persona, path = found[0]
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    with settings_for(name):
        for i in range(options.requests):
            send(by_persona[persona], fill(path, i, picked))
    profiler.disable()
    say(f"## profile of {name}: {options.requests} requests, CPU time")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(r"/motcua/", 40)
    stats.sort_stats("tottime").print_stats(30)


def revision() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    return found.stdout.strip() or "unknown revision"


def against(options: argparse.Namespace, argv: list[str]) -> dict[str, dict[str, float]] | None:
    """The same measurement in another checkout, on this database, right after this one."""
    other = Path(options.against).resolve()
    target = other / "bench" / "pages.py"
    if not target.exists():
        shutil.copyfile(Path(__file__), target)
        note(f"# copied bench/pages.py into {other}")
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"motcua-pages-{os.getpid()}.json"
    args = []
    skip = False
    for arg in argv:  # the same options, without --against, --profile and the seed
        if skip:
            skip = False
            continue
        if arg in {"--against", "--profile"}:
            skip = True
            continue
        if arg.startswith(("--against=", "--profile=")) or arg == "--no-seed":
            continue
        args.append(arg)
    env = dict(os.environ)
    env[OUT_ENV] = str(out)
    say(f"## the other checkout: {other}")
    child = subprocess.run(
        [sys.executable, "-m", "bench.pages", *args, "--no-seed"],
        cwd=other, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    for line in child.stdout.splitlines():
        if line.strip():
            say(f"#   {line}")
    if child.returncode != 0 or not out.exists():
        note(child.stderr[-3000:])
        return None
    try:
        return dict(json.loads(out.read_text(encoding="utf-8")))
    finally:
        out.unlink(missing_ok=True)


if __name__ == "__main__":  # ``--against`` runs the other checkout this way (its ``motcua bench``
    # may not know this benchmark yet)
    from bench.seed import entry

    entry()
    sys.exit(main(sys.argv[1:]))
