"""The ``motcua`` command: Django's management commands plus a few of our own.

motcua demo-setup            migrate + real geography + demo province, users (see Makefile)
motcua worker                background worker
motcua deadline …            legal deadline calculator (stable contract, see docs)
motcua <any manage.py command>
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args and args[0] == "deadline":
        from motcua.worktime.cli import deadline_main  # noqa: PLC0415 - the deadline command runs without Django

        return deadline_main(args[1:])
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - after the deadline check

    execute_from_command_line(["motcua", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
