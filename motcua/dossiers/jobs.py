"""Background work on dossiers. Jobs only call actions or do set-based updates that write their
own audit rows through ``core.events`` (no state changes here): the reactions registered for
``dossier:deadline:redated`` (the indicators' facts) run in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from motcua.core import events
from motcua.core.clock import now, to_local
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.states import CLOCK_RUNNING
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

BATCH = 50_000
#: The portable path (SQLite) writes in short transactions of this many dossiers, so a calendar
#: change never holds the database's single write lock long enough for a user to wait on it
#: (issue #12). A batch is all-or-nothing: a dossier is moved together with its audit event.
ORM_BATCH = 1_000


def _new_due(
    old_due: datetime, start: datetime, before: calc.Calendar, after: calc.Calendar
) -> datetime:
    """Keep the working time left between ``start`` and the old deadline, counted again with
    the new calendar (R-CAL-04). A calendar-day deadline (23:59 of its last day, R-TIME-09)
    only moves when its last day is no longer a working day (R-TIME-11)."""
    local = to_local(old_due)
    if local.time() == calc.END_OF_DAY:
        if after.is_working_day(local.date()):
            return old_due
        return datetime.combine(
            calc.next_working_day(local.date(), after), calc.END_OF_DAY, tzinfo=calc.TZ
        )
    remaining = calc.working_minutes_between(start, old_due, before)
    return calc.add_working_minutes(calc.normalize_receipt(start, after), remaining, after)


def redate_open_dossiers(
    province_id: int,
    *,
    before: calc.Calendar,
    changed_day: date,
    reason: str,
    at: datetime | None = None,
) -> int:
    """Re-date every open dossier of the province whose running deadline the calendar change
    affects, with one audit event each (issue #4 item 8). Set-based: the new deadline depends
    only on the old one (deadlines cluster on a few thousand distinct values), so it is
    computed once per distinct value and applied with one UPDATE.

    Only dossiers whose clock runs and whose window [now, deadline] contains the changed day
    move; paused dossiers get their new deadline when the clock restarts (R-TIME-12).
    """
    moment = at or now()
    after = calendar_for(province_id)
    if before == after:
        return 0
    day_start = datetime.combine(changed_day, datetime.min.time(), tzinfo=calc.TZ)
    candidates = Dossier.objects.filter(
        competent_unit__province_id=province_id,
        state__in=[s.value for s in CLOCK_RUNNING],
        clock_paused_at__isnull=True,
        due_at_current__gte=max(moment, day_start),
    ).exclude(due_at_original__isnull=True)
    start = max(moment, day_start) if changed_day > to_local(moment).date() else moment

    def new_deadlines(distinct: set[datetime]) -> dict[datetime, datetime]:
        mapping = {old: _new_due(old, start, before, after) for old in distinct}
        return {old: new for old, new in mapping.items() if new != old}

    if connection.vendor == "postgresql":
        with transaction.atomic():
            return _redate_postgres(candidates, new_deadlines, moment=moment, reason=reason)
    distinct = set(candidates.values_list("due_at_original", flat=True).distinct()) | set(
        candidates.values_list("due_at_current", flat=True).distinct()
    )
    changed = new_deadlines({d for d in distinct if d is not None})
    if not changed:
        return 0
    affected = candidates.filter(
        Q(due_at_original__in=list(changed)) | Q(due_at_current__in=list(changed))
    )
    return _apply_orm(affected, changed, moment=moment, reason=reason)


def _apply_orm(
    affected: QuerySet[Dossier], changed: dict[datetime, datetime], *, moment: datetime, reason: str
) -> int:
    """Portable path (SQLite): batches of bulk_update + bulk_create, each its own short
    transaction."""
    ids = list(affected.values_list("pk", flat=True))
    total = 0
    for offset in range(0, len(ids), ORM_BATCH):
        with transaction.atomic():
            total += _apply_batch(ids[offset : offset + ORM_BATCH], changed, moment, reason)
    return total


def _apply_batch(
    ids: list[Any], changed: dict[datetime, datetime], moment: datetime, reason: str
) -> int:
    rows = list(
        Dossier.objects.filter(pk__in=ids).only(
            "pk", "due_at_original", "due_at_current", "version"
        )
    )
    last: dict[Any, int] = defaultdict(int)
    for dossier_id, seq in DossierEvent.objects.filter(
        dossier_id__in=[r.pk for r in rows]
    ).values_list("dossier_id", "seq"):
        last[dossier_id] = max(last[dossier_id], seq)
    redated = []
    for row in rows:
        before = [row.due_at_original, row.due_at_current]
        if row.due_at_original is not None:
            row.due_at_original = changed.get(row.due_at_original, row.due_at_original)
        if row.due_at_current is not None:
            row.due_at_current = changed.get(row.due_at_current, row.due_at_current)
        row.version += 1
        redated.append(
            DossierEvent(
                dossier_id=row.pk,
                seq=last[row.pk] + 1,
                kind="dossier:deadline:redated",
                at=moment,
                reason=reason,
                step_deadline=row.due_at_original,
                payload={"before": [b.isoformat() if b else None for b in before]},
            )
        )
    Dossier.objects.bulk_update(rows, ["due_at_original", "due_at_current", "version"])
    events.record_many(redated)
    return len(rows)


def _redate_postgres(
    candidates: QuerySet[Dossier],
    new_deadlines: Callable[[set[datetime]], dict[datetime, datetime]],
    *,
    moment: datetime,
    reason: str,
) -> int:
    """Set-based path. The candidate filter (province, running clock, deadline after the
    changed day) runs once, into a temporary table holding the two deadlines; the distinct
    deadlines come from it, then one statement (UPDATE … FROM … RETURNING feeding an
    INSERT … SELECT) moves the deadlines and writes the audit events, whatever the number of
    dossiers."""
    table = Dossier._meta.db_table
    trail = DossierEvent._meta.db_table
    select_sql, select_params = candidates.values(
        "id", "due_at_original", "due_at_current"
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        # Hash joins over ~10^6 rows: give them memory.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # Check the events' foreign keys at the end of the INSERT rather than at COMMIT, so
        # that their cost shows in the statement that causes it (same work either way).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"CREATE TEMP TABLE redate_candidates ON COMMIT DROP AS {select_sql}",
            select_params,
        )
        cursor.execute(
            "SELECT due_at_original FROM redate_candidates "
            "UNION SELECT due_at_current FROM redate_candidates"
        )
        changed = new_deadlines({row[0] for row in cursor.fetchall() if row[0] is not None})
        if not changed:
            return 0
        cursor.execute(
            "CREATE TEMP TABLE redate_map (old timestamptz PRIMARY KEY, new timestamptz) "
            "ON COMMIT DROP"
        )
        cursor.executemany("INSERT INTO redate_map VALUES (%s, %s)", list(changed.items()))
        cursor.execute("ANALYZE redate_map")
        cursor.execute(
            """
            CREATE TEMP TABLE redate_ids ON COMMIT DROP AS
            SELECT c.id, c.due_at_original, c.due_at_current FROM redate_candidates c
            WHERE c.due_at_original IN (SELECT old FROM redate_map)
               OR c.due_at_current IN (SELECT old FROM redate_map)
            """
        )
        cursor.execute("ALTER TABLE redate_ids ADD PRIMARY KEY (id)")
        cursor.execute("ANALYZE redate_ids")
        # One statement reads the dossiers once: the UPDATE maps the deadlines the row holds
        # now (a deadline changed meanwhile to a value outside the map is kept) and returns
        # each moved dossier to the INSERT of its audit event, so events = dossiers moved by
        # construction. "before" is the candidate read at the start of this transaction.
        cursor.execute(
            f"""
            WITH moved AS (
                UPDATE {table} d SET
                    due_at_original = COALESCE(
                        (SELECT m.new FROM redate_map m WHERE m.old = d.due_at_original),
                        d.due_at_original),
                    due_at_current = COALESCE(
                        (SELECT m.new FROM redate_map m WHERE m.old = d.due_at_current),
                        d.due_at_current),
                    version = d.version + 1
                FROM redate_ids r WHERE d.id = r.id
                RETURNING d.id, d.due_at_original AS new_original,
                    r.due_at_original AS old_original, r.due_at_current AS old_current
            )
            INSERT INTO {trail} (dossier_id, seq, kind, from_state, to_state, at, actor_name,
                actor_title, reason, legal_basis, form, step_deadline, payload)
            SELECT m.id,
                   COALESCE((SELECT MAX(e.seq) FROM {trail} e WHERE e.dossier_id = m.id), 0) + 1,
                   'dossier:deadline:redated', '', '', %s, '', '', %s, '', '',
                   m.new_original,
                   jsonb_build_object(
                       'before', jsonb_build_array(m.old_original, m.old_current))
            FROM moved m
            RETURNING dossier_id
            """,  # noqa: S608 - table names are ours
            [moment, reason],
        )
        moved = [row[0] for row in cursor.fetchall()]
    # The events were written set-based: their reactions run here, in the same transaction.
    events.announce("dossier:deadline:redated", moved)
    return len(moved)
