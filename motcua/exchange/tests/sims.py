"""Simulated national systems for the platform's tests: real subprocesses on 127.0.0.1, spoken
to over HTTP (R-XCH-01). Started once per session on free ports, reusing the simulators' own
start-up helper; a test points the exchange settings at them with the ``national`` fixture.

    def test_it(national: National) -> None:
        portal = national.use("portal")          # settings now point at the simulator
        portal.inject("error", times=1)         # POST /_sim/faults
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from motcua.exchange.http import breakers
from simulators.tests.conftest import SimProcess, start_simulator


class Sim:
    """A running simulator as a test sees it."""

    def __init__(self, process: SimProcess) -> None:
        self.process = process
        self.url = process.url
        self.key = process.key
        self.http = httpx.Client(base_url=self.url, headers={"X-Api-Key": self.key}, timeout=10)

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def inject(
        self, fault: str, *, rate: float = 1.0, times: int | None = None, path: str | None = None
    ) -> None:
        body: dict[str, Any] = {"fault": fault, "rate": rate}
        if times is not None:
            body["times"] = times
        if path is not None:
            body["path_prefix"] = path
        response = self.http.post("/_sim/faults", json=body)
        response.raise_for_status()

    def clear(self) -> None:
        self.http.delete("/_sim/faults")

    def received(self, code: str) -> dict[str, Any]:
        """The portal simulator's own record of one dossier (counts per status)."""
        result: dict[str, Any] = self.get("/_sim/received", MaHoSo=code)
        return result


class Pool:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.running: dict[str, Sim] = {}
        self.extra: list[SimProcess] = []

    def get(self, name: str) -> Sim:
        if name not in self.running:
            state = self.base / name
            state.mkdir(parents=True, exist_ok=True)
            self.running[name] = Sim(start_simulator(name, state))
        return self.running[name]

    def fresh(self, name: str) -> Sim:
        """A new process with empty state (when a test needs the portal to know nothing)."""
        state = self.base / f"{name}-{len(self.extra)}"
        state.mkdir(parents=True)
        process = start_simulator(name, state)
        self.extra.append(process)
        return Sim(process)

    def stop(self) -> None:
        processes = [s.process for s in self.running.values()] + self.extra
        for p in processes:
            if p.process.poll() is None:
                p.process.terminate()
        for p in processes:
            p.stop()


@pytest.fixture(scope="session")
def sim_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pool]:
    pool = Pool(tmp_path_factory.mktemp("national"))
    yield pool
    pool.stop()


class National:
    """Per test: which simulators the exchange settings point at."""

    def __init__(self, pool: Pool, settings: SettingsWrapper) -> None:
        self.pool = pool
        self.settings = settings
        self.used: list[Sim] = []

    def _point(self, name: str, sim: Sim) -> Sim:
        config = {k: dict(v) for k, v in self.settings.MOTCUA_EXCHANGE.items()}
        config[name] = {"url": sim.url, "key": sim.key}
        self.settings.MOTCUA_EXCHANGE = config
        sim.clear()
        self.used.append(sim)
        return sim

    def use(self, name: str) -> Sim:
        return self._point(name, self.pool.get(name))

    def fresh(self, name: str) -> Sim:
        return self._point(name, self.pool.fresh(name))


@pytest.fixture
def national(sim_pool: Pool, settings: SettingsWrapper) -> Iterator[National]:
    """Point the exchange at the simulators; breakers start closed and faults cleared."""
    settings.MOTCUA_OUTBOX_BACKOFF_BASE_S = 1
    breakers.reset()
    nat = National(sim_pool, settings)
    yield nat
    for sim in nat.used:
        sim.clear()
    breakers.reset()
