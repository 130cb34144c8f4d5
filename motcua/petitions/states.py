"""The petition state machine, pure (issue #13: petitions get a transition table like
dossiers). The edges are data, written once here; ``actions._move`` claims a petition only along
them, with a conditional UPDATE (``core.events.claim``)."""

from __future__ import annotations

RECEIVED = "received"
IN_PROGRESS = "in_progress"
ANSWERED = "answered"
NOT_COMPETENT = "not_competent"

#: Allowed edges (DOMAIN.md §petitions): the unit takes a petition up, answers it (from received
#: or in progress; the answer date decides R-IDX-02), or finds it outside its competence and
#: forwards it. An answered or forwarded petition is closed.
TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({IN_PROGRESS, ANSWERED, NOT_COMPETENT}),
    IN_PROGRESS: frozenset({ANSWERED, NOT_COMPETENT}),
    ANSWERED: frozenset(),
    NOT_COMPETENT: frozenset(),
}

#: States in which the unit still owes an answer.
OPEN = frozenset(s for s, targets in TRANSITIONS.items() if targets)


class IllegalTransition(Exception):
    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"{source} -> {target}")
        self.source = source
        self.target = target


def check_transition(source: str, target: str) -> None:
    """Raise IllegalTransition unless ``source → target`` is an edge of the table."""
    if target not in TRANSITIONS[source]:
        raise IllegalTransition(source, target)
