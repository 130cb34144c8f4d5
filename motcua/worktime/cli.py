"""``motcua deadline``: the legal deadline calculator (a stable command-line contract).

    motcua deadline --received 2026-02-12T16:10 --limit 3 --unit working_days
                    [--cutoff-1500] [--province CODE] [--explain]

The first line of output is exactly the local due time ``YYYY-MM-DDTHH:MM``; ``--explain`` adds
the steps after it. Invalid input: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from motcua.worktime import calc

EXIT_INVALID = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        _fail(message)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"motcua deadline: error: {' '.join(message.split())}\n")
    sys.exit(EXIT_INVALID)


def _parse_received(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        _fail(f"--received {text!r} is not YYYY-MM-DDTHH:MM")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=calc.TZ)  # local time, Asia/Ho_Chi_Minh
    return moment


def _calendar(province: int | None, explain: list[str] | None) -> calc.Calendar:
    """The province's calendar from the database when there is one, else the national seed."""
    import django  # noqa: PLC0415 - Django only for a database calendar
    from django.db import DatabaseError  # noqa: PLC0415 - Django only for a database calendar

    django.setup()
    from django.conf import settings  # noqa: PLC0415 - Django only for a database calendar

    from motcua.worktime.calendars import seed_calendar_values, to_calc  # noqa: PLC0415 - Django only for a database calendar
    from motcua.worktime.models import WorkingCalendar  # noqa: PLC0415 - Django only for a database calendar

    code = province if province is not None else settings.MOTCUA_PROVINCE_CODE
    try:
        stored = WorkingCalendar.objects.filter(province_id=code).first()
    except DatabaseError:
        stored = None
    if stored is not None:
        if explain is not None:
            explain.append(f"calendar: province {code} (database)")
        return to_calc(stored)
    if explain is not None:
        explain.append(f"calendar: national seed 2025-2026 (no database calendar for {code})")
    return seed_calendar_values()


def deadline_main(argv: list[str]) -> int:
    parser = _Parser(prog="motcua deadline", description="Legal deadline of a dossier.")
    parser.add_argument("--received", required=True, help="local time YYYY-MM-DDTHH:MM")
    parser.add_argument("--limit", required=True, help="number of units (0.5 steps allowed)")
    parser.add_argument("--unit", required=True, choices=[u.value for u in calc.LimitUnit])
    parser.add_argument("--cutoff-1500", action="store_true", dest="cutoff")
    parser.add_argument("--province", type=int, default=None)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    received = _parse_received(args.received)
    try:
        value = Decimal(args.limit)
    except InvalidOperation:
        _fail(f"--limit {args.limit!r} is not a number")
    if args.province is not None:
        from vietnam_provinces import Province as VpProvince  # noqa: PLC0415 - only to name a province

        if args.province not in {int(p.code) for p in VpProvince.iter_all()}:
            _fail(f"--province {args.province} is not one of the 34 province codes")
    explain: list[str] | None = [] if args.explain else None
    calendar = _calendar(args.province, explain)
    try:
        limit = calc.TimeLimit(value=value, unit=calc.LimitUnit(args.unit), cutoff_1500=args.cutoff)
        due = calc.due_at(received, limit, calendar, explain=explain)
    except ValueError as exc:
        _fail(str(exc))
    sys.stdout.write(due.strftime("%Y-%m-%dT%H:%M") + "\n")
    for line in explain or []:
        sys.stdout.write(line + "\n")
    return 0
