"""Scheduled work the worker runs, by dotted path and interval in seconds.

Listed here, explicitly, instead of being discovered through signals or decorators: one place
shows everything that runs in the background.
"""

from __future__ import annotations

SCHEDULE: list[tuple[str, int]] = []
