"""Payments talk HTTP to the real payment simulator (a subprocess on 127.0.0.1), with the test
secret; signed receipts and their CA go to temporary directories."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulators.tests.conftest import PAYMENT_SECRET, SimProcess, start_simulator


@pytest.fixture(scope="session")
def payment_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimProcess]:
    sim = start_simulator("payment", tmp_path_factory.mktemp("payment-sim"))
    yield sim
    sim.stop()


@pytest.fixture(autouse=True)
def _payment_secret(settings: Any) -> None:
    settings.MOTCUA_PAYMENT_SECRET = PAYMENT_SECRET


@pytest.fixture
def paygov(settings: Any, payment_sim: SimProcess) -> SimProcess:
    """Point the platform settings at the running simulator."""
    settings.MOTCUA_PAYMENT_URL = payment_sim.url
    settings.MOTCUA_PAYMENT_KEY = payment_sim.key
    return payment_sim


_COUNTER = iter(range(1, 10_000))


@pytest.fixture(autouse=True)
def _unique_dossier_codes(db: None) -> None:
    """The simulator keeps its transactions for the whole session while each test's database
    rolls back, so dossier codes (and with them MaThamChieu, R-PAY-09) would repeat across
    tests; start each test's sequence further on."""
    from motcua.agencies.models import Unit, UnitKind
    from motcua.core.clock import local_today
    from motcua.dossiers.models import DossierSequence

    unit = Unit.objects.get(commune__name="Phường Ninh Kiều", kind=UnitKind.COMMUNE_PSC)
    DossierSequence.objects.update_or_create(
        unit=unit, day=local_today(), defaults={"last": next(_COUNTER) * 20}
    )
