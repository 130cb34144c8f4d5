"""core.rawsql.insert_together: new rows of several tables in one statement on PostgreSQL, as
bulk_create would write them, keys handed back to the instances, all or nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core.models import BenchProbe, OutboxMessage
from motcua.core.rawsql import insert_together

pytestmark = pytest.mark.django_db


def _message(n: int, key: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        topic="test.topic",
        key=f"K{n}",
        payload={"n": n, "text": "Giấy khai sinh"},
        idempotency_key=key or f"test:{n}",
        next_attempt_at=timezone.now(),
    )


def test_rows_of_two_tables_are_written_with_their_keys_and_defaults() -> None:
    messages = [_message(n) for n in range(3)]
    probes = [BenchProbe(note=f"p{n}") for n in range(2)]
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        insert_together(messages, probes)
        statements = [q["sql"] for q in captured]
    writes = [s for s in statements if "INSERT INTO" in s]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 2)
    # Every instance got the key of its own row, in order.
    for m in messages:
        stored = OutboxMessage.objects.get(pk=m.pk)
        assert (stored.key, stored.payload["n"], stored.status) == (
            m.key,
            m.payload["n"],
            "pending",
        )
        assert stored.created_at is not None
        assert m.created_at == stored.created_at  # auto_now_add, as bulk_create sets it
        assert not m._state.adding
    assert [BenchProbe.objects.get(pk=p.pk).note for p in probes] == ["p0", "p1"]


def test_a_failing_row_writes_nothing_of_any_table() -> None:
    OutboxMessage.objects.bulk_create([_message(9, key="test:taken")])
    before = (OutboxMessage.objects.count(), BenchProbe.objects.count())
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together([BenchProbe(note="x")], [_message(1), _message(2, key="test:taken")])
    assert (OutboxMessage.objects.count(), BenchProbe.objects.count()) == before


def test_a_batch_with_only_some_keys_set_is_refused() -> None:
    with pytest.raises(ValueError, match="some primary keys"):
        insert_together([BenchProbe(id=10**9, note="a"), BenchProbe(note="b")], [_message(1)])


def test_held_writes_wait_for_the_caller_and_write_runs_them_as_one() -> None:
    """rawsql.held(): a hook's writes are collected, not run, so that the caller can send them
    with a statement of its own (the dossier number); rawsql.write runs them in order."""
    from motcua.core import rawsql

    table = BenchProbe._meta.db_table
    statements = [
        (f"INSERT INTO {table} (created_at, note) VALUES (%s, %s)", [timezone.now(), n])
        for n in ("h1", "h2")
    ]
    with transaction.atomic():
        with rawsql.held() as pending:
            rawsql.write(statements)
            assert not BenchProbe.objects.filter(note__in=["h1", "h2"]).exists()
            with pytest.raises(RuntimeError, match="do not nest"), rawsql.held():
                pass
        assert pending == statements
        with CaptureQueriesContext(connection) as captured:
            rawsql.write(pending)
            writes = [q["sql"] for q in captured if "INSERT INTO" in q["sql"]]
        assert len(writes) == (1 if connection.vendor == "postgresql" else 2)
        assert sorted(
            BenchProbe.objects.filter(note__in=["h1", "h2"]).values_list("note", flat=True)
        ) == ["h1", "h2"]


def _columns(message: OutboxMessage) -> tuple[object, ...]:
    return (
        message.topic,
        message.key,
        message.payload,
        message.status,
        message.attempts,
        message.next_attempt_at,
        message.last_error,
        message.delivered_at,
    )


def test_rows_read_back_exactly_as_bulk_create_writes_them() -> None:
    """The lean INSERT (PostgreSQL) prepares each value as Django's compiler does: JSON with
    Vietnamese text and nested lists, defaults, timestamps."""
    moment = timezone.now()
    payload = {"MaHoSo": "H92-261203-0001", "TenTTHC": "Đăng ký khai sinh", "DS": [[1, "ạ"], []]}

    def make(key: str) -> OutboxMessage:
        return OutboxMessage(
            topic="portal.step",
            key="K",
            payload=payload,
            idempotency_key=key,
            next_attempt_at=moment,
        )

    ours, django = make("ours"), make("django")
    insert_together([ours])
    OutboxMessage.objects.bulk_create([django])
    assert ours.pk is not None
    stored_ours = OutboxMessage.objects.get(pk=ours.pk)
    stored_django = OutboxMessage.objects.get(pk=django.pk)
    assert _columns(stored_ours) == _columns(stored_django)
    assert stored_ours.payload["TenTTHC"] == "Đăng ký khai sinh"


def test_an_expression_value_goes_through_django_s_compiler() -> None:
    from django.db.models import Value

    probe = BenchProbe(note=Value("từ biểu thức"))
    other = BenchProbe(note="thường")
    insert_together([probe, other])
    assert BenchProbe.objects.get(pk=probe.pk).note == "từ biểu thức"
    assert BenchProbe.objects.get(pk=other.pk).note == "thường"
