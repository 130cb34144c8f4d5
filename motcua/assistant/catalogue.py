"""The portal's catalogue search (/thu-tuc/) ranked by the assistant's retrieval.

Only the relevant procedures are listed — those matching at least half of the question's words
with a score within reach of the best — instead of every procedure sharing a word with it
("đăng ký khai sinh" used to list 1,066)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from motcua.assistant import index

MAX_RESULTS = 100
MIN_COVERAGE = 0.5
RELATIVE_FLOOR = 0.2  # a result scores at least this share of the best one


def rank_versions(
    province: int, query: str, allowed: Iterable[uuid.UUID] | None = None
) -> list[uuid.UUID]:
    """Ids of the current versions relevant to ``query``, best first (within ``allowed``)."""
    keys = None if allowed is None else {str(pk) for pk in allowed}
    retriever = index.retriever(province)
    _analysis, hits = retriever.search(query, limit=MAX_RESULTS, allowed=keys)
    if not hits:
        return []
    floor = hits[0].score * RELATIVE_FLOOR
    return [
        uuid.UUID(h.record.key)
        for h in hits
        if h.score >= floor and (h.coverage >= MIN_COVERAGE or _analysis.code is not None)
    ]
