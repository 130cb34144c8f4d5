"""Raw SQL shared by the apps: UUID parameters, gap-free day counters (dossier codes per unit,
petition codes per province), and new rows of several tables in one statement.

For the counters, one ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` is atomic on PostgreSQL
and SQLite alike, so two writers never get the same number; and the increment commits or rolls
back with the record that uses it, so no number is lost.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import DataError, connection
from django.db.models import CharField, Model
from django.db.models.sql import InsertQuery


def db_uuid(value: uuid.UUID) -> Any:
    """A UUID as a raw SQL parameter: Django stores it as 32 hex digits on SQLite."""
    return value.hex if connection.vendor == "sqlite" else value


def next_number_sql(table: str, owner_column: str) -> str:
    """The counter's statement (parameters: ``number_params``), returning ``last``; usable as
    a ``WITH`` clause on PostgreSQL."""
    return (
        f"INSERT INTO {table} ({owner_column}, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - our own names
        f"ON CONFLICT ({owner_column}, day) DO UPDATE SET last = {table}.last + 1 "
        "RETURNING last"
    )


def number_params(owner: Any, day: date) -> list[Any]:
    return [db_uuid(owner) if isinstance(owner, uuid.UUID) else owner, day]


def next_number(table: str, owner_column: str, owner: Any, day: date) -> int:
    """The next number of ``owner`` on ``day`` in ``table`` (columns owner, ``day``, ``last``;
    unique on owner and day). Call inside the transaction that uses the number."""
    with connection.cursor() as cursor:
        cursor.execute(next_number_sql(table, owner_column), number_params(owner, day))
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def insert_together(*batches: Sequence[Model]) -> None:
    """Insert new model instances, several tables at once: on PostgreSQL in ONE statement
    (data-modifying ``WITH`` clauses), elsewhere one ``bulk_create`` per batch, in order.

    Each batch is a list of instances of one model, written as ``bulk_create`` would write them
    (every concrete field, ``pre_save`` for ``auto_now``, the field's own preparation of each
    value; ``_insert_sql``); like ``bulk_create``, no ``save()`` and no signals. Automatic
    primary keys come back by ``RETURNING`` and are set on the instances; related objects must
    have their keys when they are assigned (a UUID set at construction is). Foreign keys
    between the batches are fine: Django's constraints are deferred to the COMMIT. Call inside
    the caller's transaction.
    """
    batches = tuple(batch for batch in batches if batch)
    if not batches:
        return
    for batch in batches:
        check_ranges(batch)
        keyed = batch[0].pk is not None
        if not all((obj.pk is not None) == keyed for obj in batch):
            raise ValueError("insert_together: a batch has some primary keys set, not all")
    if connection.vendor != "postgresql":
        for batch in batches:
            type(batch[0])._default_manager.bulk_create(batch)
        return
    clauses: list[str] = []
    params: list[Any] = []
    unkeyed: list[int] = []  # batches whose automatic keys come back by RETURNING
    for index, batch in enumerate(batches):
        model = type(batch[0])
        opts = model._meta
        keyed = batch[0].pk is not None
        fields = [
            f for f in opts.concrete_fields if not f.generated and (keyed or f is not opts.pk)
        ]
        if not keyed:
            unkeyed.append(index)
        sql, sql_params = _insert_sql(model, fields, batch, returning=not keyed)
        clauses.append(f"w{index} AS ({sql})")
        params.extend(sql_params)
    statement = _together(batches, clauses, unkeyed)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        returned = cursor.fetchall() if unkeyed else []
    keys: dict[int, list[Any]] = {i: [] for i in unkeyed}
    for row in returned:
        index, pk = (0, row[0]) if len(batches) == 1 else row
        keys[index].append(pk)
    for index in unkeyed:
        for obj, pk in zip(batches[index], keys[index], strict=True):
            obj.pk = pk
    for batch in batches:
        for obj in batch:
            obj._state.adding = False
            obj._state.db = connection.alias


#: The range of each integer column type, as PostgreSQL (production) holds it; SQLite is held to
#: the same ranges so that both databases accept and refuse the same values.
INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


def check_ranges(batch: Sequence[Model]) -> None:
    """Refuse, before anything is written, a value its column cannot hold (issue #12 item 4):
    an integer outside the column's range and a text longer than its ``max_length``. On
    PostgreSQL with server-side binding a prepared value can otherwise wrap around a 32-bit
    column (4294967301 stored as 5), and SQLite stores any size: both databases now refuse
    alike, with the error PostgreSQL gives without binding."""
    opts = batch[0]._meta
    for field in opts.concrete_fields:
        bounds = INTEGER_RANGES.get(field.get_internal_type())
        if bounds is not None:
            low, high = bounds
            for obj in batch:
                value = getattr(obj, field.attname)
                if isinstance(value, int) and not low <= value <= high:
                    raise DataError(f"{opts.db_table}.{field.column}: {value} out of range")
        elif isinstance(field, CharField) and field.max_length:
            for obj in batch:
                value = getattr(obj, field.attname)
                if isinstance(value, str) and len(value) > field.max_length:
                    raise DataError(
                        f"{opts.db_table}.{field.column}: {len(value)} characters "
                        f"> {field.max_length}"
                    )


def _together(batches: Sequence[Sequence[Model]], clauses: list[str], unkeyed: list[int]) -> str:
    """One batch: its INSERT. Several: the clauses, and a main query that hands back the new
    keys, batch by batch, in the order of the rows (as bulk_create relies on for a multi-row
    INSERT … RETURNING); with none to hand back, it only has to name the clauses (PostgreSQL
    runs every data-modifying clause anyway)."""
    if len(batches) == 1:
        return clauses[0].removeprefix("w0 AS (").removesuffix(")")
    quote = connection.ops.quote_name
    main = " UNION ALL ".join(
        f"SELECT {i}, {quote(batches[i][0]._meta.pk.column)} FROM w{i}"  # noqa: S608 - model names
        for i in unkeyed
    )
    return "WITH " + ", ".join(clauses) + " " + (main or "SELECT 1")


def _insert_sql(
    model: type[Model], fields: list[Any], batch: Sequence[Model], *, returning: bool
) -> tuple[str, list[Any]]:
    """``INSERT INTO t (…) VALUES (…), (…) [RETURNING pk]`` for ``batch``: what Django's insert
    compiler produces for plain values, without its general machinery (on PostgreSQL Django
    5.2 sends multi-row inserts as ``UNNEST`` of one array per column, which psycopg escapes
    element by element in Python). A value that is an expression (a database default, ``F()``)
    goes through Django's compiler instead."""
    params: list[Any] = []
    for obj in batch:
        for field in fields:
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                query = InsertQuery(model)
                query.insert_values(fields, list(batch))
                compiler = query.get_compiler(connection=connection)
                if returning:
                    compiler.returning_fields = [model._meta.pk]
                ((sql, compiled),) = compiler.as_sql()
                return sql, list(compiled)
            params.append(field.get_db_prep_save(value, connection))
    head = _INSERT_HEADS.get((model, len(fields)))
    if head is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
        _INSERT_HEADS[(model, len(fields))] = head
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}" if returning else ""
    return head + ", ".join([row] * len(batch)) + tail, params


