"""``motcua bench search``: the desk search and the tracking lookup at scale, on PostgreSQL, next
to the same query without the name-words index and a naive query, all in the same run (issue #12
part 9).

    motcua bench search [--dossiers N] [--samples K] [--baseline-samples B] [--years Y]
                        [--full-seed | --no-seed]

N history dossiers are seeded inside PostgreSQL (bench/searchseed.py: the dossier rows alone,
realistic Vietnamese names with their frequencies, 12-digit ID numbers; ``--full-seed`` uses
``motcua bench seed`` with events and facts instead), then each lookup runs as the desk runs it
(``dossiers.selectors.search`` over the officer's queue "all", ordered by deadline, the
capped COUNT (core.paging) and the first page of 25 rows) for two officers: the counter officer of a
commune centre (``motcua.caikhe``) and the province-wide administrator (``quantri.tinh``, whose
scope is every unit of the province: the worst case). Samples are dossiers of that officer's
scope: their code, their ID number, the full name with and without diacritics, and the last two
syllables of the name (what an officer types who remembers "Văn An").

Three columns per lookup, same samples, same run:

- **product**: the query as shipped (on PostgreSQL the name tokens use the GIN index
  ``dossier_name_words_idx`` on the words of the folded name, migration dossiers 0007, and the
  order walks ``dossier_due_order_idx``; decision 0029);
- **without name-words index**: the same ORM query with that index dropped inside a
  transaction that is rolled back (so the "before" is measured on the very same rows and cache);
- **naive**: folding per row, ``' ' || translate(lower(applicant_name), …) LIKE '% token%'``
  per token (a word that starts with it, as the product), ``lower(code) = lower(…)`` for
  codes; same scope, order and page, Django's exact count.

``--baseline-samples B`` times the two baselines on the first B samples of each kind only (at
10 M a naive province-wide lookup takes minutes); the checks then compare those B.
``--baseline-timeout S`` cancels a baseline lookup after S seconds (shown "≥ S"; not compared).

The product's results are checked equal with and without diacritics and with and without the
index (a failed check fails the run). The load average is printed before and after.

Last line: ``dossiers=<n> p95_code_ms=<n> p95_id_ms=<n> p95_name_ms=<n> p95_name_folded_ms=<n>
p95_name_noindex_ms=<n> p95_name_naive_ms=<n>`` (province-wide officer, the worst case; the name
figures are the worst of the full-name and two-syllable samples).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from typing import Any

from bench.common import machine, main_in_child, percentile, say, table

INDEX = "dossier_name_words_idx"
OFFICERS = (("motcua.caikhe", "commune centre officer"), ("quantri.tinh", "province-wide admin"))
VIETNAMESE = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
NAME_KINDS = (
    "full name, diacritics",
    "full name, no diacritics",
    "two syllables, diacritics",
    "two syllables, no diacritics",
)
PLAIN = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench search", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="history dossiers")
    parser.add_argument("--samples", type=int, default=40, help="lookups per kind and officer")
    parser.add_argument("--years", type=int, default=5, help="years of history")
    parser.add_argument(
        "--baseline-samples",
        type=int,
        default=0,
        help="lookups per kind for the two baselines (without the index, naive), from the same "
        "samples; 0 = all (at 10 M a naive province-wide lookup takes minutes)",
    )
    parser.add_argument(
        "--baseline-timeout",
        type=float,
        default=0,
        help="seconds after which a baseline lookup is cancelled and counted as that long "
        "(shown with ≥); 0 = none",
    )
    parser.add_argument(
        "--full-seed",
        action="store_true",
        help="seed with `motcua bench seed` (events, facts; ~2,000 dossiers/s) instead of the "
        "fast server-side seed of the dossier rows alone (bench/searchseed.py)",
    )
    parser.add_argument(
        "--no-seed",
        action="store_true",
        help="measure the database DATABASE_URL points at as it is (filled before by "
        "`motcua bench seed --dossiers N --seed 12`), instead of seeding N dossiers",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    return main_in_child("search", argv, parse, run)


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


# --------------------------------------------------------------------------- the queries


Answer = tuple[int, frozenset[Any] | None]


def desk(user: Any) -> Callable[[str], Answer]:
    """The desk's list view (desk/dossiers.py dossier_list): search, order, the capped count
    (core.paging), first page."""
    from motcua.core.paging import CappedPaginator
    from motcua.dossiers.selectors import queue, search

    def run(q: str) -> Answer:
        rows = (
            search(queue(user, "all"), q)
            .select_related(None)
            .prefetch_related("procedure_version")
            .order_by("due_at_current", "-submitted_at")
        )
        paginator = CappedPaginator(rows, 25)
        page = paginator.get_page(1)
        # Not counted above the planner's estimate (decision 0032): "more than the cap" for
        # the checks, as a count stopped at the cap says; the estimate is not compared.
        shown = paginator.cap + 1 if paginator.estimated else paginator.count
        return answer(shown, [d.pk for d in page.object_list])

    return run


def naive(user: Any) -> Callable[[str], Answer]:
    """Folding per row: no folded column, no index for the pattern; Django's paginator (an
    exact count of every match)."""
    from django.core.paginator import Paginator
    from django.db.models import CharField, Func, Q, Value
    from django.db.models.functions import Concat, Lower

    from motcua.core.text import fold
    from motcua.dossiers.selectors import queue

    def run(q: str) -> Answer:
        qs = queue(user, "all")
        if "-" in q:
            qs = qs.alias(lc=Lower("code")).filter(lc=q.lower())
        elif q.isdigit():
            qs = qs.filter(applicant_id_number__contains=q)
        else:
            qs = qs.alias(
                nf=Concat(
                    Value(" "),
                    Func(
                        Lower("applicant_name"),
                        Value(VIETNAMESE),
                        Value(PLAIN),
                        function="translate",
                        output_field=CharField(),
                    ),
                    output_field=CharField(),
                )
            )
            condition = Q()
            for token in fold(q).split():  # a word that starts with the token
                condition &= Q(nf__contains=f" {token}")
            qs = qs.filter(condition)
        rows = qs.order_by("due_at_current", "-submitted_at")
        page = Paginator(rows, 25).get_page(1)
        return answer(page.paginator.count, [d.pk for d in page.object_list])

    return run


def answer(count: int, pks: list[Any]) -> Answer:
    """What must be equal between two plans: the number of matches, and the matches themselves
    when they fit on the page (the desk's order has ties, broken differently by each plan)."""
    return count, frozenset(pks) if count <= len(pks) else None


def tracking(code: str) -> list[Any]:
    """The portal's tracking lookup: one dossier by its exact code (the unique index)."""
    from motcua.dossiers.models import Dossier

    return list(Dossier.objects.filter(code=code).values_list("pk", flat=True)[:1])


TIMED_OUT = "timed out"


def bounded(run: Callable[[str], Any], seconds: float) -> Callable[[str], Any]:
    """``run`` under a statement timeout (in a savepoint): a cancelled lookup answers
    ``TIMED_OUT`` and counts as ``seconds`` (shown as "≥")."""
    from django.db import connection, transaction
    from django.db.utils import OperationalError

    if not seconds:
        return run

    def wrapped(q: str) -> Any:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
                return run(q)
        except OperationalError:
            return TIMED_OUT

    return wrapped


def same(answers: list[Any], reference: list[Any]) -> bool:
    """Equal where the baseline answered (a timed-out lookup is not compared)."""
    return all(a == b for a, b in zip(answers, reference, strict=False) if a != TIMED_OUT)


def cell(figures: tuple[float, float], answers: list[Any]) -> str:
    mark = "≥ " if TIMED_OUT in answers else ""
    return "{}{:.1f} / {:.1f}".format(mark, *figures)


def timed(run: Callable[[str], Any], inputs: list[str]) -> tuple[float, float, list[Any]]:
    """p50 and p95 in ms of ``run(x)`` over the inputs, and the answers."""
    times, answers = [], []
    for value in inputs:
        began = time.perf_counter()
        answers.append(run(value))
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return percentile(times, 0.5), percentile(times, 0.95), answers


# --------------------------------------------------------------------------- samples


def samples(user: Any, k: int, rng: random.Random) -> dict[str, list[str]]:
    from motcua.core.text import fold
    from motcua.dossiers.selectors import queue

    pks = list(queue(user, "all").exclude(code=None).values_list("pk", flat=True)[:200_000])
    picked = rng.sample(pks, min(k, len(pks)))
    rows = list(
        queue(user, "all")
        .filter(pk__in=picked)
        .values_list("code", "applicant_name", "applicant_id_number")
    )
    names = [r[1] for r in rows]
    two = [" ".join(n.split()[-2:]) for n in names]
    kinds: dict[str, list[str]] = {
        "code (exact)": [str(r[0]) for r in rows],
        "ID number": [r[2] for r in rows],
        "full name, diacritics": names,
        "full name, no diacritics": [fold(n) for n in names],
        "two syllables, diacritics": two,
        "two syllables, no diacritics": [fold(n) for n in two],
    }
    assert set(NAME_KINDS) <= set(kinds)
    return kinds


# --------------------------------------------------------------------------- the run


def measure(
    user: Any, kinds: dict[str, list[str]], baseline_samples: int = 0, timeout: float = 0
) -> tuple[list[list[str]], dict[str, Any]]:
    """Rows of the table for one officer and the figures (p95 per kind and column)."""
    from django.db import connection, transaction

    product, baseline = desk(user), bounded(naive(user), timeout)
    few = baseline_samples or None
    for q in kinds["full name, diacritics"][:3]:  # warm the caches a little
        product(q)
    results: dict[str, Any] = {}
    answers: dict[str, list[Any]] = {}
    for kind, inputs in kinds.items():
        p50, p95, answers[kind] = timed(product, inputs)
        results[kind] = {"product": (p50, p95)}
    has_index = connection.vendor == "postgresql" and _index_exists()
    with transaction.atomic():
        if has_index:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX {INDEX}")
        for kind, inputs in kinds.items():
            if kind not in NAME_KINDS:
                continue
            p50, p95, without = timed(bounded(product, timeout), inputs[:few])
            results[kind]["no index"] = (p50, p95)
            results[kind]["no index cell"] = cell((p50, p95), without)
            results[kind]["same without index"] = same(without, answers[kind])
        transaction.set_rollback(True)  # the index comes back
    for kind, inputs in kinds.items():
        p50, p95, naive_answers = timed(baseline, inputs[:few])
        results[kind]["naive"] = (p50, p95)
        results[kind]["naive cell"] = cell((p50, p95), naive_answers)
    results["folded equal"] = (
        answers["full name, diacritics"] == answers["full name, no diacritics"]
        and answers["two syllables, diacritics"] == answers["two syllables, no diacritics"]
    )
    results["matches"] = {k: [a[0] for a in v] for k, v in answers.items()}
    rows = []
    for kind in kinds:
        r = results[kind]
        matches = sorted(results["matches"][kind])
        rows.append(
            [
                kind,
                f"{matches[len(matches) // 2]:,}" if matches else "-",
                "{:.1f} / {:.1f}".format(*r["product"]),
                r.get("no index cell", ""),
                r["naive cell"],
            ]
        )
    return rows, results


def _index_exists() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [INDEX])
        return cursor.fetchone() is not None


