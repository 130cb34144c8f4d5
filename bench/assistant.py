"""The procedure assistant on its evaluation set, next to a naive baseline in the same run.

    motcua bench assistant [--questions PATH] [--limit N]

Seeds the catalogue (``bench.common.migrate_and_seed``), builds the retrieval index and saves
it, times a cold load of the saved index, then asks every question of
``motcua/assistant/eval/questions.jsonl`` in process (``motcua.assistant.answer.ask``, with the
facts of the best procedure, as the CLI and the portal do). The naive baseline is the old
behaviour: a substring match of each question word on the folded names in the database, ranked
by how many words matched.

Figures: top-1 / top-3 accuracy on answerable questions (an expected code among the first 1 / 3
codes), behaviour accuracy on every question, correct refusal of out-of-scope ones, p50 / p95
latency per question. Last line:

``questions=<n> top1=<r> top3=<r> behaviour=<r> p95_ms=<n> naive_top3=<r> naive_p95_ms=<n>``
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bench.common import is_child, machine, migrate_and_seed, percentile, run_in_child, say

PROVINCE = 92
QUESTIONS = Path(__file__).resolve().parents[1] / "motcua/assistant/eval/questions.jsonl"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench assistant")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse(argv)
    if not is_child():
        return run_in_child(["assistant", *argv], prefix="motcua_bench")
    return run(options)


def naive(question: str) -> list[str]:
    """The old catalogue search: any folded word of the question inside a folded name."""
    from django.db.models import Q

    from motcua.catalog.selectors import current_versions
    from motcua.core.text import fold

    words = [w for w in fold(question).split() if len(w) > 1]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(name_folded__contains=word)
    rows = (
        current_versions(PROVINCE)
        .filter(condition)
        .values_list("procedure__code_national", "name_folded")
    )
    scored = sorted(
        ((sum(w in name for w in words), code) for code, name in rows),
        key=lambda row: (-row[0], row[1]),
    )
    return [code for _n, code in scored[:5]]


def run(options: argparse.Namespace) -> int:  # noqa: PLR0915 -- one report, in order
    migrate_and_seed(personas=False)
    from motcua.assistant import index
    from motcua.assistant.answer import ANSWER, CLARIFY, OUT_OF_SCOPE, ask

    items: list[dict[str, Any]] = [
        json.loads(line)
        for line in options.questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if options.limit:
        items = items[: options.limit]
    started = time.perf_counter()
    index.build(PROVINCE)
    build_s = time.perf_counter() - started
    index.clear()
    started = time.perf_counter()
    index.retriever(PROVINCE)  # a cold process: loads the saved index
    load_ms = (time.perf_counter() - started) * 1000

    answerable = [i for i in items if i["behaviour"] in (ANSWER, CLARIFY) and i["codes"]]
    out_of_scope = [i for i in items if i["behaviour"] == OUT_OF_SCOPE]
    top1 = top3 = behaviour_ok = refused = naive_top3 = 0
    latencies: list[float] = []
    retrieval_latencies: list[float] = []
    retriever = index.retriever(PROVINCE)
    naive_latencies: list[float] = []
    misses: list[str] = []
    answered: list[str] = []  # out-of-scope questions answered anyway
    cpu: list[float] = []  # CPU time of this process per answer: what the load does not inflate
    for item in items:
        t, c = time.perf_counter(), time.process_time()
        reply = ask(item["question"], province=PROVINCE)
        latencies.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        t = time.perf_counter()
        retriever.search(item["question"], limit=12, cached=False)
        retrieval_latencies.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        naive_codes = naive(item["question"])
        naive_latencies.append((time.perf_counter() - t) * 1000)
        expected = set(item["codes"])
        behaviour_ok += reply.behaviour == item["behaviour"]
        if item["behaviour"] == OUT_OF_SCOPE:
            refused += reply.behaviour == OUT_OF_SCOPE
            if reply.behaviour != OUT_OF_SCOPE:
                answered.append(f"{item['question']!r} → {reply.behaviour} {reply.codes[:3]}")
            continue
        if not expected:
            continue
        top1 += bool(expected & set(reply.codes[:1]))
        top3 += bool(expected & set(reply.codes[:3]))
        naive_top3 += bool(expected & set(naive_codes[:3]))
        if not expected & set(reply.codes[:3]):
            misses.append(f"{item['question']!r} → {reply.behaviour} {reply.codes[:3]}")

    # A second pass over the same questions in a warm process: the same questions again are
    # read from the per-process search cache (the facts and the due date are composed again).
    warm: list[float] = []
    for item in items:
        t = time.perf_counter()
        ask(item["question"], province=PROVINCE)
        warm.append((time.perf_counter() - t) * 1000)
    warm.sort()

    def ratio(n: int, d: int) -> float:
        return round(n / d, 3) if d else 0.0

    latencies.sort()
    cpu.sort()
    naive_latencies.sort()
    retrieval_latencies.sort()
    say(f"# {machine()}")
    say(f"# index: built in {build_s:.1f} s, cold load of the saved index {load_ms:.0f} ms")
    say(f"# {len(items)} questions: {len(answerable)} answerable, {len(out_of_scope)} out of scope")
    say(f"# misses in top 3 ({len(misses)}):")
    for miss in misses[:40]:
        say(f"#   {miss}")
    say(f"# out of scope but answered ({len(answered)}):")
    for miss in answered:
        say(f"#   {miss}")
    say(
        f"# assistant: p50 {percentile(latencies, 0.5):.1f} ms, p95 "
        f"{percentile(latencies, 0.95):.1f} ms; refusals {refused}/{len(out_of_scope)}"
    )
    say(
        f"# assistant, CPU time per answer (not inflated by other processes): p50 "
        f"{percentile(cpu, 0.5):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms"
    )
    say(
        f"# assistant, second pass (warm process): p50 {percentile(warm, 0.5):.1f} ms, p95 "
        f"{percentile(warm, 0.95):.1f} ms"
    )
    say(
        f"# retrieval alone (no facts, no database): p50 {percentile(retrieval_latencies, 0.5):.1f}"
        f" ms, p95 {percentile(retrieval_latencies, 0.95):.1f} ms"
    )
    say(
        f"# naive:     p50 {percentile(naive_latencies, 0.5):.1f} ms, p95 "
        f"{percentile(naive_latencies, 0.95):.1f} ms"
    )
    print(
        f"questions={len(items)} top1={ratio(top1, len(answerable))} "
        f"top3={ratio(top3, len(answerable))} behaviour={ratio(behaviour_ok, len(items))} "
        f"p95_ms={percentile(latencies, 0.95):.1f} "
        f"naive_top3={ratio(naive_top3, len(answerable))} "
        f"naive_p95_ms={percentile(naive_latencies, 0.95):.1f}",
        flush=True,
    )
    return 0
