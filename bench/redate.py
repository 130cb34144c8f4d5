"""A calendar change re-dates N open dossiers on PostgreSQL (jobs.redate_open_dossiers), next to a
naive per-dossier ORM baseline measured in the same run (on a sample, scaled).

    motcua bench redate --open N [--sample S]

The last line is ``redated=<n> seconds=<s> naive_seconds=<s> ratio=<r>``.
"""

from __future__ import annotations

import argparse
import io
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.common import machine, main_in_child, migrate_and_seed, say

PROVINCE = 92
LIMIT_DAYS = 5  # working days, the limit of the generated dossiers
SPREAD_DAYS = 10  # receipts spread over the last ten working days
CHUNK = 50_000
REASON = "Lịch: ngày nghỉ mới (benchmark)"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench redate", description=__doc__)
    parser.add_argument("--open", type=int, default=1_000_000, help="open dossiers to generate")
    parser.add_argument(
        "--sample", type=int, default=5_000, help="dossiers the naive baseline handles"
    )
    parser.add_argument("--seed", type=int, default=20260703, help="random seed of the data")
    parser.add_argument(
        "--no-compare",
        dest="compare",
        action="store_false",
        help="skip the previous path (refresh_many) in the same run",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    return main_in_child("redate", argv, parse, run, prefix="motcua_bench")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Unitpair:
    competent: str
    receiving: str
    eid: str


def _pg(dt: datetime) -> str:
    return dt.isoformat(sep=" ")


def _working_days_back(today: date, count: int, is_working: Any) -> list[date]:
    days: list[date] = []
    day = today
    while len(days) < count:
        if is_working(day):
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def receipt_minutes(moment: datetime, cal: Any) -> list[datetime]:
    """Every working minute of the last SPREAD_DAYS working days up to ``moment`` (local)."""
    from motcua.worktime import calc

    local = calc.to_local(moment)
    minutes: list[datetime] = []
    for day in _working_days_back(local.date(), SPREAD_DAYS, cal.is_working_day):
        for session in cal.sessions:
            at = datetime.combine(day, session.start, tzinfo=calc.TZ)
            end = datetime.combine(day, session.end, tzinfo=calc.TZ)
            while at < end and at <= local:
                minutes.append(at)
                at += timedelta(minutes=1)
    return minutes


def reference() -> tuple[Any, list[Unitpair]]:
    """A 5-working-day procedure version of the catalogue, and (People's Committee, its
    commune's centre) pairs for every commune of the province."""
    from motcua.agencies.models import Unit, UnitKind
    from motcua.catalog.models import ProcedureVersion, TimeUnit

    version = (
        ProcedureVersion.objects.filter(
            procedure__province_id=PROVINCE,
            time_limit_unit=TimeUnit.WORKING_DAYS,
            time_limit_value=LIMIT_DAYS,
            cutoff_1500=False,
        )
        .select_related("procedure")
        .order_by("procedure__code_national")
        .first()
    )
    assert version is not None, "no 5-working-day procedure in the bundled catalogue"
    centres = {
        u.commune_id: u
        for u in Unit.objects.filter(province_id=PROVINCE, kind=UnitKind.COMMUNE_PSC)
    }
    fallback = Unit.objects.filter(province_id=PROVINCE, kind=UnitKind.PROVINCIAL_PSC).first()
    pairs = []
    for pc in Unit.objects.filter(province_id=PROVINCE, kind=UnitKind.COMMUNE_PC):
        centre = centres.get(pc.commune_id, fallback) or pc
        pairs.append(Unitpair(str(pc.pk), str(centre.pk), centre.eid_code))
    return version, pairs


def generate(count: int, rng: random.Random, moment: datetime) -> int:
    """COPY ``count`` dossiers in state in_appraisal (3 events each) into the database; return
    the number of events."""
    from django.db import connection

    from motcua.dossiers.codes import format_unit_code
    from motcua.worktime import calc
    from motcua.worktime.calendars import calendar_for

    cal = calendar_for(PROVINCE)
    limit = calc.TimeLimit(value=Decimal(LIMIT_DAYS), unit=calc.LimitUnit.WORKING_DAYS)
    version, pairs = reference()
    minutes = receipt_minutes(moment, cal)
    # The deadline is computed once per distinct receipt minute (a few thousand), not per row.
    stamps = [
        (_pg(m), _pg(calc.due_at(m, limit, cal)), m.date().isoformat(), m.date()) for m in minutes
    ]
    say(
        f"# generating {count:,} dossiers in state in_appraisal: {len(pairs)} commune People's "
        f"Committees, receipts over {SPREAD_DAYS} working days ({len(stamps):,} distinct minutes), "
        f"limit {LIMIT_DAYS} working days ({version.procedure.code_national}), 3 events each"
    )
    sequences: dict[tuple[str, date], int] = defaultdict(int)
    version_id = str(version.pk)
    code_national = version.procedure.code_national
    summary = version.name[:200].replace("\t", " ").replace("\n", " ")
    columns = (
        "id, created_at, updated_at, code, external_codes, procedure_version_id, procedure_code, "
        "state, version, channel, applicant_kind, applicant_name, applicant_name_folded, "
        "applicant_id_number, applicant_phone, applicant_email, applicant_address, "
        "representative_name, representative_id_number, summary, receiving_unit_id, "
        "competent_unit_id, return_unit_id, result_delivery, submitted_at, received_at, "
        "received_on, due_at_original, due_at_current, result_kind, "
        "supplements_after_appraisal, extensions"
    )
    event_columns = (
        "dossier_id, seq, kind, from_state, to_state, at, actor_name, actor_title, unit_id, "
        "reason, legal_basis, form, step_deadline, payload"
    )
    started = time.perf_counter()
    raw = connection.cursor().connection
    events = 0
    for offset in range(0, count, CHUNK):
        dossiers = io.StringIO()
        trail = io.StringIO()
        for i in range(offset, min(count, offset + CHUNK)):
            pair = pairs[rng.randrange(len(pairs))]
            received, due, received_on, day = stamps[rng.randrange(len(stamps))]
            sequences[(pair.receiving, day)] += 1
            seq = sequences[(pair.receiving, day)]
            code = format_unit_code(pair.eid, day, seq)
            pk = uuid.UUID(int=rng.getrandbits(128), version=4)
            name = f"Nguyễn Thị Mẫu {i}"
            dossiers.write(
                f"{pk}\t{received}\t{received}\t{code}\t[]\t{version_id}\t{code_national}\t"
                f"in_appraisal\t3\tcounter\tperson\t{name}\tnguyen thi mau {i}\t092190000001\t"
                f"0901234567\t\t\t\t\t{summary}\t{pair.receiving}\t{pair.competent}\t"
                f"{pair.receiving}\tcounter\t{received}\t{received}\t{received_on}\t{due}\t{due}"
                "\t\t0\t0\n"
            )
            trail.write(
                f"{pk}\t1\tdossier:state:submitted\t\tsubmitted\t{received}\tBench\t\t"
                f'{pair.receiving}\t\t\t\t\\N\t{{"channel": "counter"}}\n'
                f"{pk}\t2\tdossier:state:received\tsubmitted\treceived\t{received}\tBench\t\t"
                f"{pair.receiving}\tTiếp nhận hồ sơ\t\t01\t{due}\t"
                f'{{"sequence": {seq}}}\n'
                f"{pk}\t3\tdossier:state:in_appraisal\treceived\tin_appraisal\t{received}\tBench"
                f"\t\t{pair.competent}\t\t\t\t\\N\t{{}}\n"
            )
            events += 3
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY dossiers_dossier ({columns}) FROM STDIN") as copy:
                copy.write(dossiers.getvalue())
            with cursor.copy(f"COPY dossiers_dossierevent ({event_columns}) FROM STDIN") as copy:
                copy.write(trail.getvalue())
        raw.commit()
        done = min(count, offset + CHUNK)
        say(
            f"#   {done:,} / {count:,} dossiers ({done * 3:,} events) copied, "
            f"{time.perf_counter() - started:.1f} s"
        )
    with raw.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier")
        cursor.execute("ANALYZE dossiers_dossierevent")
    raw.commit()
    return events


# --------------------------------------------------------------------------- the run


class SqlTimer:
    """A Django execute wrapper that times every statement (a handful in the set-based job)."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str]] = []

    @property
    def total(self) -> float:
        return sum(took for took, _ in self.statements)

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            text = " ".join(sql.split())
            self.statements.append((time.perf_counter() - started, text[:110]))


def build_facts() -> None:
    """The indicator facts and counters of the seeded dossiers, as in production (every dossier
    has its fact), so that the re-dating's ``refresh_many`` replaces facts, not only adds them."""
    from motcua.insights import rollups

    started = time.perf_counter()
    facts = rollups.rebuild()
    say(
        f"# indicator facts built for the seeded dossiers: {facts:,} facts in "
        f"{time.perf_counter() - started:.1f} s (rollups.rebuild)"
    )


class RefreshTimer:
    """Times the insights reaction to ``dossier:deadline:redated`` as it calls its refresh
    function (``reactions.refresh_redated``, the set-based path since issue #12): the reaction
    module's name is replaced for the duration of the job, then restored. ``use`` replaces the
    function itself (the per-dossier ``rollups.refresh_many`` of the previous path)."""

    NAME = "refresh_redated"

    def __init__(self, timer: SqlTimer, use: Any = None) -> None:
        self.seconds = 0.0
        self.calls = self.dossiers = self.facts = 0
        self.sql_seconds = 0.0
        self.timer = timer
        self.use = use

    def __enter__(self) -> RefreshTimer:
        from motcua.insights import reactions

        self.original = getattr(reactions, self.NAME)
        function = self.use or self.original

        def timed(pks: Any) -> int:
            began, sql_before = time.perf_counter(), self.timer.total
            try:
                done = int(function(pks))
            finally:
                self.seconds += time.perf_counter() - began
                self.sql_seconds += self.timer.total - sql_before
            self.calls += 1
            self.dossiers += len(pks)
            self.facts += done
            return done

        setattr(reactions, self.NAME, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        from motcua.insights import reactions

        setattr(reactions, self.NAME, self.original)


class Rollback(Exception):
    pass


def previous_path(day: date, after: Any, moment: datetime) -> tuple[int, float, RefreshTimer]:
    """The same job with the reaction of before issue #12's set-based path (``refresh_many``:
    per chunk, read the facts, recompute each from its dossier in Python, rewrite them), in the
    same run: the day off is removed again and the job moves the dossiers back, in a
    transaction that is rolled back afterwards (the database is left as the set-based job left
    it). Returns (dossiers moved, job seconds, the reaction's timer)."""
    from django.db import connection, transaction

    from motcua.dossiers.jobs import redate_open_dossiers
    from motcua.insights import rollups

    timer = SqlTimer()
    refresh = RefreshTimer(timer, use=rollups.refresh_many)
    moved, seconds = 0, 0.0
    try:
        with transaction.atomic():
            drop_day_off_here(day)
            started = time.perf_counter()
            with connection.execute_wrapper(timer), refresh:
                moved = redate_open_dossiers(
                    PROVINCE, before=after, changed_day=day, reason=REASON, at=moment
                )
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return moved, seconds, refresh


def check_facts(size: int = 500) -> tuple[int, int, int]:
    """After the job: (facts sampled, sampled facts unlike a recomputation from their dossier,
    open-ledger counters unlike the open facts counted by key). The ledger is checked in full
    (one GROUP BY), the facts on a random sample of the re-dated dossiers."""
    from django.db import connection

    from motcua.dossiers.models import DossierEvent
    from motcua.insights import rollups
    from motcua.insights.models import DossierFact

    ids = list(
        DossierEvent.objects.filter(kind="dossier:deadline:redated")
        .order_by("?")
        .values_list("dossier_id", flat=True)[:size]
    )
    stored = {
        row.pk: (row.due_on, row.open_until) for row in DossierFact.objects.filter(pk__in=ids)
    }
    wrong = sum(
        1
        for pk, fact, due_on, _received in rollups.facts_from_dossiers(len(ids) or 1, only=ids)
        if stored.get(pk) != (due_on, fact.until)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM (
                SELECT competent_unit_id AS unit_id, month, open_until, count(*) AS value
                FROM insights_dossierfact WHERE outcome = 'open' AND open_until IS NOT NULL
                GROUP BY 1, 2, 3
            ) facts FULL JOIN (
                SELECT unit_id, month, open_until, value FROM insights_openrollup WHERE value <> 0
            ) ledger USING (unit_id, month, open_until)
            WHERE facts.value IS DISTINCT FROM ledger.value
            """
        )
        ledger_wrong = cursor.fetchone()[0]
    return len(ids), wrong, ledger_wrong


def changed_day_for(moment: datetime, cal: Any) -> date:
    """The next working day after today: inside the window of every dossier still running."""
    from motcua.worktime import calc

    day = calc.to_local(moment).date()
    found = 0
    while found < 1:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            found += 1
    return day


def add_day_off(day: date) -> None:
    from motcua.worktime.calendars import do_add_calendar_entry
    from motcua.worktime.models import WorkingCalendar

    do_add_calendar_entry(
        WorkingCalendar.objects.get(province_id=PROVINCE),
        day=day,
        kind="holiday",
        name="Ngày nghỉ (benchmark)",
        legal_basis="Thông báo (benchmark)",
        acting_user=None,
    )


def remove_day_off(day: date) -> None:
    from motcua.worktime.calendars import do_remove_calendar_entry
    from motcua.worktime.models import CalendarEntry

    entry = CalendarEntry.objects.get(calendar__province_id=PROVINCE, day=day)
    do_remove_calendar_entry(entry, acting_user=None)


def drop_day_off_here(day: date) -> None:
    """Inside the comparison's rolled-back transaction: the day off removed as the action does
    it (the entry gone, the calendar marked changed so every process rebuilds it), without the
    action itself, which refuses to run inside another transaction (decision 0018), and without
    its audit row and queued re-dating job (the comparison runs the job itself)."""
    from motcua.worktime.models import CalendarEntry

    entry = CalendarEntry.objects.select_related("calendar").get(
        calendar__province_id=PROVINCE, day=day
    )
    calendar = entry.calendar
    entry.delete()
    calendar.save(update_fields=["updated_at"])


def check_sample(limit: Any, cal: Any, size: int = 500) -> tuple[int, int]:
    """Deadlines of a random sample of the open dossiers against calc.due_at directly."""
    from motcua.dossiers.models import Dossier
    from motcua.worktime import calc

    rows = Dossier.objects.filter(state="in_appraisal").order_by("?")[:size]
    wrong = 0
    for d in rows.only("received_at", "due_at_original", "due_at_current"):
        assert d.received_at is not None
        expected = calc.due_at(d.received_at, limit, cal)
        if d.due_at_original != expected or d.due_at_current != expected:
            wrong += 1
    return len(rows), wrong


def naive(ids: list[uuid.UUID], cal: Any, limit: Any, moment: datetime) -> float:
    """The obvious job: per dossier, load it, recompute the deadline, save it, append an event
    (next seq looked up per dossier). One transaction for the whole sample (kind to the naive
    job: no commit per dossier)."""
    from django.db import transaction
    from django.db.models import Max

    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.worktime import calc

    started = time.perf_counter()
    with transaction.atomic():
        for pk in ids:
            dossier = Dossier.objects.get(pk=pk)
            assert dossier.received_at is not None
            before = [dossier.due_at_original, dossier.due_at_current]
            due = calc.due_at(dossier.received_at, limit, cal)
            if due == dossier.due_at_current:
                continue
            dossier.due_at_original = due
            dossier.due_at_current = due
            dossier.version += 1
            dossier.save()
            last = dossier.events.aggregate(m=Max("seq"))["m"] or 0
            DossierEvent.objects.create(
                dossier=dossier,
                seq=last + 1,
                kind="dossier:deadline:redated",
                at=moment,
                reason=REASON,
                step_deadline=due,
                payload={"before": [b.isoformat() if b else None for b in before]},
            )
    return time.perf_counter() - started


def check_and_compare(
    options: argparse.Namespace,
    *,
    day: date,
    after: Any,
    moment: datetime,
    refresh: RefreshTimer,
    seconds: float,
) -> tuple[bool, str]:
    """The facts' check after the job, and the previous path in the same run (unless
    ``--no-compare``). Returns (facts right, the contract line's extra figures)."""
    sampled, facts_wrong, ledger_wrong = check_facts()
    say(
        f"# facts after the job: {sampled} re-dated facts sampled, {facts_wrong} unlike a "
        f"recomputation from their dossier; open ledger vs open facts by key: {ledger_wrong} "
        "counters differ"
    )
    previous_moved, previous_seconds, previous = (
        previous_path(day, after, moment) if options.compare else (0, 0.0, None)
    )
    if previous is not None:
        say(
            f"# previous path in the same run (refresh_many, per-dossier recomputation; the "
            f"day off removed again, {previous_moved:,} dossiers moved back, rolled back): job "
            f"{previous_seconds:.1f} s, of which refresh_many {previous.seconds:.1f} s "
            f"({previous.sql_seconds:.1f} s in SQL); set-based refresh_redated "
            f"{refresh.seconds:.1f} s of {seconds:.1f} s"
        )
    extra = (
        f" previous_seconds={previous_seconds:.1f} previous_refresh_seconds={previous.seconds:.1f}"
        if previous is not None
        else ""
    )
    return not facts_wrong + ledger_wrong, extra


def run(options: argparse.Namespace) -> int:
    from django.db import connection

    from motcua.core.clock import now
    from motcua.dossiers.jobs import redate_open_dossiers
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.worktime import calc
    from motcua.worktime.calendars import calendar_for

    say(f"# machine: {machine()}; PostgreSQL {connection.cursor().connection.info.server_version}")
    migrate_and_seed(personas=False)
    rng = random.Random(options.seed)
    moment = now()
    started = time.perf_counter()
    generate(options.open, rng, moment)
    say(f"# data ready in {time.perf_counter() - started:.1f} s (COPY, then ANALYZE)")
    build_facts()
    limit = calc.TimeLimit(value=Decimal(LIMIT_DAYS), unit=calc.LimitUnit.WORKING_DAYS)
    before = calendar_for(PROVINCE)
    day = changed_day_for(moment, before)
    add_day_off(day)
    after = calendar_for(PROVINCE)
    running = Dossier.objects.filter(due_at_current__gte=moment).count()
    say(
        f"# day off added: {day:%a %d/%m/%Y}; {running:,} of {options.open:,} open dossiers still "
        "running (the rest are overdue)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, count(*) FROM pg_indexes WHERE tablename IN "
            "('dossiers_dossier', 'dossiers_dossierevent') GROUP BY tablename ORDER BY tablename"
        )
        counts = ", ".join(f"{table} {n}" for table, n in cursor.fetchall())
    say(f"# indexes a re-dated dossier updates: {counts}")
    timer = SqlTimer()
    refresh = RefreshTimer(timer)
    started = time.perf_counter()
    with connection.execute_wrapper(timer), refresh:
        redated = redate_open_dossiers(
            PROVINCE, before=before, changed_day=day, reason=REASON, at=moment
        )
    seconds = time.perf_counter() - started
    say(
        f"# rollups.refresh_redated (the insights reaction to dossier:deadline:redated, in the "
        f"job's transaction; set-based): {refresh.seconds:.1f} s of the job's {seconds:.1f} s "
        f"for {refresh.dossiers:,} dossiers in {refresh.calls} call(s), {refresh.facts:,} facts "
        f"refreshed; {refresh.sql_seconds:.1f} s of it in SQL"
    )
    say(
        f"# where the job's {seconds:.1f} s go: {timer.total:.1f} s in {len(timer.statements)} SQL "
        f"statements, {seconds - timer.total:.1f} s in Python (deadline arithmetic, ORM); "
        "slowest statements:"
    )
    for took, sql in sorted(timer.statements, reverse=True)[:6]:
        say(f"#   {took:6.2f} s  {sql}")
    audited = DossierEvent.objects.filter(kind="dossier:deadline:redated").count()
    checked, wrong = check_sample(limit, after)
    say(
        f"# redate_open_dossiers: {redated:,} dossiers re-dated in {seconds:.1f} s "
        f"({redated / seconds if seconds else 0:,.0f}/s); {audited:,} audit events; "
        f"sample of {checked} deadlines vs calc.due_at: {checked - wrong} right, {wrong} wrong"
    )
    facts_ok, previous_figures = check_and_compare(
        options, day=day, after=after, moment=moment, refresh=refresh, seconds=seconds
    )
    # Naive baseline on the same situation reversed: remove the day off again, then move back a
    # sample of the dossiers the job moved, one by one through the ORM.
    moved = list(
        DossierEvent.objects.filter(kind="dossier:deadline:redated").values_list(
            "dossier_id", flat=True
        )
    )
    sample = rng.sample(moved, min(options.sample, len(moved)))
    remove_day_off(day)
    naive_seconds_sample = naive(sample, before, limit, moment)
    per_dossier = naive_seconds_sample / len(sample) if sample else 0.0
    naive_seconds = per_dossier * redated
    say(
        f"# naive per-dossier ORM save (load, calc.due_at, save, event): naive measured on a "
        f"sample of {len(sample):,} dossiers and scaled to {redated:,}: "
        f"{naive_seconds_sample:.1f} s for the sample, {per_dossier * 1000:.2f} ms each, "
        f"{naive_seconds:.1f} s scaled"
    )
    ok = redated > 0 and wrong == 0 and audited == redated and facts_ok
    ratio = naive_seconds / seconds if seconds else 0.0
    say(
        f"# check: {'ok' if ok else 'FAILED'} (re-dated > 0, audit events = re-dated, sample "
        "right, facts and open ledger right)"
    )
    figures = (
        f"seconds={seconds:.1f} naive_seconds={naive_seconds:.1f} ratio={ratio:.1f} "
        f"refresh_seconds={refresh.seconds:.1f}{previous_figures}"
    )
    say(f"redated={redated} {figures}")
    return 0 if ok else 1
