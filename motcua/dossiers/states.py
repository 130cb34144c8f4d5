"""The dossier state machine (DOMAIN.md §4.11), pure: states, national codes, allowed edges.

Every Motcua state maps to exactly one national status code (R-STATE-01). The edges are data,
written once here; the transition core in ``actions/core.py`` refuses anything not listed.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"
    REFUSED_AT_RECEIPT = "refused_at_receipt"
    IN_APPRAISAL = "in_appraisal"
    IN_CONSULTATION = "in_consultation"
    AWAITING_SIGNATURE = "awaiting_signature"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    AWAITING_PAYMENT = "awaiting_payment"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    IN_INTERAGENCY = "in_interagency"


#: R-STATE-01: national status code (TrangThaiHoSo) of every state.
NATIONAL_CODE: dict[State, int] = {
    State.SUBMITTED: 1,
    State.RECEIVED: 2,
    State.REFUSED_AT_RECEIPT: 3,
    State.IN_APPRAISAL: 4,
    State.IN_CONSULTATION: 4,
    State.AWAITING_SIGNATURE: 4,
    State.AWAITING_SUPPLEMENT: 5,
    State.AWAITING_PAYMENT: 6,
    State.WITHDRAWN: 7,
    State.STOPPED: 8,
    State.RESULT_READY: 9,
    State.RETURNED: 10,
    State.IN_INTERAGENCY: 0,
}

#: The DVCQG status strings (R-SYNC-06).
PORTAL_STRING: dict[int, str] = {
    0: "interoperating",
    1: "receiving",
    2: "new",
    3: "denied",
    4: "processing",
    5: "waiting",
    6: "paying",
    7: "cancelled",
    8: "unresolved",
    9: "releasing",
    10: "done",
}

LABEL_VI: dict[State, str] = {
    State.SUBMITTED: "Mới đăng ký",
    State.RECEIVED: "Đã tiếp nhận",
    State.REFUSED_AT_RECEIPT: "Từ chối tiếp nhận",
    State.IN_APPRAISAL: "Đang thẩm định",
    State.IN_CONSULTATION: "Đang lấy ý kiến",
    State.AWAITING_SIGNATURE: "Chờ lãnh đạo ký duyệt",
    State.AWAITING_SUPPLEMENT: "Chờ bổ sung hồ sơ",
    State.AWAITING_PAYMENT: "Chờ thực hiện nghĩa vụ tài chính",
    State.WITHDRAWN: "Đã rút hồ sơ",
    State.STOPPED: "Dừng xử lý",
    State.RESULT_READY: "Đã có kết quả",
    State.RETURNED: "Đã trả kết quả",
    State.IN_INTERAGENCY: "Đang xử lý liên thông",
}

LABEL_EN: dict[State, str] = {
    State.SUBMITTED: "Submitted",
    State.RECEIVED: "Received",
    State.REFUSED_AT_RECEIPT: "Refused at receipt",
    State.IN_APPRAISAL: "In appraisal",
    State.IN_CONSULTATION: "In consultation",
    State.AWAITING_SIGNATURE: "Awaiting the leader's signature",
    State.AWAITING_SUPPLEMENT: "Awaiting supplement",
    State.AWAITING_PAYMENT: "Awaiting payment of financial obligations",
    State.WITHDRAWN: "Withdrawn",
    State.STOPPED: "Processing stopped",
    State.RESULT_READY: "Result ready",
    State.RETURNED: "Result returned",
    State.IN_INTERAGENCY: "In inter-agency processing",
}

S = State
#: Allowed edges. Anything else is an illegal transition.
TRANSITIONS: dict[State, frozenset[State]] = {
    # R-RCV-07: receive (Form 01), refuse (Form 03), or ask once for everything missing (Form 02);
    # the applicant may withdraw before receipt.
    S.SUBMITTED: frozenset({S.RECEIVED, S.REFUSED_AT_RECEIPT, S.AWAITING_SUPPLEMENT, S.WITHDRAWN}),
    # Before receipt the supplement brings the dossier back to the counter (clock never started);
    # after appraisal it restarts the clock (R-SUP-02). The applicant may withdraw; an agency may
    # stop a dossier that is never completed.
    S.AWAITING_SUPPLEMENT: frozenset({S.SUBMITTED, S.IN_APPRAISAL, S.WITHDRAWN, S.STOPPED}),
    # R-TRF-01..03: forwarded to the competent unit, or to another agency (inter-agency).
    S.RECEIVED: frozenset({S.IN_APPRAISAL, S.IN_INTERAGENCY, S.WITHDRAWN, S.STOPPED}),
    S.IN_APPRAISAL: frozenset(
        {
            S.IN_CONSULTATION,  # R-PROC-03
            S.AWAITING_SIGNATURE,  # R-PROC-01 submit for approval
            S.AWAITING_SUPPLEMENT,  # R-SUP-02 once, within 3 working days of receipt
            S.AWAITING_PAYMENT,  # R-PAY-02
            S.IN_INTERAGENCY,  # R-PROC-04/05
            S.RESULT_READY,  # R-PROC-06 refusal after appraisal (result = Form 03)
            S.WITHDRAWN,  # R-STOP-01/02
            S.STOPPED,
        }
    ),
    S.IN_CONSULTATION: frozenset({S.IN_APPRAISAL, S.WITHDRAWN, S.STOPPED}),
    S.AWAITING_SIGNATURE: frozenset({S.RESULT_READY, S.IN_APPRAISAL, S.WITHDRAWN, S.STOPPED}),
    S.AWAITING_PAYMENT: frozenset({S.IN_APPRAISAL, S.AWAITING_SIGNATURE, S.WITHDRAWN, S.STOPPED}),
    S.IN_INTERAGENCY: frozenset({S.IN_APPRAISAL, S.RESULT_READY, S.WITHDRAWN, S.STOPPED}),
    S.RESULT_READY: frozenset({S.RETURNED}),
    S.REFUSED_AT_RECEIPT: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.STOPPED: frozenset(),
    S.RETURNED: frozenset(),
}

TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
#: States in which the legal clock runs (R-TIME-12/13: supplement and payment stop it).
CLOCK_RUNNING = frozenset(
    {S.RECEIVED, S.IN_APPRAISAL, S.IN_CONSULTATION, S.AWAITING_SIGNATURE, S.IN_INTERAGENCY}
)
#: States in which a dossier is still "open" (counts as in progress, R-TIME-15).
OPEN = frozenset(S) - TERMINAL - {S.RESULT_READY}


class IllegalTransition(Exception):
    def __init__(self, source: State, target: State) -> None:
        super().__init__(f"{source} -> {target}")
        self.source = source
        self.target = target


def check_transition(source: State, target: State) -> None:
    """Raise IllegalTransition unless ``source → target`` is an edge of the table."""
    if target not in TRANSITIONS[source]:
        raise IllegalTransition(source, target)


def national_code(state: State) -> int:
    return NATIONAL_CODE[state]