def plan(user: Any, q: str) -> str:
    """The top of the plan of the product's name query (which index serves it)."""
    from django.db import connection

    from motcua.dossiers.selectors import queue, search

    rows = search(queue(user, "all"), q).order_by("due_at_current", "-submitted_at")[:25]
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        lines = [r[0] for r in cursor.fetchall()]
    used = [
        line.strip().removeprefix("->  ").split("  (")[0]
        for line in lines
        if "dossiers_do" in line or "dossier_" in line
    ]
    return "; ".join(used[:6])


def run(options: argparse.Namespace) -> int:
    from bench import seed as history
    from motcua.accounts.models import User

    say(f"# machine: {machine()}")
    started = time.perf_counter()
    if options.no_seed:
        from motcua.dossiers.models import Dossier

        options.dossiers = Dossier.objects.count()
        say(f"# {options.dossiers:,} dossiers already seeded (--no-seed)")
    elif options.full_seed:
        history.run(argparse.Namespace(dossiers=options.dossiers, years=options.years, seed=12))
        say(f"# seeded {options.dossiers:,} dossiers in {time.perf_counter() - started:.0f} s")
    else:
        from bench import searchseed

        searchseed.run(options.dossiers, options.years, seed=12)
        say(f"# seeded {options.dossiers:,} dossiers in {time.perf_counter() - started:.0f} s")
    rng = random.Random(7)
    ok = True
    worst: dict[str, float] = {}
    codes: list[str] = []
    for username, label in OFFICERS:
        user = User.objects.get(username=username)
        kinds = samples(user, options.samples, rng)
        codes += kinds["code (exact)"]
        say(
            f"## {label} ({username}), {len(kinds['code (exact)'])} samples per kind; load {load()}"
        )
        rows, results = measure(user, kinds, options.baseline_samples, options.baseline_timeout)
        say(
            table(
                rows,
                [
                    "lookup",
                    "median matches",
                    "product p50 / p95 ms",
                    "without name-words index",
                    "naive",
                ],
            )
        )
        same = all(results[k].get("same without index", True) for k in kinds)
        say(
            f"# results with and without diacritics equal: {results['folded equal']}; with and "
            f"without the index equal: {same}; load after {load()}"
        )
        say(f"# plan (two syllables): {plan(user, kinds['two syllables, diacritics'][0])}")
        ok = ok and results["folded equal"] and same
        if username == "quantri.tinh":
            names = [k for k in kinds if k in NAME_KINDS]
            worst = {
                "code": results["code (exact)"]["product"][1],
                "id": results["ID number"]["product"][1],
                "name": max(results[k]["product"][1] for k in names if "no diacritics" not in k),
                "name_folded": max(results[k]["product"][1] for k in names if "no diacritics" in k),
                "name_noindex": max(results[k]["no index"][1] for k in names),
                "name_naive": max(results[k]["naive"][1] for k in names),
            }
    p50, p95, _ = timed(tracking, codes)
    say(f"## tracking by exact code: p50 {p50:.1f} ms, p95 {p95:.1f} ms; load {load()}")
    say(f"# check: {'ok' if ok else 'FAILED'}")
    say(f"dossiers={options.dossiers} " + " ".join(f"p95_{k}_ms={v:.1f}" for k, v in worst.items()))
    return 0 if ok else 1
