"""One real demo site for all browser tests: the simulated VNeID identity provider as its own
process, and a gunicorn demo server with its own SQLite database set up by `demo_setup`,
pointed at it; both on free loopback ports. Playwright drives Debian's chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class DemoServer:
    url: str
    env: dict[str, str]
    vneid_url: str = ""
    payment_url: str = ""

    def motcua(self, *args: str) -> str:
        """Run a `motcua` command against the server's database; return its output."""
        done = subprocess.run(
            [str(BIN / "motcua"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} did not answer {url} within {seconds:.0f} s")


def _stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _simulator(name: str, state: Path) -> tuple[subprocess.Popen[str], str]:
    """Start simulator ``name`` on a free port; its URL is the first line it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators", "run", name, "--port", "0"],
        cwd=ROOT,
        env={**os.environ, "MOTCUA_SIM_STATE_DIR": str(state), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    words = process.stdout.readline().split()
    if len(words) < 2:
        _stop(process)
        pytest.fail(f"the {name} simulator did not start: {words}")
    wait_for(f"{words[1]}/_sim/health", f"the {name} simulator")
    return process, words[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get.")
    vneid, vneid_url = _simulator("vneid", tmp_path_factory.mktemp("vneid-state"))
    server: subprocess.Popen[bytes] | None = None
    payment: subprocess.Popen[str] | None = None
    population: subprocess.Popen[str] | None = None
    try:
        # The national population database (issue #14 item 5): the counter looks people up.
        population, population_url = _simulator(
            "population", tmp_path_factory.mktemp("population-state")
        )
        # The national payment platform (issue #6 item 4): the citizen pays on its page.
        payment, payment_url = _simulator("payment", tmp_path_factory.mktemp("payment-state"))
        var = tmp_path_factory.mktemp("demo-var")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "MOTCUA_VAR_DIR": str(var),
            "MOTCUA_SQLITE_PATH": str(var / "demo.sqlite3"),
            "MOTCUA_PUBLIC_URL": url,
            "MOTCUA_TESTING": "0",
            "MOTCUA_LOG_LEVEL": "WARNING",
            "MOTCUA_VNEID_ISSUER": vneid_url,
            "MOTCUA_VNEID_CLIENT_ID": "motcua-dev",
            "MOTCUA_VNEID_CLIENT_SECRET": "motcua-dev-secret",
            "MOTCUA_PAYMENT_URL": payment_url,
            "MOTCUA_EXCHANGE_POPULATION_URL": population_url,
            # A tile source for the petition maps (issue #18): same-origin addresses that have
            # no tiles — the maps work (and are clicked) without pictures, fully offline.
            "MOTCUA_MAP_TILE_URL": "/static/petitions/no-tiles/{z}/{x}/{y}.png",
        }
        subprocess.run(
            [str(BIN / "motcua"), "demo_setup", "--url", url],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=600,  # demo_setup also builds the assistant index (issue #14 item 9)
        )
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(f"{url}/healthz", "the demo server")
        yield DemoServer(url=url, env=env, vneid_url=vneid_url, payment_url=payment_url)
    finally:
        if server is not None:
            _stop(server)
        if payment is not None:
            _stop(payment)
        if population is not None:
            _stop(population)
        _stop(vneid)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium per module: Playwright's event loop closes with it (see conftest.py)."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
