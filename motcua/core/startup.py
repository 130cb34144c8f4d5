"""The worker's start-up order: a scheduled job that calls a national system first runs once
that system answers (issue #12, "a fresh ``make demo`` … without a single error from its first
minute").

``make demo`` (honcho) starts the web server, the worker and the simulators at the same moment;
the worker's polls of the document axis (every 30 s, from boot) used to run before the
simulators listened, and logged a refused connection for each body, 16 warnings. A
newcomer reads those as errors. Now a job that needs a system (``config.jobs.NEEDS``) is held
back, without holding back any other job, until the system's port accepts a connection, at most
``MOTCUA_WORKER_DEPENDENCY_WAIT_S`` seconds after boot. The worker says so in one line when it
starts waiting and one when the systems answer. After the first run, or once the wait is over,
nothing is checked any more: a system that is down later is an outage, and the job reports it
as before. The outbox is not gated: a refused delivery is retried with its backoff and logs
nothing until it becomes a dead letter.

Only whether the port accepts a TCP connection is checked (no request, no key): the simulators'
and a real endpoint's readiness alike, without a protocol of our own.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

#: Seconds one connection attempt may take (the systems are on the loopback or the LAN).
CONNECT_TIMEOUT_S = 0.25


def address(url: str) -> tuple[str, int]:
    """Host and port of a base URL (the scheme's default port when none is given)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "127.0.0.1", port


def answers(url: str, timeout: float = CONNECT_TIMEOUT_S) -> bool:
    """True when the host of ``url`` accepts a TCP connection on its port."""
    try:
        with socket.create_connection(address(url), timeout=timeout):
            return True
    except OSError:
        return False


class DependencyGate:
    """Which scheduled jobs may run yet. ``needs`` maps a job's dotted path to the systems it
    calls; ``urls`` maps a system to its base URL; the gate is open for a job once each of its
    systems answered once, or once ``wait_s`` seconds passed since the gate was made."""

    def __init__(
        self,
        needs: Mapping[str, tuple[str, ...]],
        urls: Mapping[str, str],
        wait_s: float,
        *,
        say: Callable[[str], None] = print,
        probe: Callable[[str], bool] = answers,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.needs = {job: tuple(systems) for job, systems in needs.items() if systems}
        self.urls = dict(urls)
        self.wait_s = wait_s
        self.say = say
        self.probe = probe
        self.clock = clock
        self.started = clock()
        self.answered: set[str] = set()
        self.waiting_said = False
        self.done = not self.needs or wait_s <= 0

    def _missing(self, systems: tuple[str, ...]) -> list[str]:
        for system in systems:
            if system not in self.answered and (
                system not in self.urls or self.probe(self.urls[system])
            ):
                self.answered.add(system)  # an unconfigured system is not waited for
        return [s for s in systems if s not in self.answered]

    def ready(self, job: str) -> bool:
        """May ``job`` run now? Checks the job's systems that have not answered yet."""
        if self.done or job not in self.needs:
            return True
        missing = self._missing(self.needs[job])
        waited = self.clock() - self.started
        if not missing:
            if self.waiting_said and not self._missing(self._all_systems()):
                self.say(f"worker: the national systems answer after {waited:.1f} s")
                self.done = True
            return True
        if waited >= self.wait_s:
            self.say(
                f"worker: {', '.join(sorted(missing))} still not answering after "
                f"{self.wait_s:g} s; their jobs start anyway"
            )
            self.done = True
            return True
        if not self.waiting_said:
            self.say(
                f"worker: waiting for {', '.join(sorted(missing))} to answer before the first "
                f"call (at most {self.wait_s:g} s)"
            )
            self.waiting_said = True
        return False

    def _all_systems(self) -> tuple[str, ...]:
        return tuple(sorted({s for systems in self.needs.values() for s in systems}))
