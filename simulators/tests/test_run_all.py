"""``python -m simulators run-all``: every simulator comes up, SIGTERM stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from simulators.base import env_name
from simulators.run import SIMULATORS
from simulators.tests.conftest import ROOT

# A bound on waiting, not a speed check: eleven processes import FastAPI at once on a 2-core
# machine that may be busy with the rest of the suite (seen: all healthy in ~40 s at load 15).
STARTUP_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0


def free_ports(n: int) -> list[int]:
    sockets = []
    for _ in range(n):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    ports = [s.getsockname()[1] for s in sockets]
    for sock in sockets:
        sock.close()
    return ports


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_all_starts_every_simulator_and_stops_them(tmp_path: Path) -> None:
    ports = dict(zip(SIMULATORS, free_ports(len(SIMULATORS)), strict=True))
    env = {
        **os.environ,
        "MOTCUA_SIM_STATE_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        **{f"MOTCUA_SIM_PORT_{env_name(name)}": str(port) for name, port in ports.items()},
    }
    parent = subprocess.Popen(
        [sys.executable, "-m", "simulators", "run-all"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    pids: dict[str, int] = {}
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while len(pids) < len(ports):
            assert parent.poll() is None, "run-all exited early"
            assert time.monotonic() < deadline, f"not healthy: {set(ports) - set(pids)}"
            for name, port in ports.items():
                if name in pids:
                    continue
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/_sim/health", timeout=1.0)
                except httpx.TransportError:
                    continue
                assert health.json()["simulator"] == name
                pids[name] = health.json()["pid"]
            time.sleep(0.05)
        assert len(set(pids.values())) == len(ports)  # one process each
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=STOP_TIMEOUT_S) == 0
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while any(alive(pid) for pid in pids.values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [name for name, pid in pids.items() if alive(pid)]
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in pids.values():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
