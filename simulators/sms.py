"""Simulated SMS gateway (brand-name notifications to applicants).

Contract: :mod:`contracts.sms`. ``POST /api/sms/send`` stores the message and answers with a
``message_id``; the idempotency key (body ``idempotency_key`` or header ``Idempotency-Key``)
makes a repeated send return the same ``message_id`` without a second SMS. Phones are checked
with ``vn_ident`` (shape and a mobile carrier prefix) and stored normalized.
``GET /_sim/messages?phone=`` shows
what was "delivered".
"""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any

from fastapi import Header, Query
from vn_ident import detect_carrier, is_valid_phone, normalize_phone

from contracts import sms as c
from simulators.base import create_sim_app

SCHEMA = """
CREATE TABLE IF NOT EXISTS message (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    brandname TEXT,
    segments INTEGER NOT NULL,
    idempotency_key TEXT,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS message_phone ON message (phone, at);
"""

app, ctx = create_sim_app("sms", title="Cổng SMS (mô phỏng)", schema=SCHEMA)


@app.post(c.SEND_PATH)
def send(
    req: c.SendRequest,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Any:
    """Send one SMS; a repeated idempotency key replays the first reply."""
    key = req.idempotency_key or idempotency_key

    def run() -> tuple[int, dict[str, Any]]:
        phone = normalize_phone(req.phone) if is_valid_phone(req.phone) else None
        if phone is None or detect_carrier(phone) is None:
            return 200, {
                "error_code": c.ERR_INVALID_PHONE,
                "message": "Số điện thoại không hợp lệ hoặc không thuộc nhà mạng di động",
            }
        segments = c.segment_count(req.text)
        if segments > c.MAX_SEGMENTS:
            return 200, {"error_code": c.ERR_TOO_LONG, "message": "Tin nhắn quá dài"}
        message_id = uuid.uuid4().hex
        with ctx.db.transaction() as conn:
            conn.execute(
                "INSERT INTO message VALUES (?, ?, ?, ?, ?, ?, ?)",
                (message_id, phone, req.text, req.brandname, segments, key, time.time()),
            )
        body = c.SendResponse(
            error_code=c.ERR_OK, message="Gửi tin nhắn thành công", message_id=message_id,
            segments=segments,
        )  # fmt: skip
        return 200, body.model_dump()

    return ctx.idempotent(
        key, "send", req.model_dump(exclude={"idempotency_key"}), run,
        mismatch_code=c.ERR_IDEMPOTENCY_MISMATCH,
    )  # fmt: skip


@app.get("/_sim/messages", tags=["_sim"])
def messages(phone: Annotated[str | None, Query()] = None) -> list[dict[str, Any]]:
    """Stored messages, newest first, optionally for one phone (any accepted spelling)."""
    if phone is None:
        rows = ctx.db.query("SELECT * FROM message ORDER BY at DESC LIMIT 500")
    else:
        normalized = normalize_phone(phone) or phone
        rows = ctx.db.query("SELECT * FROM message WHERE phone=? ORDER BY at DESC", (normalized,))
    return [dict(row) for row in rows]
