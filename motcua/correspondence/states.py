"""Document states and the allowed edges (R-DOC-07, R-DOC-09, R-DOC-15), pure data.

An action names its edge; the transition core (``actions.transition``) claims the document by
a conditional UPDATE from the edge's source states, so of two racing officers one wins.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class State(StrEnum):
    # outgoing
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SIGNED = "signed"  # signed by the competent person, awaiting the clerk (R-DOC-10)
    RELEASED = "released"  # numbered, sealed by the body and sent (R-DOC-05, R-DOC-07)
    REVOKED = "revoked"  # R-DOC-15: register entry and trail kept, content hidden
    REPLACED = "replaced"  # R-DOC-09: replaced by a document of the same form (both kept)
    # incoming
    ARRIVED = "arrived"
    REGISTERED = "registered"  # arrival number given (R-DOC-06)
    ASSIGNED = "assigned"
    HANDLING = "handling"
    COMPLETED = "completed"
    REFUSED = "refused"  # returned to the sender (R-DOC-19)
    #: R-DOC-14 (13 → 15): the sender took the document back before it was registered
    TAKEN_BACK = "taken_back"


#: edge name -> (source states, target state)
EDGES: Final[dict[str, tuple[frozenset[State], State]]] = {
    "submit": (frozenset({State.DRAFT}), State.IN_REVIEW),
    "return": (frozenset({State.IN_REVIEW, State.APPROVED}), State.DRAFT),
    "approve": (frozenset({State.IN_REVIEW}), State.APPROVED),
    "sign": (frozenset({State.APPROVED}), State.SIGNED),
    "release": (frozenset({State.SIGNED}), State.RELEASED),
    "revoke": (frozenset({State.RELEASED}), State.REVOKED),
    "register": (frozenset({State.ARRIVED}), State.REGISTERED),
    "refuse": (frozenset({State.ARRIVED}), State.REFUSED),
    "assign": (frozenset({State.REGISTERED, State.ASSIGNED}), State.ASSIGNED),
    "handle": (frozenset({State.ASSIGNED}), State.HANDLING),
    # R-DOC-16: passed on to another handler or unit of the body (chuyển xử lý)
    "forward": (frozenset({State.ASSIGNED, State.HANDLING}), State.ASSIGNED),
    "complete": (frozenset({State.ASSIGNED, State.HANDLING}), State.COMPLETED),
    # R-DOC-15: the sender revoked an incoming document; the receiver cancels it
    "cancel": (
        frozenset(
            {State.ARRIVED, State.REGISTERED, State.ASSIGNED, State.HANDLING, State.COMPLETED}
        ),
        State.REVOKED,
    ),
    # R-DOC-14: the sender takes back (lấy lại, 13) a document not registered yet; once it is
    # registered the receiver declines (16) instead.
    "take_back": (frozenset({State.ARRIVED}), State.TAKEN_BACK),
    # R-DOC-09, R-DOC-13 (business type 3): a released document, or a received one, is
    # replaced by a document of the same form; both stay in the register.
    "replace": (
        frozenset(
            {
                State.RELEASED,
                State.ARRIVED,
                State.REGISTERED,
                State.ASSIGNED,
                State.HANDLING,
                State.COMPLETED,
            }
        ),
        State.REPLACED,
    ),
}

OUTGOING_STATES: Final = frozenset(
    {
        State.DRAFT,
        State.IN_REVIEW,
        State.APPROVED,
        State.SIGNED,
        State.RELEASED,
        State.REVOKED,
        State.REPLACED,
    }
)
INCOMING_STATES: Final = frozenset(
    {
        State.ARRIVED,
        State.REGISTERED,
        State.ASSIGNED,
        State.HANDLING,
        State.COMPLETED,
        State.REFUSED,
        State.REVOKED,
        State.REPLACED,
        State.TAKEN_BACK,
    }
)
#: R-DOC-09: a released document is never edited (its content, number and files are frozen).
FROZEN: Final = frozenset({State.SIGNED, State.RELEASED, State.REVOKED, State.REPLACED})

LABEL_VI: Final[dict[State, str]] = {
    State.DRAFT: "Dự thảo",
    State.IN_REVIEW: "Chờ duyệt",
    State.APPROVED: "Đã duyệt, chờ ký",
    State.SIGNED: "Đã ký, chờ phát hành",
    State.RELEASED: "Đã phát hành",
    State.REVOKED: "Đã thu hồi",
    State.REPLACED: "Đã bị thay thế",
    State.ARRIVED: "Mới đến",
    State.REGISTERED: "Đã vào sổ",
    State.ASSIGNED: "Đã phân công",
    State.HANDLING: "Đang xử lý",
    State.COMPLETED: "Hoàn thành",
    State.REFUSED: "Trả lại",
    State.TAKEN_BACK: "Nơi gửi đã lấy lại",
}


#: What each trail entry says to an officer (the document's page): one label per event kind;
#: a state change also shows the state it led to (``LABEL_VI``).
EVENT_LABEL_VI: Final[dict[str, str]] = {
    "document:created": "Tạo văn bản",
    "document:state:in_review": "Trình duyệt",
    "document:state:approved": "Phê duyệt",
    "document:state:returned": "Trả lại để sửa",
    "document:state:signed": "Ký số",
    "document:state:released": "Cấp số, đóng dấu và phát hành",
    "document:state:revoked": "Thu hồi",
    "document:state:replaced": "Được thay thế",
    "document:state:arrived": "Văn bản đến",
    "document:state:refused": "Trả lại nơi gửi",
    "document:state:registered": "Vào sổ văn bản đến",
    "document:state:assigned": "Phân công xử lý",
    "document:state:handling": "Nhận xử lý",
    "document:state:forwarded": "Chuyển xử lý",
    "document:state:completed": "Hoàn thành xử lý",
    "document:attachment:added": "Đính kèm tệp",
    "document:copied": "Sao văn bản",
    "document:filed": "Đưa vào hồ sơ",
    "document:recipient:status": "Nơi nhận báo trạng thái",
    "document:updated": "Cập nhật thông tin văn bản",
    "document:update:declined": "Từ chối cập nhật",
    "document:take_back:requested": "Đề nghị lấy lại văn bản",
    "document:state:taken_back": "Nơi gửi lấy lại văn bản",
    "document:take_back:declined": "Từ chối cho lấy lại (đã vào sổ)",
}


def event_label(kind: str) -> str:
    """The officer's words for a trail entry; an unknown kind is shown as recorded."""
    return EVENT_LABEL_VI.get(kind, kind)


def edge(name: str) -> tuple[frozenset[State], State]:
    return EDGES[name]
