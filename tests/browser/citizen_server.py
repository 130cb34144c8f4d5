"""A demo server wired to a real VNeID simulator, for the citizen browser tests.

The shared ``demo_server`` (conftest) knows nothing of VNeID, so the citizen tests start their
own pair: ``python -m simulators run vneid --port 0`` and a gunicorn demo server whose
``MOTCUA_VNEID_ISSUER`` points at it. Both test modules share one pair per session.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.conftest import BIN, CHROMIUM, ROOT, DemoServer, _free_port

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOT_DIR", str(ROOT / "var" / "screenshots")))


@dataclass(frozen=True)
class CitizenSite:
    server: DemoServer
    vneid_url: str

    @property
    def url(self) -> str:
        return self.server.url


_SITE: dict[str, CitizenSite] = {}
_PROCESSES: list[subprocess.Popen[bytes] | subprocess.Popen[str]] = []


def _wait(url: str, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} did not answer {url} within 60 s")


def _start(tmp: pytest.TempPathFactory) -> CitizenSite:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get.")
    SHOTS.mkdir(parents=True, exist_ok=True)
    state = tmp.mktemp("vneid-state")
    sim = subprocess.Popen(
        [sys.executable, "-m", "simulators", "run", "vneid", "--port", "0"],
        cwd=ROOT,
        env={**os.environ, "MOTCUA_SIM_STATE_DIR": str(state), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        text=True,
    )
    _PROCESSES.append(sim)
    assert sim.stdout is not None
    words = sim.stdout.readline().split()
    if len(words) < 2:
        pytest.fail(f"the VNeID simulator did not start: {words}")
    vneid_url = words[1]
    _wait(f"{vneid_url}/_sim/health", "the VNeID simulator")

    var = tmp.mktemp("citizen-var")
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
    }
    subprocess.run(
        [str(BIN / "motcua"), "demo_setup", "--url", url],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _PROCESSES.append(server)
    _wait(f"{url}/healthz", "the demo server")
    return CitizenSite(server=DemoServer(url=url, env=env), vneid_url=vneid_url)


def _stop() -> None:
    while _PROCESSES:
        process = _PROCESSES.pop()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    _SITE.clear()


def citizen_site(tmp: pytest.TempPathFactory, request: pytest.FixtureRequest) -> CitizenSite:
    """The session's pair, started on first use; stopped when the session ends."""
    if "site" not in _SITE:
        request.addfinalizer(_stop)
        try:
            _SITE["site"] = _start(tmp)
        except BaseException:
            _stop()
            raise
    return _SITE["site"]


def launch() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()
