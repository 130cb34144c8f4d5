"""Outbox topics and their handlers: what ``outbox`` delivers with and ``handlers`` (and other
apps) register into. A module of its own so that neither imports the other (issue #13)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Envelope:
    """What a handler gets: the message's data, never the model (handlers run in threads that
    must not touch the database)."""

    id: int
    topic: str
    key: str
    payload: dict[str, Any]
    idempotency_key: str
    attempts: int


Handler = Callable[[Envelope], None]


@dataclass(frozen=True)
class Route:
    topic: str
    handler: Handler
    system: str
    ordered: bool


_routes: dict[str, Route] = {}


def register_handler(topic: str, handler: Handler, *, system: str, ordered: bool = False) -> None:
    """Deliver messages of ``topic`` with ``handler``, which raises ``ExchangeError`` on
    failure. ``system`` names the circuit breaker consulted before claiming; ``ordered`` makes a
    dead letter hold back the later messages of the same key."""
    _routes[topic] = Route(topic, handler, system, ordered)


__all__ = ["Envelope", "Handler", "Route", "register_handler"]
