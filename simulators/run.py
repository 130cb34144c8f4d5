"""Start simulators: ``python -m simulators run-all`` or ``python -m simulators run NAME``.

Every simulator runs in its own process bound to 127.0.0.1 (R-XCH-01). Ports default to the
table below and are overridden by ``MOTCUA_SIM_PORT_<NAME>`` or ``--port`` (``--port 0`` picks a
free port; the chosen URL is printed as the first line, which the tests read).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

import uvicorn

from simulators.base import api_key_for, env_name, state_dir

HOST = "127.0.0.1"

#: name → (module, default port)
SIMULATORS: dict[str, tuple[str, int]] = {
    "portal": ("simulators.portal", 8101),
    "population": ("simulators.population", 8102),
    "sms": ("simulators.sms", 8103),
    "payment": ("simulators.payment", 8104),
    "business": ("simulators.business", 8105),
    "vneid": ("simulators.vneid", 8106),
    "civil_status": ("simulators.civil_status", 8107),
    "land": ("simulators.land", 8108),
    "judicial": ("simulators.judicial", 8109),
    "hotline": ("simulators.hotline", 8110),
    "docaxis": ("simulators.docaxis", 8111),
}


def port_for(name: str) -> int:
    """The configured port of simulator ``name``."""
    return int(os.environ.get(f"MOTCUA_SIM_PORT_{env_name(name)}", SIMULATORS[name][1]))


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_one(name: str, port: int | None) -> None:
    """Serve one simulator in this process until SIGINT/SIGTERM."""
    module = importlib.import_module(SIMULATORS[name][0])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by connections
    sock.bind((HOST, port_for(name) if port is None else port))
    actual = sock.getsockname()[1]
    _out(f"{name} http://{HOST}:{actual} X-Api-Key={api_key_for(name)} state={state_dir()}")
    config = uvicorn.Config(
        module.app,
        log_level=os.environ.get("MOTCUA_SIM_LOG_LEVEL", "warning"),
        timeout_graceful_shutdown=1,
        access_log=False,
    )
    uvicorn.Server(config).run(sockets=[sock])


def run_all(names: list[str]) -> int:
    """Start each simulator as a child process; stop them all on SIGINT/SIGTERM."""
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name in names:
        children.append(subprocess.Popen([sys.executable, "-m", "simulators", "run", name]))
    try:
        while not stopping:
            if any(child.poll() is not None for child in children):
                _out("a simulator exited; stopping the others")
                break
            time.sleep(0.2)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 5
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m simulators")
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("run", help="run one simulator")
    one.add_argument("name", choices=sorted(SIMULATORS))
    one.add_argument("--port", type=int, default=None)
    every = sub.add_parser("run-all", help="run every simulator, each in its own process")
    every.add_argument("--only", nargs="*", choices=sorted(SIMULATORS), default=None)
    sub.add_parser("list", help="list simulators and their ports")
    args = parser.parse_args(argv)
    if args.command == "run":
        run_one(args.name, args.port)
        return 0
    if args.command == "list":
        for name in SIMULATORS:
            _out(f"{name} http://{HOST}:{port_for(name)}")
        return 0
    return run_all(args.only or list(SIMULATORS))
