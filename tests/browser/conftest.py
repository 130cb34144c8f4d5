"""A real demo server for browser tests: its own SQLite database set up by `demo_setup`, served
by gunicorn on a free loopback port, driven by Playwright with Debian's chromium."""

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

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass(frozen=True)
class DemoServer:
    url: str
    env: dict[str, str]

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


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get.")
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
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("the demo server did not answer /healthz within 60 s")
        yield DemoServer(url=url, env=env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
