"""Actions own their transaction (issue #13 item 5, docs/decisions/0018).

``@action`` makes a public write (``do_<verb>_<noun>``) run in ``transaction.atomic(durable=True)``:
its writes, its events (``core.events.record``, which runs the reactions) and its outbox messages
commit together when it returns, and calling it inside another transaction is a ``RuntimeError``
instead of a silent savepoint whose "commit" the outer block may still roll back. Where one action
composes another, both call a private, non-durable ``_write_*`` that assumes a transaction.

A caller that must add a row to the action's transaction without owning a transaction itself
(``core.idempotency.once`` writes the idempotency key with the object it names) rides along:
``with alongside(write) as ride: result = do_x(...)`` runs ``write(result)`` inside the next
action's transaction, after its body, and ``ride.done`` says whether one did.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

# Every public action, by "module.name" (the durability test walks it).
ACTIONS: dict[str, Callable[..., Any]] = {}


@dataclass
class Ride:
    """A write that joins the next action's transaction (see ``alongside``)."""

    write: Callable[[Any], None]
    done: bool = False


_RIDE: ContextVar[Ride | None] = ContextVar("motcua_action_ride", default=None)


def action(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` in its own durable transaction and register it in ``ACTIONS``."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        ride = _RIDE.get()
        token = _RIDE.set(None)  # the ride is for this action only
        try:
            with transaction.atomic(durable=True):
                result = fn(*args, **kwargs)
                if ride is not None:
                    ride.write(result)
                    ride.done = True
            return result
        finally:
            _RIDE.reset(token)

    run.durable_action = True  # type: ignore[attr-defined]
    ACTIONS[f"{fn.__module__}.{fn.__qualname__}"] = run
    return run


@contextmanager
def alongside(write: Callable[[Any], None]) -> Iterator[Ride]:
    """Run ``write(result)`` inside the transaction of the next action called in this block."""
    ride = Ride(write)
    token = _RIDE.set(ride)
    try:
        yield ride
    finally:
        _RIDE.reset(token)


def is_action(fn: object) -> bool:
    return getattr(fn, "durable_action", False) is True
