"""The dossier state machine (DOMAIN.md §4.11), pure: states, national codes, allowed edges.

Every Motcua state maps to exactly one national status code (R-STATE-01). Each state is one
record (:class:`StateInfo`) from which every per-state table is derived. The edges are data,
written once here; the transition core in ``actions/core.py`` refuses anything not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
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


class Clock(StrEnum):
    """The legal clock in a state (R-TIME-12/13: supplement and payment stop it)."""

    RUNNING = "running"
    PAUSED = "paused"
    NONE = "none"  # not started (before receipt) or over


@dataclass(frozen=True)
class StateInfo:
    """Everything Motcua says about one state, in one record (issue #13): every table below,
    and the citizen's, the portal's, the notifications' and the indicators' views, derive from
    it. A new state is one new record (and its edges)."""

    national_code: int  # R-STATE-01: TrangThaiHoSo
    portal_string: str  # R-SYNC-06: the DVCQG status string of the national code
    label_vi: str
    label_en: str
    citizen_text: str  # what it means for the citizen, and what happens next
    public_step: str  # the step shown on public tracking and "my dossiers" ("" = none)
    badge: str = ""  # "ok" | "warn" | "bad" | "" (citizen pages)
    clock: Clock = Clock.NONE
    notify: str = ""  # the applicant is told (``notify`` template kind; issue #6 item 5)
    ended_without_result: bool = False  # withdrawn or stopped: an outcome of its own (R-IDX)


STATES: dict[State, StateInfo] = {
    State.SUBMITTED: StateInfo(
        1,
        "receiving",
        "Mới đăng ký",
        "Submitted",
        "Đã gửi, đang chờ cán bộ kiểm tra và tiếp nhận.",
        "Hồ sơ đã được đăng ký",
    ),
    State.RECEIVED: StateInfo(
        2,
        "new",
        "Đã tiếp nhận",
        "Received",
        "Đã được tiếp nhận; thời hạn giải quyết bắt đầu tính.",
        "Hồ sơ đã được tiếp nhận",
        clock=Clock.RUNNING,
        notify="received",
    ),
    State.REFUSED_AT_RECEIPT: StateInfo(
        3,
        "denied",
        "Từ chối tiếp nhận",
        "Refused at receipt",
        "Không được tiếp nhận. Xem lý do trong các bước dưới đây.",
        "Hồ sơ không được tiếp nhận",
        badge="bad",
    ),
    State.IN_APPRAISAL: StateInfo(
        4,
        "processing",
        "Đang thẩm định",
        "In appraisal",
        "Đang được xử lý.",
        "Hồ sơ đang được xử lý",
        clock=Clock.RUNNING,
    ),
    State.IN_CONSULTATION: StateInfo(
        4,
        "processing",
        "Đang lấy ý kiến",
        "In consultation",
        "Đang lấy ý kiến cơ quan liên quan.",
        "Đang lấy ý kiến cơ quan liên quan",
        clock=Clock.RUNNING,
    ),
    State.AWAITING_SIGNATURE: StateInfo(
        4,
        "processing",
        "Chờ lãnh đạo ký duyệt",
        "Awaiting the leader's signature",
        "Đang chờ lãnh đạo ký duyệt.",
        "Đang chờ lãnh đạo ký duyệt",
        clock=Clock.RUNNING,
    ),
    State.AWAITING_SUPPLEMENT: StateInfo(
        5,
        "waiting",
        "Chờ bổ sung hồ sơ",
        "Awaiting supplement",
        "Cần bổ sung giấy tờ. Xem yêu cầu và bổ sung để hồ sơ tiếp tục.",
        "Cần bổ sung hồ sơ",
        badge="warn",
        clock=Clock.PAUSED,
        notify="supplement",
    ),
    State.AWAITING_PAYMENT: StateInfo(
        6,
        "paying",
        "Chờ thực hiện nghĩa vụ tài chính",
        "Awaiting payment of financial obligations",
        "Cần nộp phí, lệ phí để hồ sơ tiếp tục.",
        "Chờ thực hiện nghĩa vụ tài chính",
        badge="warn",
        clock=Clock.PAUSED,
        notify="payment_due",
    ),
    State.WITHDRAWN: StateInfo(
        7,
        "cancelled",
        "Đã rút hồ sơ",
        "Withdrawn",
        "Đã rút theo yêu cầu của bạn.",
        "Đã rút hồ sơ theo yêu cầu",
        ended_without_result=True,
    ),
    State.STOPPED: StateInfo(
        8,
        "unresolved",
        "Dừng xử lý",
        "Processing stopped",
        "Đã dừng xử lý.",
        "Dừng xử lý",
        badge="bad",
        ended_without_result=True,
    ),
    State.RESULT_READY: StateInfo(
        9,
        "releasing",
        "Đã có kết quả",
        "Result ready",
        "Đã có kết quả, chờ trả theo cách bạn đã chọn.",
        "Đã có kết quả",
        badge="ok",
        notify="result_ready",
    ),
    State.RETURNED: StateInfo(
        10,
        "done",
        "Đã trả kết quả",
        "Result returned",
        "Đã trả kết quả.",
        "Đã trả kết quả",
        badge="ok",
        notify="returned",
    ),
    State.IN_INTERAGENCY: StateInfo(
        0,
        "interoperating",
        "Đang xử lý liên thông",
        "In inter-agency processing",
        "Đang xử lý liên thông với cơ quan khác.",
        "Đang xử lý liên thông với cơ quan khác",
        clock=Clock.RUNNING,
    ),
}

#: R-STATE-01: national status code (TrangThaiHoSo) of every state.
NATIONAL_CODE: dict[State, int] = {s: i.national_code for s, i in STATES.items()}
#: The DVCQG status strings (R-SYNC-06), by national code.
PORTAL_STRING: dict[int, str] = {i.national_code: i.portal_string for i in STATES.values()}
#: What each national status code means, in the national portal's words (R-STATE-01, the
#: comments of ``contracts.portal.NationalStatus``): an officer reads the words, never a bare
#: number (issue #14 item 5).
NATIONAL_WORDS: dict[int, str] = {
    0: "Đang xử lý liên thông",
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
LABEL_VI: dict[State, str] = {s: i.label_vi for s, i in STATES.items()}
LABEL_EN: dict[State, str] = {s: i.label_en for s, i in STATES.items()}
CITIZEN_TEXT: dict[State, str] = {s: i.citizen_text for s, i in STATES.items()}
BADGE: dict[State, str] = {s: i.badge for s, i in STATES.items() if i.badge}
#: The public step each state event shows (event kind → wording).
PUBLIC_STATE_STEPS: dict[str, str] = {
    f"dossier:state:{s.value}": i.public_step for s, i in STATES.items() if i.public_step
}
#: The moments the applicant is told about (the apology is sent by ``do_extend_deadline``,
#: which is not a state change).
NOTIFY_ON: dict[State, str] = {s: i.notify for s, i in STATES.items() if i.notify}
#: States in which the legal clock runs (R-TIME-12/13: supplement and payment stop it).
CLOCK_RUNNING = frozenset(s for s, i in STATES.items() if i.clock is Clock.RUNNING)
PAUSED = frozenset(s for s, i in STATES.items() if i.clock is Clock.PAUSED)
ENDED_WITHOUT_RESULT = frozenset(s for s, i in STATES.items() if i.ended_without_result)

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
