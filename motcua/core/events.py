"""One way to record what happened (issue #13): the audited-event base, the immutable trail, the
claim, and the reactions.

Every workflow (dossiers, petitions, official documents, …) keeps an append-only trail of its
own subject in a model derived from :class:`AuditedEvent`, claims its rows with :func:`claim`
(a conditional UPDATE from the allowed states: zero rows means someone else got there first,
the same on SQLite and PostgreSQL), and appends events with :func:`record` or
:func:`record_many`, which run the reactions registered for the event's kind in the same
transaction. Apps register their reactions explicitly in ``AppConfig.ready`` with :func:`react`
(no signals: a bulk or raw write that bypasses ``save()`` would skip a signal silently, and the
layers forbid a lower app to call an upper one by name). Rows written set-based in SQL (the
re-dating's single statement on PostgreSQL) are announced with :func:`announce` so that the
same reactions see them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import F, Max, QuerySet


class AuditedEvent(models.Model):
    """One step in the immutable trail of a subject (R-STATE-04). A concrete trail adds the
    foreign key to its subject (named by ``subject_field``, ``db_index=False``: the unique
    (subject, seq) constraint serves every lookup) and that constraint."""

    #: The name of the foreign key to the subject, set by each concrete trail.
    subject_field: ClassVar[str] = ""

    id = models.BigAutoField(primary_key=True)
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=60)  # <subject>:state:<state>, <subject>:<fact>:<verb> …
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    at = models.DateTimeField()
    # Trails are read per subject: no index on the actor (deleting a user with events is
    # refused by PROTECT anyway).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq}"

    @property
    def subject_id(self) -> Any:
        return getattr(self, f"{self.subject_field}_id")


# ------------------------------------------------------------------------------- the trail


def immutable_trail(table: str, noun: str, *, stem: str = "") -> migrations.RunPython:
    """The migration operation that makes ``table`` append-only on both databases: a trigger
    refuses UPDATE and DELETE (R-STATE-04). ``noun``: the trail's name in the error message
    ("dossier events"). Trigger and function names start with ``stem`` (the table's name by
    default; the app label for the trails written by hand before this helper)."""
    stem = stem or table
    function, trigger = f"{stem}_event_immutable", f"{stem}_event_no_change"
    pg = [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{noun} are immutable (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {function}();""",
    ]
    sqlite = [
        f"""CREATE TRIGGER {stem}_event_no_{op.lower()} BEFORE {op} ON {table}
    BEGIN SELECT RAISE(ABORT, '{noun} are immutable ({op} refused)'); END;"""
        for op in ("UPDATE", "DELETE")
    ]

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            statements = pg
        elif vendor == "sqlite":
            statements = sqlite
        else:
            raise RuntimeError(f"no immutability trigger for database vendor {vendor}")
        for statement in statements:
            schema_editor.execute(statement)

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        else:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {stem}_event_no_{op}")

    return migrations.RunPython(forwards, backwards)


# ------------------------------------------------------------------------------- the claim

M = TypeVar("M", bound=models.Model)


def claim(
    rows: QuerySet[M],
    *,
    from_states: Iterable[str],
    state_field: str = "state",
    version: int | None = None,
    **values: Any,
) -> int:
    """Write ``values`` to ``rows`` that are still in one of ``from_states`` (and at
    ``version`` when given, which is then advanced): one conditional UPDATE, the number of rows
    claimed in return. Zero means another request moved them first; nothing changed."""
    conditions: dict[str, Any] = {f"{state_field}__in": list(from_states)}
    if version is not None:
        conditions["version"] = version
        values.setdefault("version", F("version") + 1)
    return rows.filter(**conditions).update(**values)


# ------------------------------------------------------------------------------- reactions


@dataclass(frozen=True)
class Happened:
    """What the reactions receive: the events of one kind just written (or, for a set-based
    write, only their subjects), in the writer's transaction."""

    kind: str
    subject_ids: tuple[Any, ...]
    #: The events, when written through :func:`record`/:func:`record_many`; empty when
    #: written by a set-based statement and :func:`announce`-d.
    events: tuple[AuditedEvent, ...] = ()
    #: The subject as the writer holds it in memory (one event of one subject), if any.
    subject: Any = None
    #: What the writer knows that the reactions may use instead of reading it again (the
    #: receipt's context); None otherwise.
    context: Any = None


Reaction = Callable[[Happened], None]

_reactions: list[tuple[str, Reaction]] = []


def react(prefix: str, reaction: Reaction) -> None:
    """Run ``reaction`` for every event whose kind starts with ``prefix``. Called from an
    ``AppConfig.ready``; registering the same pair twice is a no-op."""
    if (prefix, reaction) not in _reactions:
        _reactions.append((prefix, reaction))


def reactions_for(kind: str) -> list[Reaction]:
    return [reaction for prefix, reaction in _reactions if kind.startswith(prefix)]


def dispatch(happened: Happened) -> None:
    for reaction in reactions_for(happened.kind):
        reaction(happened)


def next_seq(event_model: type[AuditedEvent], subject_id: Any) -> int:
    """The subject's next event number; the unique (subject, seq) constraint catches a race."""
    field = event_model.subject_field
    last = event_model._default_manager.filter(**{f"{field}_id": subject_id}).aggregate(
        m=Max("seq")
    )["m"]
    return (last or 0) + 1


E = TypeVar("E", bound=AuditedEvent)


def record(event: E, *, subject: Any = None, context: Any = None, written: bool = False) -> E:
    """Append ``event`` (numbered with the subject's next number unless ``seq`` is set) and run
    the reactions to its kind, in the caller's transaction. ``written``: the caller has
    inserted it already (with other rows, in one statement); only the reactions run."""
    if not written:
        if not event.seq:
            event.seq = next_seq(type(event), event.subject_id)
        event.save(force_insert=True)
    dispatch(
        Happened(
            kind=event.kind,
            subject_ids=(event.subject_id,),
            events=(event,),
            subject=subject,
            context=context,
        )
    )
    return event


def record_many(events: Sequence[E]) -> list[E]:
    """Append many events at once (numbered by the caller) and run the reactions once per kind
    with all of them."""
    if not events:
        return []
    written = type(events[0])._default_manager.bulk_create(events)
    by_kind: dict[str, list[E]] = defaultdict(list)
    for event in written:
        by_kind[event.kind].append(event)
    for kind, group in by_kind.items():
        dispatch(
            Happened(
                kind=kind,
                subject_ids=tuple(dict.fromkeys(e.subject_id for e in group)),
                events=tuple(group),
            )
        )
    return written


def announce(kind: str, subject_ids: Iterable[Any], *, context: Any = None) -> None:
    """Run the reactions to ``kind`` for subjects whose events a set-based statement wrote,
    or for a fact recorded outside a trail (a delivered outbox message)."""
    ids = tuple(dict.fromkeys(subject_ids))
    if ids:
        dispatch(Happened(kind=kind, subject_ids=ids, context=context))


@contextmanager
def reactions_off(*prefixes: str) -> Iterator[None]:
    """Run without the reactions registered for ``prefixes`` (all of them when none is given):
    a benchmark measures what they cost; an exchange test leaves out the indicators."""
    kept = [pair for pair in _reactions if prefixes and not pair[0].startswith(tuple(prefixes))]
    saved = list(_reactions)
    _reactions[:] = kept
    try:
        yield
    finally:
        _reactions[:] = saved
