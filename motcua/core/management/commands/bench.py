"""``motcua bench <name> …``: run a benchmark of bench/ (bench/README.md).

The benchmark modules live outside the apps; they are imported here only when the command runs,
so core depends on no app.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

BENCHMARKS = (
    "receipt",
    "redate",
    "exchange",
    "seed",
    "board",
    "startup",
    "load",
    "opendata",
    "assistant",
    "search",
    "felt",
    "pages",
    "worker_memory",
)


class Command(BaseCommand):
    help = (
        "Run a benchmark: receipt, redate, exchange, seed (province-scale history), board "
        "(operations-centre queries), startup (process start-up cost), load (locust: Monday "
        "mix, spike, soak), search (desk search and tracking at scale), opendata, assistant, "
        "felt (first pages after a start, in a browser), pages (CPU per page, in-process) or "
        "worker_memory (the worker's memory over rounds of its jobs)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=BENCHMARKS)
        parser.add_argument(
            "bench_args", nargs=argparse.REMAINDER, metavar="…", help="the benchmark's options"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        module = importlib.import_module(f"bench.{options['name']}")
        try:
            code = int(module.main(list(options["bench_args"])))
        except KeyboardInterrupt:
            raise CommandError(f"benchmark {options['name']} interrupted") from None
        if code:
            raise CommandError(f"benchmark {options['name']} failed (exit status {code})")
