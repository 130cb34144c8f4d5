"""The HTTP layer every adapter shares: configuration, timeouts, retries with backoff and jitter,
and a circuit breaker per national system (issue #7 item 2, R-XCH-01).

Configuration switches the base URL and key, never the implementation (STYLE): a province points
``MOTCUA_EXCHANGE_<SYSTEM>_URL`` at the real endpoint (or its LGSP, R-XCH-02). There is no fake
at runtime: a misconfigured system fails loudly with an :class:`ExchangeError`.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings

from motcua.core.clock import now
from motcua.exchange.errors import (
    CircuitOpen,
    ExchangeError,
    ExchangeInvalidResponse,
    ExchangeRejected,
    ExchangeTimeout,
    ExchangeUnavailable,
)

#: Seconds of the first in-call retry pause (interactive lookups only); doubled each time.
LOOKUP_BACKOFF_S = 0.2


@dataclass(frozen=True)
class Endpoint:
    """Where a national system lives and how long we wait for it."""

    system: str
    url: str
    key: str
    timeout_s: float


def endpoint(system: str) -> Endpoint:
    """The configured endpoint of ``system`` (settings ``MOTCUA_EXCHANGE``)."""
    config = settings.MOTCUA_EXCHANGE[system]
    return Endpoint(
        system=system,
        url=config["url"].rstrip("/"),
        key=config["key"],
        timeout_s=settings.MOTCUA_EXCHANGE_TIMEOUT_MS / 1000,
    )


# --------------------------------------------------------------------------- circuit breaker


@dataclass
class Breaker:
    """Opens after ``threshold`` consecutive failures; while open, calls fail at once with
    :class:`CircuitOpen` so a dead system costs no officer a timeout. After the cool-down one
    call is let through (half-open): success closes it, failure opens it again."""

    threshold: int
    cooldown: timedelta
    failures: int = 0
    open_until: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, system: str) -> None:
        with self._lock:
            if self.open_until is None:
                return
            if now() < self.open_until:
                raise CircuitOpen(system, "tạm ngắt sau nhiều lỗi liên tiếp")
            # Half-open: let this call probe; a failure re-opens at once.
            self.open_until = None
            self.failures = self.threshold - 1

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0
            self.open_until = None

    def failed(self) -> None:
        with self._lock:
            self.failures += 1
            if self.failures >= self.threshold:
                self.open_until = now() + self.cooldown

    def reopens_at(self) -> datetime | None:
        with self._lock:
            return self.open_until


class Breakers:
    """The breakers of this process, one per system (process state by nature: each worker
    judges for itself whether a system answers)."""

    def __init__(self) -> None:
        self._by_system: dict[str, Breaker] = {}
        self._lock = threading.Lock()

    def get(self, system: str) -> Breaker:
        with self._lock:
            if system not in self._by_system:
                self._by_system[system] = Breaker(
                    threshold=settings.MOTCUA_EXCHANGE_BREAKER_FAILURES,
                    cooldown=timedelta(seconds=settings.MOTCUA_EXCHANGE_BREAKER_COOLDOWN_S),
                )
            return self._by_system[system]

    def reset(self) -> None:
        with self._lock:
            self._by_system.clear()

    def open_systems(self) -> dict[str, datetime]:
        moment = now()
        with self._lock:
            breakers = dict(self._by_system)
        result = {}
        for system, breaker in breakers.items():
            until = breaker.reopens_at()
            if until is not None and until > moment:
                result[system] = until
        return result


breakers = Breakers()


# --------------------------------------------------------------------------- HTTP


class _Pool:
    """One pooled ``httpx.Client`` per endpoint (connections are reused across calls)."""

    def __init__(self) -> None:
        self._clients: dict[Endpoint, httpx.Client] = {}
        self._lock = threading.Lock()

    def client(self, target: Endpoint) -> httpx.Client:
        with self._lock:
            client = self._clients.get(target)
            if client is None:
                size = max(settings.MOTCUA_OUTBOX_CONCURRENCY, 4)
                client = httpx.Client(
                    base_url=target.url,
                    headers={"X-Api-Key": target.key, "User-Agent": "motcua-exchange/1"},
                    timeout=httpx.Timeout(target.timeout_s),
                    limits=httpx.Limits(max_connections=size, max_keepalive_connections=size),
                )
                self._clients[target] = client
            return client

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


pool = _Pool()


def _decode(system: str, response: httpx.Response, *, envelope: bool) -> dict[str, Any]:
    status = response.status_code
    if status == 504:
        raise ExchangeTimeout(system, "hệ thống trả lời hết thời gian chờ (504)")
    if status >= 500:
        raise ExchangeUnavailable(system, f"lỗi máy chủ HTTP {status}")
    if status in {401, 403}:
        # A wrong key is a configuration error: retried (the operator fixes the setting),
        # and the breaker opens so officers are not kept waiting meanwhile.
        raise ExchangeUnavailable(system, f"sai khóa truy cập (HTTP {status})")
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ExchangeInvalidResponse(system, "phản hồi không phải JSON hợp lệ") from None
    if not isinstance(body, dict) or (envelope and "error_code" not in body):
        raise ExchangeInvalidResponse(system, "phản hồi thiếu error_code")
    if status >= 400:
        raise ExchangeRejected(
            system, str(body.get("message", ""))[:300], error_code=str(body["error_code"])
        )
    return body


def call(
    system: str,
    method: str,
    path: str,
    *,
    body: object = None,
    params: dict[str, str] | None = None,
    idempotency_key: str | None = None,
    retries: int = 0,
    envelope: bool = True,
) -> dict[str, Any]:
    """One request to ``system`` with its timeout; ``retries`` more tries on a transient error
    (exponential backoff with jitter). Business replies (``error_code`` ≠ "0") are returned for
    the adapter to judge; transport failures raise :class:`ExchangeError`."""
    target = endpoint(system)
    breaker = breakers.get(system)
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    attempt = 0
    while True:
        breaker.check(system)
        try:
            response = pool.client(target).request(
                method, path, json=body, params=params, headers=headers
            )
            decoded = _decode(system, response, envelope=envelope)
        except httpx.TimeoutException:
            error: ExchangeError = ExchangeTimeout(system, f"quá {target.timeout_s:g} giây")
        except httpx.TransportError as exc:
            error = ExchangeUnavailable(system, f"không kết nối được ({type(exc).__name__})")
        except ExchangeRejected:
            breaker.succeeded()  # the system is up; it just said no
            raise
        except ExchangeError as exc:
            error = exc
        else:
            breaker.succeeded()
            return decoded
        breaker.failed()
        if attempt >= retries:
            raise error
        pause = LOOKUP_BACKOFF_S * (2**attempt)
        time.sleep(pause * random.uniform(0.5, 1.0))  # noqa: S311 - jitter, not a secret
        attempt += 1
