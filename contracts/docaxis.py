"""National document interconnection axis contract (trục liên thông văn bản quốc gia; Decision
28/2018/QĐ-TTg, QCVN 102:2016 edXML; DOMAIN.md R-DOC-13…15).

No public specification of the axis's HTTP interface is cited in DOMAIN.md: this is a small,
typical contract [I]. Bodies are addressed by agency codes (OrganId). A sender posts an edXML
package (the XML text, its files inside in base64) with an idempotency key; the axis queues it
for every addressee. A receiver polls its inbox, acknowledges what it took, and answers the
sender with status messages (R-DOC-14), which the sender polls in turn. The same channel carries
the sender's take-back request (13, lấy lại) to a receiver, answered 15 (agreed) or 16
(declined) [I].

    POST /api/edoc/packages                 SendRequest → SendResponse
    GET  /api/edoc/inbox?organ_id=CODE      → Inbox (items not yet acknowledged)
    POST /api/edoc/inbox/{package_id}/ack   AckRequest → Reply
    POST /api/edoc/statuses                 StatusRequest → Reply
    GET  /api/edoc/statuses?organ_id=CODE   → Statuses (for the sender)

The status codes are [I] (defining instrument not found): the defaults below are the ones seen
in public implementations; Motcua reads them from settings (``MOTCUA_DOCAXIS_STATUS_CODES``).
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, Field, StringConstraints

SEND_PATH: Final = "/api/edoc/packages"
INBOX_PATH: Final = "/api/edoc/inbox"
ACK_PATH: Final = "/api/edoc/inbox/{package_id}/ack"
STATUS_PATH: Final = "/api/edoc/statuses"

ERR_OK: Final = "0"
ERR_INVALID_PACKAGE: Final = "-1"
ERR_UNKNOWN_ORGAN: Final = "-2"
ERR_NOT_FOUND: Final = "-3"
ERR_IDEMPOTENCY_MISMATCH: Final = "-4"

#: R-DOC-14 status codes seen in public implementations [I — configurable].
DEFAULT_STATUS_CODES: Final[dict[str, str]] = {
    "arrived": "01",
    "refused": "02",
    "registered": "03",
    "assigned": "04",
    "handling": "05",
    "completed": "06",
    "taken_back": "13",
    "agreed": "15",
    "declined": "16",
}

OrganId = Annotated[str, StringConstraints(min_length=3, max_length=35)]
#: A package may carry a few signed PDFs in base64.
MAX_PACKAGE_CHARS: Final = 20_000_000


class SendRequest(BaseModel):
    sender: OrganId
    to: Annotated[list[OrganId], Field(min_length=1, max_length=200)]
    document_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    business_type: Annotated[int, Field(ge=0, le=3)] = 0  # 0 new, 1 revoke, 2 update, 3 replace
    package: Annotated[str, StringConstraints(min_length=1, max_length=MAX_PACKAGE_CHARS)]
    idempotency_key: str | None = None


class SendResponse(BaseModel):
    error_code: str
    message: str
    package_id: str | None = None


class InboxItem(BaseModel):
    package_id: str
    sender: str
    document_id: str
    business_type: int
    package: str
    at: float


class AckRequest(BaseModel):
    organ_id: OrganId


class StatusRequest(BaseModel):
    """A receiver's answer to the sender about one document (R-DOC-14), or the sender's
    take-back request (13) to a receiver."""

    organ_id: OrganId  # who speaks (the receiver; the sender for a take-back request)
    to: OrganId  # who is told (the sender; the receiver for a take-back request)
    document_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    code: Annotated[str, StringConstraints(min_length=1, max_length=4)]
    description: Annotated[str, StringConstraints(max_length=500)] = ""
    idempotency_key: str | None = None


class StatusItem(BaseModel):
    status_id: str
    organ_id: str
    document_id: str
    code: str
    description: str
    at: float


class Inbox(BaseModel):
    error_code: str
    message: str = ""
    items: list[InboxItem]


class Statuses(BaseModel):
    error_code: str
    message: str = ""
    items: list[StatusItem]


class Reply(BaseModel):
    error_code: str
    message: str
