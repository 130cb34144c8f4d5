"""Every state and every edge of DOMAIN.md §4.11, legal and illegal (pure table)."""

from __future__ import annotations

import itertools

import pytest

from motcua.dossiers.states import (
    NATIONAL_CODE,
    PORTAL_STRING,
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    State,
    check_transition,
)

EXPECTED_CODES = {
    "submitted": 1,
    "received": 2,
    "refused_at_receipt": 3,
    "in_appraisal": 4,
    "in_consultation": 4,
    "awaiting_signature": 4,
    "awaiting_supplement": 5,
    "awaiting_payment": 6,
    "withdrawn": 7,
    "stopped": 8,
    "result_ready": 9,
    "returned": 10,
    "in_interagency": 0,
}


def test_every_state_maps_to_exactly_one_national_code() -> None:
    """GIVEN the state table WHEN a state is synced THEN its national status is the one of
    DOMAIN §4.11 (R-STATE-01)."""
    assert {s.value: code for s, code in NATIONAL_CODE.items()} == EXPECTED_CODES
    assert set(NATIONAL_CODE) == set(State)
    assert set(NATIONAL_CODE.values()) <= set(PORTAL_STRING)


def test_the_terminal_states_are_refusal_withdrawal_stop_and_return() -> None:
    assert {s.value for s in TERMINAL} == {"refused_at_receipt", "withdrawn", "stopped", "returned"}


ALL_PAIRS = list(itertools.product(State, State))


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_each_pair_is_allowed_exactly_when_the_table_says_so(source: State, target: State) -> None:
    if target in TRANSITIONS[source]:
        check_transition(source, target)
    else:
        with pytest.raises(IllegalTransition):
            check_transition(source, target)


def test_the_table_has_the_legal_edges_of_the_lifecycle() -> None:
    """Receipt (R-RCV-07), supplement (R-SUP-01/02), consultation (R-PROC-03), approval and
    refusal (R-PROC-01/06), payment (R-PAY-02), withdrawal (R-STOP-02), return (R-RES-01)."""
    must = {
        ("submitted", "received"),
        ("submitted", "refused_at_receipt"),
        ("submitted", "awaiting_supplement"),
        ("awaiting_supplement", "submitted"),
        ("received", "in_appraisal"),
        ("in_appraisal", "awaiting_supplement"),
        ("awaiting_supplement", "in_appraisal"),
        ("in_appraisal", "in_consultation"),
        ("in_consultation", "in_appraisal"),
        ("in_appraisal", "awaiting_signature"),
        ("awaiting_signature", "result_ready"),
        ("awaiting_signature", "in_appraisal"),
        ("in_appraisal", "result_ready"),
        ("in_appraisal", "awaiting_payment"),
        ("awaiting_payment", "in_appraisal"),
        ("in_appraisal", "withdrawn"),
        ("result_ready", "returned"),
    }
    table = {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets}
    assert must <= table
    # Never: a returned or refused dossier moving again, or a result before receipt.
    assert ("returned", "in_appraisal") not in table
    assert ("submitted", "result_ready") not in table
    assert ("result_ready", "withdrawn") not in table


def test_every_state_is_one_record_and_every_view_derives_from_it() -> None:
    """Issue #13: a state's national code, portal string, labels, citizen wording, public step,
    badge, clock and notification live in one record; every per-state table is derived, so
    none can miss a state (a state missing from the citizen's table was a 500)."""
    from contracts.portal import DVCQG_STATUS_STRINGS
    from motcua.dossiers import states as st
    from motcua.insights.rollups import ENDED
    from motcua.notify import templates
    from motcua.portal.tracking import PUBLIC_STEPS

    assert set(st.STATES) == set(State)
    by_code: dict[int, set[str]] = {}
    for state, info in st.STATES.items():
        by_code.setdefault(info.national_code, set()).add(info.portal_string)
        assert st.NATIONAL_CODE[state] == info.national_code
        assert st.PORTAL_STRING[info.national_code] == info.portal_string
        assert DVCQG_STATUS_STRINGS[info.portal_string] == info.national_code  # the contract
        assert st.LABEL_VI[state] == info.label_vi
        assert st.LABEL_EN[state] == info.label_en
        assert st.CITIZEN_TEXT[state] == info.citizen_text
        assert st.BADGE.get(state, "") == info.badge
        assert PUBLIC_STEPS[f"dossier:state:{state.value}"] == info.public_step
        assert (state in st.CLOCK_RUNNING) is (info.clock is st.Clock.RUNNING)
        assert (state in st.PAUSED) is (info.clock is st.Clock.PAUSED)
        assert st.NOTIFY_ON.get(state, "") == info.notify
        if info.notify:
            assert callable(getattr(templates, info.notify))  # a message exists for it
        assert (state in ENDED) is info.ended_without_result
        assert info.label_vi
        assert info.label_en
        assert info.citizen_text
        assert info.public_step
    # One portal string per national code (R-SYNC-06), whichever state carries it.
    assert all(len(strings) == 1 for strings in by_code.values())
    # A paused or running clock only in open states; ended states have none (R-TIME-12/13).
    assert not (st.CLOCK_RUNNING | st.PAUSED) & st.TERMINAL
