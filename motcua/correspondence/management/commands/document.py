"""``motcua document``: the official documents' command-line contract (issue #16 item 8).

    motcua document list --direction out|in [--state STATE] [--limit N]   one id per line
    motcua document export ID OUT.pdf                                       the PDF as signed
    motcua document edxml ID OUT.xml                                        the package as sent

Bad input (unknown direction or state, a limit out of range, an id that is not a document, a
document without that file): one line on stderr and exit code 2; nothing is written.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.correspondence.models import Direction, Document
from motcua.correspondence.states import State

EXIT_INVALID = 2
MAX_LIMIT = 100_000


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_INVALID)


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise _fail(f"--limit {text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise _fail(f"--limit must be between 1 and {MAX_LIMIT}")
    return value


def _document(text: str) -> Document:
    try:
        pk = uuid.UUID(text)
    except ValueError:
        raise _fail(f"{text!r} is not a document id (a UUID)") from None
    document = Document.objects.filter(pk=pk).first()
    if document is None:
        raise _fail(f"no document {pk}")
    return document


def _target(text: str) -> Path:
    path = Path(text)
    if not path.parent.is_dir():
        raise _fail(f"{text!r}: the directory does not exist")
    return path


class Command(BaseCommand):
    help = "Official documents: list ids, export the signed PDF or the edXML package."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="document ids, newest first, one per line")
        listing.add_argument("--direction", required=True, choices=["out", "in", "internal"])
        listing.add_argument("--state", choices=[s.value for s in State])
        listing.add_argument("--limit", default="100")
        export = sub.add_parser("export", help="write the document's PDF as signed")
        export.add_argument("id")
        export.add_argument("out")
        package = sub.add_parser("edxml", help="write the edXML package as sent")
        package.add_argument("id")
        package.add_argument("out")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list(options)
        elif action == "export":
            self._write(options, field="pdf", what="signed PDF")
        else:
            self._write(options, field="package", what="edXML package")

    def _list(self, options: dict[str, Any]) -> None:
        limit = _limit(str(options["limit"]))
        documents = Document.objects.filter(direction=Direction(options["direction"]))
        if options["state"]:
            documents = documents.filter(state=options["state"])
        ids = documents.order_by("-created_at", "-id").values_list("pk", flat=True)[:limit]
        for pk in ids:
            self.stdout.write(str(pk))

    def _write(self, options: dict[str, Any], *, field: str, what: str) -> None:
        document = _document(str(options["id"]))
        target = _target(str(options["out"]))
        if document.state == State.REVOKED:
            # R-DOC-15: a revoked document keeps its register entry; its content is hidden.
            raise _fail(f"document {document.pk} is revoked: its content is no longer served")
        stored = getattr(document, field)
        if field == "pdf" and document.state not in {State.SIGNED, State.RELEASED, State.REPLACED}:
            stored = None
        if not stored:
            raise _fail(f"document {document.pk} has no {what}")
        with stored.open("rb") as handle:
            target.write_bytes(handle.read())
        self.stdout.write(str(target))
