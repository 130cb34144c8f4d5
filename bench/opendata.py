"""Open data (issue #17): ``package_search`` and ``datastore_search`` p95 through the CKAN view,
next to a naive way of answering the same requests measured in the same run.

    motcua bench opendata [--dossiers N] [--months M] [--requests R] [--naive-runs K]

The statistics come from the insights rollups (counters per unit, month and metric), so their
size follows units x months, not the number of dossiers: ``--dossiers`` sets the totals the
counters add up to (10 M by default: a province's five years), ``--months`` the history (60).
The counters are written directly (the dossier table is not seeded: ``motcua bench seed`` takes
20 minutes and 23 GiB), then the publication job runs once and its time is printed.

* package_search: the published store (``ResourceVersion``) versus building every dataset from
  its sources on each request (publishing on the fly, what a site without a store does).
* datastore_search: SQL over the stored rows (filters, q, sort, offset in the database) versus
  loading every row of the resource and filtering, sorting and slicing in Python.

Uses ``DATABASE_URL`` if set, else a throw-away PostgreSQL database. The last line is
``dossiers=<n> rows=<n> package_search_p95_ms=<n> package_naive_p95_ms=<n>
datastore_search_p95_ms=<n> datastore_naive_p95_ms=<n>``.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bench.common import is_child, machine, migrate_and_seed, percentile, run_in_child, say, table


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench opendata", description=__doc__)
    parser.add_argument(
        "--dossiers", type=int, default=10_000_000, help="dossiers behind the counters"
    )
    parser.add_argument("--months", type=int, default=60, help="months of history")
    parser.add_argument("--requests", type=int, default=40, help="measured requests per query")
    parser.add_argument("--naive-runs", type=int, default=3, help="runs of each naive query")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if not is_child():
        return run_in_child(["opendata", *argv], "motcua_bench_opendata")
    return run(parse(argv))


def timed(fn: Callable[[], Any], runs: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return sorted(out)


def seed_counters(dossiers: int, months: int, today: date) -> int:
    """Rollup counters for every unit of the province over ``months`` months adding up to
    ``dossiers`` received dossiers (replacing what a previous run wrote)."""
    from django.conf import settings
    from django.db import transaction

    from motcua.agencies.models import Unit
    from motcua.insights.models import Rollup

    rng = random.Random(17)
    units = list(Unit.objects.filter(province_id=settings.MOTCUA_PROVINCE_CODE))
    first = today.replace(day=1)
    month_list = []
    for _ in range(months):
        month_list.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    weights = [rng.uniform(0.05, 1.0) ** 2 for _ in units]
    scale = dossiers / (sum(weights) * months)
    Rollup.objects.all().delete()
    batch: list[Rollup] = []
    written = 0
    for unit, weight in zip(units, weights, strict=True):
        for month in month_list:
            received = max(0, round(scale * weight * rng.uniform(0.7, 1.3)))
            if not received:
                continue
            online = round(received * rng.uniform(0.3, 0.8))
            late = round(received * rng.uniform(0.0, 0.05))
            early = round(received * rng.uniform(0.2, 0.5))
            on_time = max(0, received - late - early - round(received * 0.02))
            values = {
                "received": received,
                "ch_online": online,
                "ch_counter": received - online,
                "early": early,
                "on_time": on_time,
                "late": late,
                "withdrawn": round(received * 0.01),
                "stopped": round(received * 0.01),
                "resolved": early + on_time + late,
                "reused": round(received * rng.uniform(0.2, 0.7)),
                "digitized": round(received * rng.uniform(0.5, 0.9)),
                "rated": round(received * 0.1),
                "unsatisfied": round(received * 0.002),
            }
            batch += [Rollup(unit=unit, month=month, metric=m, value=v) for m, v in values.items()]
            if len(batch) >= 20_000:
                with transaction.atomic():
                    Rollup.objects.bulk_create(batch)
                written += len(batch)
                batch = []
    with transaction.atomic():
        Rollup.objects.bulk_create(batch)
    return written + len(batch)


def run(options: argparse.Namespace) -> int:  # noqa: PLR0915 - one linear script
    from django.conf import settings
    from django.test import Client

    from motcua.core.clock import local_today
    from motcua.opendata import publish
    from motcua.opendata.ckan import search_packages
    from motcua.opendata.datasets import DATASETS, Context
    from motcua.opendata.models import DatastoreRow, ResourceVersion
    from motcua.opendata.selectors import resource_id

    say(f"# machine: {machine()}")
    migrate_and_seed(personas=False)
    today = local_today()
    started = time.perf_counter()
    counters = seed_counters(options.dossiers, options.months, today)
    say(
        f"# {counters:,} rollup counters for {options.dossiers:,} dossiers over "
        f"{options.months} months in {time.perf_counter() - started:.1f} s"
    )
    settings.MOTCUA_OPENDATA_MONTHS = options.months
    ctx = Context.default(today)
    started = time.perf_counter()
    first = publish.run(ctx=ctx)
    publish_s = time.perf_counter() - started
    started = time.perf_counter()
    again = publish.run(ctx=ctx)
    unchanged_s = time.perf_counter() - started
    say(
        f"# publication: {first.published} resources written in {publish_s:.1f} s; "
        f"again with nothing changed: {again.unchanged} unchanged in {unchanged_s:.1f} s"
    )
    version = ResourceVersion.objects.get(
        dataset="thong-ke-ho-so", resource="theo-don-vi-thang", current=True
    )
    rows = version.row_count
    say(f"# datastore resource thong-ke-ho-so/theo-don-vi-thang: {rows:,} rows")
    client = Client()
    api = "/opendata/api/3/action/"

    def call(name: str, params: dict[str, Any]) -> dict[str, Any]:
        response = client.post(f"{api}{name}", json.dumps(params), content_type="application/json")
        body: dict[str, Any] = response.json()
        assert body["success"], body
        return body["result"]  # type: ignore[no-any-return]

    rid = resource_id("thong-ke-ho-so", "theo-don-vi-thang", "csv")
    some_unit = DatastoreRow.objects.filter(version=version).values_list("data", flat=True)[0][
        "unit_code"
    ]
    package_queries: list[dict[str, Any]] = [
        {"q": "thong ke", "rows": 10},
        {"fq": "res_format:XLSX", "sort": "name asc", "rows": 3, "start": 3},
        {"q": "ho so", "fq": 'tags:"thống kê"', "sort": "metadata_modified desc"},
    ]
    datastore_queries: list[dict[str, Any]] = [
        {"resource_id": rid, "filters": {"unit_code": some_unit}, "sort": "month desc"},
        {"resource_id": rid, "q": "ninh kieu", "limit": 50},
        {"resource_id": rid, "sort": "received desc", "offset": rows // 2, "limit": 100},
        {"resource_id": rid, "fields": ["month", "unit", "received"], "limit": 1000},
    ]

    def naive_packages(params: dict[str, Any]) -> None:
        """Publishing on the fly: every dataset built from its sources for each request."""
        for dataset in DATASETS:
            for t in dataset.tables:
                publish.content_hash(t, list(t.build(ctx)))
        search_packages([], params)

    def naive_datastore(params: dict[str, Any]) -> list[dict[str, Any]]:
        data = list(
            DatastoreRow.objects.filter(version=version)
            .order_by("n")
            .values_list("data", flat=True)
        )
        for name, value in (params.get("filters") or {}).items():
            data = [r for r in data if r.get(name) == value]
        if params.get("q"):
            from motcua.core.text import fold

            tokens = fold(params["q"]).split()
            data = [
                r for r in data if all(t in fold(" ".join(map(str, r.values()))) for t in tokens)
            ]
        if params.get("sort"):
            name, _, direction = params["sort"].partition(" ")
            present = [r for r in data if r.get(name) is not None]
            present.sort(key=lambda r: r[name], reverse=direction == "desc")
            data = present + [r for r in data if r.get(name) is None]
        offset, limit = params.get("offset", 0), params.get("limit", 100)
        return data[offset : offset + limit]

    results: list[list[Any]] = []
    pkg_all: list[float] = []
    pkg_naive_all: list[float] = []
    for params in package_queries:
        fast = timed(functools.partial(call, "package_search", params), options.requests)
        slow = timed(functools.partial(naive_packages, params), options.naive_runs, warmup=0)
        pkg_all += fast
        pkg_naive_all += slow
        results.append(
            ["package_search " + json.dumps(params, ensure_ascii=False)[:48], *_fig(fast, slow)]
        )
    ds_all: list[float] = []
    ds_naive_all: list[float] = []
    for params in datastore_queries:
        got = call("datastore_search", params)
        expected = naive_datastore(params)
        if "fields" not in params:  # the two ways return the same rows in the same order
            mine = [(r["month"], r["unit_code"]) for r in got["records"]]
            theirs = [(r["month"], r["unit_code"]) for r in expected]
            assert mine == theirs, params
        fast = timed(functools.partial(call, "datastore_search", params), options.requests)
        slow = timed(functools.partial(naive_datastore, params), options.naive_runs)
        ds_all += fast
        ds_naive_all += slow
        label = {k: v for k, v in params.items() if k != "resource_id"}
        results.append(
            ["datastore_search " + json.dumps(label, ensure_ascii=False)[:48], *_fig(fast, slow)]
        )
    say(table(results, ["query", "p50 ms", "p95 ms", "naive p50 ms", "naive p95 ms", "ratio"]))
    pkg_all.sort()
    pkg_naive_all.sort()
    ds_all.sort()
    ds_naive_all.sort()
    say(
        f"dossiers={options.dossiers} rows={rows} "
        f"package_search_p95_ms={percentile(pkg_all, 0.95):.1f} "
        f"package_naive_p95_ms={percentile(pkg_naive_all, 0.95):.1f} "
        f"datastore_search_p95_ms={percentile(ds_all, 0.95):.1f} "
        f"datastore_naive_p95_ms={percentile(ds_naive_all, 0.95):.1f}"
    )
    return 0


def _fig(fast: list[float], slow: list[float]) -> list[str]:
    p95, n95 = percentile(fast, 0.95), percentile(slow, 0.95)
    return [
        f"{percentile(fast, 0.5):.1f}",
        f"{p95:.1f}",
        f"{percentile(slow, 0.5):.1f}",
        f"{n95:.1f}",
        f"{n95 / p95:.1f}x" if p95 else "-",
    ]


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