#: The start of a model's INSERT, by (model, number of fields: with or without its key).
_INSERT_HEADS: dict[tuple[type[Model], int], str] = {}


Statement = tuple[str, list[Any]]

#: PostgreSQL takes at most 65,535 parameters per statement; joined statements stay well below.
JOIN_PARAMS_LIMIT = 30000

_held = threading.local()


def write(statements: Sequence[Statement]) -> None:
    """Run write statements that touch different rows (e.g. one per table), in order. On
    PostgreSQL they go as ONE statement (data-modifying ``WITH`` clauses, each executed exactly
    once, which is why no two may touch the same row): one round trip instead of one per table.
    A large batch (a rebuild) stays below the parameter limit by running one by one. Inside
    ``held()`` they are kept for the caller instead (see there)."""
    if not statements:
        return
    pending: list[Statement] | None = getattr(_held, "pending", None)
    if pending is not None:
        pending.extend(statements)
        return
    with connection.cursor() as cursor:
        if (
            connection.vendor == "postgresql"
            and len(statements) > 1
            and sum(len(params) for _, params in statements) < JOIN_PARAMS_LIMIT
        ):
            cursor.execute(*joined(statements[:-1], statements[-1]))
            return
        for sql, params in statements:
            cursor.execute(sql, params)


def joined(clauses: Sequence[Statement], main: Statement) -> Statement:
    """``WITH w0 AS (…), w1 AS (…) <main>`` with the parameters in order (PostgreSQL)."""
    if not clauses:
        return main
    head = ", ".join(f"w{i} AS ({sql})" for i, (sql, _) in enumerate(clauses))
    return f"WITH {head} {main[0]}", [p for _, params in [*clauses, main] for p in params]


@contextmanager
def held() -> Iterator[list[Statement]]:
    """The statements given to ``write`` inside the block are not run: they are collected in
    the yielded list, for the caller to send with a statement of its own (one round trip) or
    with ``write``. Per thread; blocks do not nest."""
    if getattr(_held, "pending", None) is not None:
        raise RuntimeError("rawsql.held() blocks do not nest")
    pending: list[Statement] = []
    _held.pending = pending
    try:
        yield pending
    finally:
        _held.pending = None
