"""Published open data over a known state: rollup counters with large and small counts,
petitions filed by named citizens, then one publication; and a live HTTP server on 127.0.0.1
that shares the test's database connection (so it sees the test's data on SQLite and
PostgreSQL alike, inside the test's transaction)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

from motcua.agencies.models import Unit, UnitKind
from motcua.core.clock import LOCAL_TZ
from motcua.insights.models import Rollup
from motcua.opendata import publish
from motcua.opendata.models import PublicationRun
from motcua.petitions.actions import PetitionContent, do_file_petition

TODAY = date(2026, 3, 10)
MONTH = date(2026, 3, 1)
PETITIONER = "Trương Văn Bình"
PETITIONER_PHONE = "0912345678"

#: Counters of commune A's People's Committee in March 2026: most are large, ``late``,
#: ``reused`` and ``unsatisfied`` are small (below the default threshold of 5).
COUNTS_A = {
    "received": 40,
    "ch_online": 25,
    "ch_counter": 15,
    "early": 6,
    "on_time": 30,
    "late": 2,
    "resolved": 38,
    "reused": 3,
    "digitized": 20,
    "rated": 7,
    "unsatisfied": 1,
}
COUNTS_B = {"received": 3, "ch_counter": 3, "on_time": 3, "resolved": 3}


@dataclass(frozen=True)
class Seeded:
    unit_a: Unit
    unit_b: Unit
    run: PublicationRun


def commune_pc(name: str) -> Unit:
    return Unit.objects.get(kind=UnitKind.COMMUNE_PC, commune__name=name)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=LOCAL_TZ), tick=False) as t:
        yield t


def seed_counters(unit: Unit, counts: dict[str, int], month: date = MONTH) -> None:
    Rollup.objects.bulk_create(
        Rollup(unit=unit, month=month, metric=m, value=v) for m, v in counts.items()
    )


@pytest.fixture
def seeded(db: None, clock: Any, settings: Any) -> Seeded:
    # A short history keeps the tests fast (one quarter of 766 figures, three months).
    settings.MOTCUA_OPENDATA_MONTHS = 3
    settings.MOTCUA_OPENDATA_QUARTERS = 1
    a, b = commune_pc("Phường Ninh Kiều"), commune_pc("Phường Cái Khế")
    seed_counters(a, COUNTS_A)
    seed_counters(b, COUNTS_B)
    for i in range(6):
        do_file_petition(
            PetitionContent(
                unit=a,
                kind="phan_anh",
                subject=f"Chậm trả kết quả {i}",
                content="Hồ sơ của tôi đã quá hẹn mà chưa nhận được kết quả.",
                name=PETITIONER,
                phone=PETITIONER_PHONE,
            ),
            acting_user=None,
        )
    run = publish.run(today=TODAY)
    return Seeded(a, b, run)


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class LiveSite:
    url: str


@pytest.fixture
def live_site(seeded: Seeded) -> Iterator[LiveSite]:
    """A single-threaded WSGI server in a thread, on a free loopback port, serving Django with
    the test's own connection (requests are served one at a time while the test waits)."""
    shared = connections["default"]
    shared.inc_thread_sharing()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server: WSGIServer = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)

    def serve() -> None:
        connections["default"] = shared
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield LiveSite(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        shared.dec_thread_sharing()
