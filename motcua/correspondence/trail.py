"""The transition core of documents over the shared pipeline (``motcua.core.events``): claim a
document by a conditional UPDATE from the edge's source states, then append to its trail (the
reactions registered for ``document:`` kinds run in the same transaction)."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.core import events
from motcua.core.clock import now
from motcua.core.errors import Conflict
from motcua.correspondence.models import Document, DocumentEvent
from motcua.correspondence.states import State, edge


def claim(document: Document, edge_name: str, **new_values: Any) -> State:
    """Move ``document`` along ``edge_name`` if it is still in a source state (of two racing
    officers one wins); the other gets :class:`Conflict`, nothing changed. Returns the state
    left."""
    sources, target = edge(edge_name)
    before = document.state
    moved = events.claim(
        Document.objects.filter(pk=document.pk),
        from_states=[str(s) for s in sources],
        state=target,
        updated_at=now(),
        **new_values,
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
    """Append one event to the document's trail (the caller holds its claim)."""
    event = DocumentEvent(
        document=document,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        at=now(),
        actor=actor,
        actor_name=(actor.full_name or actor.username) if actor else "",
        reason=reason,
        payload=payload or {},
    )
    return events.record(event, subject=document)
