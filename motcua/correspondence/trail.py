"""The transition core: claim a document by a conditional UPDATE, then append to its trail.

Shaped like the shared pipeline announced for ``motcua.core.events`` (``claim``, ``record``):
when it lands, these two functions become thin calls to it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from motcua.accounts.models import User
from motcua.core.clock import now
from motcua.core.errors import Conflict
from motcua.correspondence.models import Document, DocumentEvent
from motcua.correspondence.states import State, edge


def claim(document: Document, edge_name: str, **new_values: Any) -> State:
    """Move ``document`` along ``edge_name`` if it is still in a source state (one conditional
    UPDATE: of two racing officers one wins); the other gets :class:`Conflict`, nothing
    changed. Returns the state left."""
    sources, target = edge(edge_name)
    before = document.state
    moved = Document.objects.filter(pk=document.pk, state__in=list(sources)).update(
        state=target, updated_at=now(), **new_values
    )
    if not moved:
        raise Conflict(
            "Văn bản đã được người khác xử lý hoặc không ở bước này; hãy tải lại trang.",
            "The document was handled by someone else or is not at this step; reload the page.",
        )
    document.state = target
    for name, value in new_values.items():
        setattr(document, name, value)
    return State(before)


def record(
    document: Document,
    kind: str,
    *,
    actor: User | None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> DocumentEvent:
    """Append one event; ``seq`` follows the last (the caller holds the document's claim, so
    no two writers append to one document at once)."""
    last = DocumentEvent.objects.filter(document=document).aggregate(m=Max("seq"))["m"] or 0
    event = DocumentEvent(
        document=document,
        seq=last + 1,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        at=now(),
        actor=actor,
        actor_name=(actor.full_name or actor.username) if actor else "",
        reason=reason,
        payload=payload or {},
    )
    event.save(force_insert=True)
    return event
