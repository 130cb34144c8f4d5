"""Simulated 1022 hotline system: takes the operators' call records and pushes each into Motcua
through Motcua's Open311 GeoReport v2 API with the hotline's own key (issue #18, channels).

Contract: :mod:`contracts.hotline`. Unlike the other simulators, Motcua does not call this one:
it calls Motcua, as a third-party system would (form-encoded ``POST requests.json``, the spec's
fields). Where to push is configured by environment:

* ``MOTCUA_SIM_HOTLINE_OPEN311_URL`` — Motcua's Open311 base, e.g.
  ``http://127.0.0.1:8000/open311/v2`` (default: that URL on ``MOTCUA_PORT``, as the
  Procfile's web process listens; empty: calls stay ``pending``);
* ``MOTCUA_SIM_HOTLINE_OPEN311_KEY`` — the key issued by ``motcua open311 key "Tổng đài 1022"
  --channel hotline``.

``GET /_sim/calls`` lists every stored call (newest first).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import httpx

from contracts import hotline as c
from simulators.base import SimContext, create_sim_app, state_dir

SCHEMA = """
CREATE TABLE IF NOT EXISTS call (
    call_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    service_request_id TEXT NOT NULL DEFAULT '',
    token TEXT NOT NULL DEFAULT '',
    refusal TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    at REAL NOT NULL
);
"""

PUSH_TIMEOUT_S = 20.0
#: Where ``make demo`` leaves the key it issues to the hotline (in the state directory).
KEY_FILE = "hotline-open311.key"

app, ctx = create_sim_app("hotline", title="Tổng đài 1022 (mô phỏng)", schema=SCHEMA)


def _form(call: c.Call, key: str) -> dict[str, str]:
    """The Open311 POST fields of a call (docs/open311.md)."""
    form = {
        "api_key": key,
        "service_code": call.service_code,
        "description": call.description,
        "address_string": call.address,
        "first_name": call.caller_name,
        "last_name": "",
        "phone": call.caller_phone,
    }
    if call.lat is not None and call.long is not None:
        form["lat"], form["long"] = f"{call.lat:.6f}", f"{call.long:.6f}"
    for code, value in call.attributes.items():
        form[f"attribute[{code}]"] = value
    return form


def open311_key() -> str:
    """The hotline's Open311 key: ``MOTCUA_SIM_HOTLINE_OPEN311_KEY``, else the file
    ``MOTCUA_SIM_HOTLINE_OPEN311_KEY_FILE`` (default ``hotline-open311.key`` in the simulators'
    state directory, where ``make demo`` writes the key it issues)."""
    key = os.environ.get("MOTCUA_SIM_HOTLINE_OPEN311_KEY", "")
    if key:
        return key
    path = Path(os.environ.get("MOTCUA_SIM_HOTLINE_OPEN311_KEY_FILE", str(state_dir() / KEY_FILE)))
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def _push(sim: SimContext, call_id: str) -> str:
    """Push one stored call into Motcua; its new status."""
    row = sim.db.query("SELECT * FROM call WHERE call_id=?", (call_id,))[0]
    if row["status"] != "pending":
        return str(row["status"])
    default = f"http://127.0.0.1:{os.environ.get('MOTCUA_PORT', '8000')}/open311/v2"
    url = os.environ.get("MOTCUA_SIM_HOTLINE_OPEN311_URL", default).rstrip("/")
    key = open311_key()
    if not url:
        return "pending"
    call = c.Call.model_validate_json(row["body"])
    status, request_id, token, refusal = "pending", "", "", ""
    try:
        reply = httpx.post(
            f"{url}/requests.json",
            data=_form(call, key),
            # A retry after a lost reply answers the report filed the first time (Motcua's
            # Open311 extension): one call, one report.
            headers={"Idempotency-Key": f"hotline-{call_id}"},
            timeout=PUSH_TIMEOUT_S,
        )
    except httpx.TransportError as exc:
        refusal = f"transport: {type(exc).__name__}"
    else:
        if reply.status_code == 201:
            created = reply.json()[0]
            status = "pushed"
            request_id = str(created.get("service_request_id", ""))
            token = str(created.get("token", ""))
        elif 400 <= reply.status_code < 500 and reply.status_code != 429:
            status = "refused"
            try:
                refusal = "; ".join(str(e.get("description", "")) for e in reply.json())
            except ValueError:
                refusal = f"HTTP {reply.status_code}"
        else:
            refusal = f"HTTP {reply.status_code}"
    with sim.db.transaction() as conn:
        conn.execute(
            "UPDATE call SET status=?, service_request_id=?, token=?, refusal=?,"
            " attempts=attempts+1 WHERE call_id=?",
            (status, request_id, token, refusal, call_id),
        )
    sim.stats[f"push_{status}"] += 1
    return status


def _record(call_id: str) -> c.CallRecord | None:
    rows = ctx.db.query("SELECT * FROM call WHERE call_id=?", (call_id,))
    if not rows:
        return None
    row = rows[0]
    return c.CallRecord(
        message="Đã chuyển vào hệ thống" if row["status"] == "pushed" else "",
        call_id=row["call_id"],
        status=row["status"],
        service_request_id=row["service_request_id"],
        token=row["token"],
        refusal=row["refusal"],
        attempts=row["attempts"],
    )


@app.post(c.CALLS_PATH)
def take_call(call: c.Call) -> Any:
    """Store the call (once per ``call_id``) and push it into Motcua."""
    with ctx.db.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO call (call_id, body, status, at) VALUES (?, ?, 'pending', ?)",
            (call.call_id, call.model_dump_json(), time.time()),
        )
    _push(ctx, call.call_id)
    record = _record(call.call_id)
    assert record is not None
    return record.model_dump()


@app.get(c.CALLS_PATH + "/{call_id}")
def get_call(call_id: str) -> Any:
    """One stored call and its push."""
    record = _record(call_id)
    if record is None:
        return {"error_code": c.ERR_NOT_FOUND, "message": "Không có cuộc gọi này"}
    return record.model_dump()


@app.post(c.PUSH_PATH)
def push_pending() -> Any:
    """Retry every pending call (oldest first)."""
    pending = [
        r["call_id"]
        for r in ctx.db.query("SELECT call_id FROM call WHERE status='pending' ORDER BY at")
    ]
    counts = {"pushed": 0, "refused": 0, "pending": 0}
    for call_id in pending:
        counts[_push(ctx, call_id)] += 1
    return c.PushResult(
        pushed=counts["pushed"], refused=counts["refused"], pending=counts["pending"]
    ).model_dump()


@app.get("/_sim/calls", tags=["_sim"])
def calls() -> list[dict[str, Any]]:
    """Stored calls, newest first."""
    rows = ctx.db.query("SELECT * FROM call ORDER BY at DESC LIMIT 500")
    return [{**dict(row), "body": json.loads(row["body"])} for row in rows]
