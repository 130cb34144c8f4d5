"""The web process's gunicorn settings that decide how requests share the processes (issue #12).

Decision 0034: connections closed after each answer, so every request is a new accept and no
process keeps a client for good; the preloaded application frozen before each fork, so a child's
full garbage collection does not walk (and stall its requests on) the objects it inherited.
"""

from __future__ import annotations

import gc
import runpy
from pathlib import Path
from typing import Any

CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn_conf.py"


def settings() -> dict[str, Any]:
    return runpy.run_path(str(CONF))


def test_every_request_is_a_new_connection() -> None:
    conf = settings()
    assert conf["keepalive"] == 0
    assert conf["worker_class"] == "gthread"
    assert conf["preload_app"] is True


def test_the_preloaded_objects_are_frozen_before_a_child_is_forked() -> None:
    hook = settings()["pre_fork"]
    gc.unfreeze()
    try:
        hook(None, None)
        frozen = gc.get_freeze_count()
        survivors = gc.get_objects()
        assert frozen > 1000  # the interpreter's and the test session's objects, at least
        # What is frozen leaves the collected generations: a full collection has none of it.
        assert len(survivors) < frozen
    finally:
        gc.unfreeze()
