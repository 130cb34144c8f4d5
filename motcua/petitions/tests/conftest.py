from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import close_old_connections, connections
from django.test.testcases import QuietWSGIRequestHandler

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.clock import LOCAL_TZ
from motcua.petitions.actions import PetitionContent, do_file_petition
from motcua.petitions.models import Petition


def local(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def traveller() -> Iterator[Any]:
    """Tuesday 10 March 2026, 09:00 local time; tests move on with ``traveller.move_to``."""
    with time_machine.travel(local(3, 10), tick=False) as t:
        yield t


def file(unit: Unit, *, citizen: User | None = None, phone: str = "0901234567") -> Petition:
    return do_file_petition(
        PetitionContent(
            unit=unit,
            kind="phan_anh",
            subject="Chậm trả kết quả",
            content="Hồ sơ của tôi đã quá hẹn mà chưa nhận được kết quả.",
            name="Nguyễn Thị An",
            phone=phone,
        ),
        acting_user=citizen,
    )


# A live server for third-party clients (georeport, the hotline simulator): it runs in a thread
# on the test's own database connection (as Django's test client does), so it sees the seeded
# province inside the test's transaction and nothing is committed or flushed.


class _SharedConnectionServer(ThreadedWSGIServer):
    def _close_connections(self) -> None:
        """Keep the test's connection open: it holds the test's transaction."""


@pytest.fixture
def live_url() -> Iterator[str]:
    shared = connections["default"]  # the wrapper itself, not the thread-local proxy
    shared.inc_thread_sharing()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    server = _SharedConnectionServer(
        ("127.0.0.1", 0),
        QuietWSGIRequestHandler,
        allow_reuse_address=False,
        connections_override={"default": shared},
    )
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/open311/v2"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        shared.dec_thread_sharing()
