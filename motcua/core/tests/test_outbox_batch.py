"""``outbox.batched()``: the messages of a block are written together, or not at all."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core.models import OutboxMessage
from motcua.core.outbox import batched, enqueue

pytestmark = pytest.mark.django_db


def _send(n: int) -> None:
    enqueue(topic="sms.send", key="K", payload={"n": n}, idempotency_key=f"batch-test:{n}")


def test_a_block_writes_its_messages_in_one_insert_when_it_ends() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with batched():
            _send(1)
            with batched():  # nested: joins the outer block
                _send(2)
            assert not OutboxMessage.objects.filter(key="K").exists()  # nothing written yet
        inserts = [q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]
        assert len(inserts) == 1
        assert "core_outboxmessage" in inserts[0]["sql"]
        assert sorted(
            OutboxMessage.objects.filter(key="K").values_list("idempotency_key", flat=True)
        ) == ["batch-test:1", "batch-test:2"]


def _fail_in_a_block() -> None:
    with batched():
        _send(3)
        raise ValueError("refused")


def test_an_exception_in_the_block_writes_nothing_and_the_next_block_starts_clean() -> None:
    with transaction.atomic():
        with pytest.raises(ValueError, match="refused"):
            _fail_in_a_block()
        assert not OutboxMessage.objects.filter(key="K").exists()
        _send(4)  # outside any block: written at once
        assert OutboxMessage.objects.filter(idempotency_key="batch-test:4").exists()
