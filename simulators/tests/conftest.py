"""Start simulators as real subprocesses on 127.0.0.1 and talk HTTP to them (R-XCH-01)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 15.0
PAYMENT_SECRET = "test-payment-secret"


@dataclass
class SimProcess:
    """A running simulator: its base URL, key and process."""

    name: str
    url: str
    key: str
    process: subprocess.Popen[str]

    def client(self, *, key: str | None = None, timeout: float = 5.0) -> httpx.Client:
        """An HTTP client with the caller key (``key=""`` sends none)."""
        headers = {} if key == "" else {"X-Api-Key": key or self.key}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def stop(self) -> None:
        """Terminate the process and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_simulator(name: str, state_dir: Path) -> SimProcess:
    """``python -m simulators run NAME --port 0``; read its URL and poll /_sim/health."""
    env = {
        **os.environ,
        "MOTCUA_SIM_STATE_DIR": str(state_dir),
        "MOTCUA_SIM_TIMEOUT_SECONDS": "30",
        "MOTCUA_SIM_PAYMENT_SECRET": PAYMENT_SECRET,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators", "run", name, "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().split()
    if len(line) < 3:
        process.kill()
        pytest.fail(f"simulator {name} did not start: {line}")
    sim = SimProcess(name, line[1], line[2].removeprefix("X-Api-Key="), process)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            if httpx.get(f"{sim.url}/_sim/health", timeout=1.0).status_code == 200:
                return sim
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            sim.stop()
            pytest.fail(f"simulator {name} not healthy within {STARTUP_TIMEOUT_S}s")
        time.sleep(0.05)


@pytest.fixture(scope="session")
def sim_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str, Path | None], SimProcess]]:
    """Start simulators on demand; every one still running is stopped at the end."""
    started: list[SimProcess] = []

    def start(name: str, state_dir: Path | None = None) -> SimProcess:
        sim = start_simulator(name, state_dir or tmp_path_factory.mktemp(name))
        started.append(sim)
        return sim

    yield start
    for sim in started:  # terminate all first, then wait: they shut down in parallel
        if sim.process.poll() is None:
            sim.process.terminate()
    for sim in started:
        sim.stop()


@pytest.fixture(scope="session")
def portal(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The portal simulator, shared by the session."""
    return sim_factory("portal", None)


@pytest.fixture(scope="session")
def population(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The population simulator, shared by the session."""
    return sim_factory("population", None)


@pytest.fixture(scope="session")
def sms(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The SMS simulator, shared by the session."""
    return sim_factory("sms", None)


@pytest.fixture(scope="session")
def payment(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The payment simulator, shared by the session."""
    return sim_factory("payment", None)


@pytest.fixture(scope="session")
def business(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The business-registry simulator, shared by the session."""
    return sim_factory("business", None)


@pytest.fixture(scope="session")
def vneid(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The VNeID OpenID Connect provider, shared by the session."""
    return sim_factory("vneid", None)


@pytest.fixture(scope="session")
def civil_status(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The civil-status database simulator, shared by the session."""
    return sim_factory("civil_status", None)


@pytest.fixture(scope="session")
def land(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The land database simulator, shared by the session."""
    return sim_factory("land", None)


@pytest.fixture(scope="session")
def judicial(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    """The judicial-record database simulator, shared by the session."""
    return sim_factory("judicial", None)
