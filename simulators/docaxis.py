"""Simulated national document interconnection axis (R-DOC-13…15).

Contract: :mod:`contracts.docaxis`. Packages are stored per addressee until acknowledged;
statuses are relayed to the sender. A package must be well-formed edXML whose ``From`` and
``To`` agency codes match the request (else ``ERR_INVALID_PACKAGE``); organs are known when
listed in ``MOTCUA_SIM_DOCAXIS_ORGANS`` (comma-separated; empty = every code accepted). The
idempotency key makes a repeated send return the same ``package_id`` without a second delivery.
``GET /_sim/packages`` shows what was carried.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Annotated, Any
from xml.etree.ElementTree import ParseError, fromstring

from fastapi import Header, Query

from contracts import docaxis as c
from simulators.base import create_sim_app

SCHEMA = """
CREATE TABLE IF NOT EXISTS package (
    id TEXT NOT NULL,
    organ_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    document_id TEXT NOT NULL,
    business_type INTEGER NOT NULL,
    package TEXT NOT NULL,
    acked INTEGER NOT NULL DEFAULT 0,
    at REAL NOT NULL,
    PRIMARY KEY (id, organ_id)
);
CREATE INDEX IF NOT EXISTS package_inbox ON package (organ_id, acked, at);
CREATE TABLE IF NOT EXISTS status (
    id TEXT PRIMARY KEY,
    organ_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    document_id TEXT NOT NULL,
    code TEXT NOT NULL,
    description TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS status_recipient ON status (recipient, at);
"""
NS = "{http://www.mic.gov.vn/TBT/QCVN_102_2016}"

app, ctx = create_sim_app("docaxis", title="Trục liên thông văn bản quốc gia (mô phỏng)",
                          schema=SCHEMA)  # fmt: skip


def _known(code: str) -> bool:
    listed = [x.strip() for x in os.environ.get("MOTCUA_SIM_DOCAXIS_ORGANS", "").split(",")]
    listed = [x for x in listed if x]
    return not listed or code in listed


def _addresses(package: str) -> tuple[str, set[str]] | None:
    try:
        root = fromstring(package.encode("utf-8"))
    except ParseError:
        return None
    sender = root.find(f".//{NS}From/{NS}OrganId")
    to = {n.text or "" for n in root.findall(f".//{NS}To/{NS}OrganId")}
    if sender is None or not to:
        return None
    return sender.text or "", to


@app.post(c.SEND_PATH)
def send(
    req: c.SendRequest,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Any:
    """Queue the package for each addressee; a repeated idempotency key replays the reply."""
    key = req.idempotency_key or idempotency_key

    def run() -> tuple[int, dict[str, Any]]:
        addresses = _addresses(req.package)
        if addresses is None or addresses != (req.sender, set(req.to)):
            return 200, {"error_code": c.ERR_INVALID_PACKAGE,
                         "message": "Gói tin edXML không hợp lệ hoặc sai địa chỉ"}  # fmt: skip
        unknown = [code for code in req.to if not _known(code)]
        if unknown:
            message = f"Mã định danh không có trên trục: {', '.join(unknown)}"
            return 200, {"error_code": c.ERR_UNKNOWN_ORGAN, "message": message}
        package_id = uuid.uuid4().hex
        with ctx.db.transaction() as conn:
            for code in sorted(set(req.to)):
                conn.execute(
                    "INSERT INTO package VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                    (package_id, code, req.sender, req.document_id, req.business_type,
                     req.package, time.time()),
                )  # fmt: skip
        body = c.SendResponse(error_code=c.ERR_OK, message="Đã nhận gói tin",
                              package_id=package_id)  # fmt: skip
        return 200, body.model_dump()

    return ctx.idempotent(
        key, "send", req.model_dump(exclude={"idempotency_key"}), run,
        mismatch_code=c.ERR_IDEMPOTENCY_MISMATCH,
    )  # fmt: skip


@app.get(c.INBOX_PATH)
def inbox(organ_id: Annotated[str, Query(min_length=3, max_length=35)]) -> dict[str, Any]:
    rows = ctx.db.query(
        "SELECT * FROM package WHERE organ_id=? AND acked=0 ORDER BY at, id", (organ_id,)
    )
    items = [
        c.InboxItem(
            package_id=r["id"],
            sender=r["sender"],
            document_id=r["document_id"],
            business_type=r["business_type"],
            package=r["package"],
            at=r["at"],
        )
        for r in rows
    ]
    return c.Inbox(error_code=c.ERR_OK, items=items).model_dump()


@app.post(c.ACK_PATH)
def ack(package_id: str, req: c.AckRequest) -> dict[str, Any]:
    with ctx.db.transaction() as conn:
        done = conn.execute(
            "UPDATE package SET acked=1 WHERE id=? AND organ_id=?", (package_id, req.organ_id)
        ).rowcount
    if not done:
        return c.Reply(error_code=c.ERR_NOT_FOUND, message="Không có gói tin").model_dump()
    return c.Reply(error_code=c.ERR_OK, message="Đã xác nhận").model_dump()


@app.post(c.STATUS_PATH)
def post_status(
    req: c.StatusRequest,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Any:
    key = req.idempotency_key or idempotency_key

    def run() -> tuple[int, dict[str, Any]]:
        with ctx.db.transaction() as conn:
            conn.execute(
                "INSERT INTO status VALUES (?, ?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, req.organ_id, req.to, req.document_id, req.code,
                 req.description, time.time()),
            )  # fmt: skip
        return 200, c.Reply(error_code=c.ERR_OK, message="Đã chuyển trạng thái").model_dump()

    return ctx.idempotent(
        key, "status", req.model_dump(exclude={"idempotency_key"}), run,
        mismatch_code=c.ERR_IDEMPOTENCY_MISMATCH,
    )  # fmt: skip


@app.get(c.STATUS_PATH)
def statuses(organ_id: Annotated[str, Query(min_length=3, max_length=35)]) -> dict[str, Any]:
    rows = ctx.db.query("SELECT * FROM status WHERE recipient=? ORDER BY at, id", (organ_id,))
    items = [
        c.StatusItem(
            status_id=r["id"],
            organ_id=r["organ_id"],
            document_id=r["document_id"],
            code=r["code"],
            description=r["description"],
            at=r["at"],
        )
        for r in rows
    ]
    return c.Statuses(error_code=c.ERR_OK, items=items).model_dump()


@app.get("/_sim/packages", tags=["_sim"])
def packages() -> list[dict[str, Any]]:
    """Every carried package per addressee, newest first (without the package body)."""
    rows = ctx.db.query(
        "SELECT id, organ_id, sender, document_id, business_type, acked, at FROM package "
        "ORDER BY at DESC LIMIT 1000"
    )
    return [dict(row) for row in rows]
