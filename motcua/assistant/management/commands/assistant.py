"""``motcua assistant``: the procedure assistant on the command line (a stable contract).

* ``motcua assistant ask "QUESTION"`` prints the answer;
* ``motcua assistant ask --jsonl`` reads one question per line on stdin and prints one JSON
  object per line: ``{"question", "behaviour", "codes", "answer", "citations", "ms"}``;
* ``motcua assistant build`` builds the retrieval index and saves it under ``var/assistant/``.

Bad input (no question, an empty or too long line) exits with code 2 and a message saying why.
Questions asked here are not logged (the log is for the portal's citizens).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.assistant import index
from motcua.assistant.answer import BadQuestion, ask


class Command(BaseCommand):
    help = "The procedure assistant: ask QUESTION | ask --jsonl | build."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ask_parser = sub.add_parser("ask", help="Answer a question (or JSON lines from stdin).")
        ask_parser.add_argument("question", nargs="?", default=None)
        ask_parser.add_argument("--jsonl", action="store_true", help="Questions on stdin.")
        ask_parser.add_argument("--province", type=int, default=None)
        sub.add_parser("build", help="Build and save the retrieval index.").add_argument(
            "--province", type=int, default=None
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        province = options.get("province") or settings.MOTCUA_PROVINCE_CODE
        if options["action"] == "build":
            built = index.build(province)
            self.stdout.write(f"{len(built)} procedures indexed → {index.index_path(province)}")
            return
        if options["jsonl"]:
            if options["question"] is not None:
                raise CommandError(
                    "Dùng --jsonl hoặc một câu hỏi, không dùng cả hai. "
                    "(Give --jsonl or one question, not both.)",
                    returncode=2,
                )
            self._jsonl(province)
            return
        if options["question"] is None:
            raise CommandError(
                'Thiếu câu hỏi: motcua assistant ask "CÂU HỎI" hoặc --jsonl. (Missing question.)',
                returncode=2,
            )
        try:
            reply = ask(options["question"], province=province, with_facts=True)
        except BadQuestion as exc:
            raise CommandError(f"{exc.message} ({exc.message_en})", returncode=2) from exc
        self.stdout.write(f"[{reply.behaviour}] {' '.join(reply.codes)}")
        self.stdout.write(reply.text)

    def _jsonl(self, province: int) -> None:
        for number, line in enumerate(sys.stdin, start=1):
            try:
                reply = ask(line, province=province, with_facts=True)
            except BadQuestion as exc:
                raise CommandError(
                    f"Dòng {number}: {exc.message} (line {number}: {exc.message_en})",
                    returncode=2,
                ) from exc
            self.stdout.write(json.dumps(reply.as_dict(), ensure_ascii=False))
