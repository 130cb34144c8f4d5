"""The petition transition table (issue #13): the model's states are the table's, and the
actions move a petition only along its edges."""

from __future__ import annotations

import itertools

import pytest

from motcua.petitions import states
from motcua.petitions.models import OPEN_STATES, PetitionState


def test_the_table_covers_every_state_of_the_model() -> None:
    assert set(states.TRANSITIONS) == set(PetitionState.values)
    assert set(states.OPEN) == set(OPEN_STATES)
    for targets in states.TRANSITIONS.values():
        assert targets <= set(PetitionState.values)


@pytest.mark.parametrize(
    ("source", "target"), list(itertools.product(states.TRANSITIONS, repeat=2))
)
def test_every_pair_is_allowed_exactly_when_it_is_an_edge(source: str, target: str) -> None:
    allowed = target in states.TRANSITIONS[source]
    if allowed:
        states.check_transition(source, target)
    else:
        with pytest.raises(states.IllegalTransition):
            states.check_transition(source, target)
    # Closed petitions go nowhere; nothing goes back to "received".
    assert not (allowed and (source in ("answered", "not_competent") or target == "received"))
