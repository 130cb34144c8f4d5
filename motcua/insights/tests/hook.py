"""Test support: the rollup hook for suites that run before the lead wires it.

``apply_event`` runs from ``dossiers.actions.core.transition`` after each event, in its
transaction: through ``core.EVENT_HOOKS`` (registered by ``InsightsConfig.ready``) or a direct
call. Until one of those exists, :func:`hooked` wraps the core's ``record_event`` so state events
reach the rollups exactly as they will from ``transition``; once wired it does nothing (no double
counting).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from motcua.dossiers.actions import core
from motcua.insights.rollups import apply_event


def wired() -> bool:
    hooks = getattr(core, "EVENT_HOOKS", None)
    if isinstance(hooks, list) and apply_event in hooks:
        return "EVENT_HOOKS" in inspect.getsource(core.transition)
    return "apply_event(" in inspect.getsource(core.transition)


@contextmanager
def hooked() -> Iterator[None]:
    if wired():
        yield
        return
    original = core.record_event

    def record_and_apply(dossier: Any, kind: str, **kwargs: Any) -> Any:
        event = original(dossier, kind, **kwargs)
        if kind.startswith("dossier:state:"):
            apply_event(dossier, event)
        return event

    core.record_event = record_and_apply
    try:
        yield
    finally:
        core.record_event = original


@contextmanager
def unhooked() -> Iterator[None]:
    """No rollup maintenance (benchmarks measure what it costs)."""
    hooks = getattr(core, "EVENT_HOOKS", None)
    registered = isinstance(hooks, list) and apply_event in hooks
    if registered:
        assert isinstance(hooks, list)
        hooks.remove(apply_event)
        try:
            yield
        finally:
            hooks.append(apply_event)
        return
    original = getattr(core, "apply_event", None)
    if original is not None:
        core.apply_event = lambda dossier, event: None  # type: ignore[attr-defined]
        try:
            yield
        finally:
            core.apply_event = original  # type: ignore[attr-defined]
        return
    yield
