from __future__ import annotations

from collections.abc import Iterator

import pytest

from motcua.insights.tests.hook import hooked


@pytest.fixture(autouse=True)
def rollup_hook() -> Iterator[None]:
    """Every state change reaches the rollups, as from transition() (see insights.tests.hook)."""
    with hooked():
        yield
