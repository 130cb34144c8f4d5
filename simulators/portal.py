"""Simulated National Public Service Portal (DVCQG) — dossier synchronization.

Contract: :mod:`contracts.portal` (R-SYNC-01..05). Three POST endpoints take a JSON array:

* ``/api/dossiers/create`` — new dossiers; an existing ``MaHoSo`` → ``"3"`` "đã tồn tại"
  (R-SYNC-02). The initial status must be 1, 2 or 3.
* ``/api/dossiers/update`` — new state of known dossiers; the status change must be allowed by
  :data:`contracts.portal.NATIONAL_TRANSITIONS` (R-STATE-01, R-SYNC-04), otherwise ``"-3"``.
  Re-sending the current status is accepted (idempotent).
* ``/api/dossiers/steps`` — process steps (R-SYNC-05), at most 10 per call (R-SYNC-03); each
  step's ``TrangThai`` must follow the previous step's status by the same table.

A batch is all-or-nothing. ``Idempotency-Key`` makes a repeated delivery return the stored reply
without a second effect. What arrived is visible at ``GET /_sim/received?MaHoSo=…`` (and, for
every dossier at once, ``GET /_sim/counts``) with the number of accepted status deliveries per
(MaHoSo, status), so a test can prove each status arrived exactly once.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Annotated, Any

from fastapi import Header, Query
from pydantic import TypeAdapter, ValidationError

from contracts import portal as c
from contracts.portal import NationalStatus
from simulators.base import create_sim_app

SCHEMA = """
CREATE TABLE IF NOT EXISTS dossier (
    ma_ho_so TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    payload TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS received (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ma_ho_so TEXT NOT NULL,
    status INTEGER NOT NULL,
    idempotency_key TEXT,
    payload TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS received_dossier ON received (ma_ho_so, kind, status);
"""

_dossiers = TypeAdapter(list[c.DossierSync])
_steps = TypeAdapter(list[c.ProcessStep])

app, ctx = create_sim_app(
    "portal", title="Cổng Dịch vụ công quốc gia (mô phỏng) — đồng bộ hồ sơ", schema=SCHEMA
)

Reply = tuple[int, dict[str, Any]]


class _RejectedError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _ok(message: str) -> Reply:
    return 200, {"error_code": c.ERR_OK, "message": message}


def _record(
    conn: sqlite3.Connection, kind: str, code: str, status: int, *, key: str | None, payload: str
) -> None:
    conn.execute(
        "INSERT INTO received (kind, ma_ho_so, status, idempotency_key, payload, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (kind, code, status, key, payload, time.time()),
    )


def _parse_dossiers(body: list[dict[str, Any]]) -> list[c.DossierSync]:
    try:
        items = _dossiers.validate_python(body)
    except ValidationError as exc:
        raise _RejectedError(
            c.ERR_INVALID, f"Dữ liệu không hợp lệ: {exc.errors()[0]['msg']}"
        ) from exc
    if not items:
        raise _RejectedError(c.ERR_INVALID, "Danh sách hồ sơ rỗng")
    return items


def _create(conn: sqlite3.Connection, body: list[dict[str, Any]], key: str | None) -> Reply:
    items = _parse_dossiers(body)
    for item in items:
        status = NationalStatus(item.TrangThaiHoSo)
        if conn.execute("SELECT 1 FROM dossier WHERE ma_ho_so=?", (item.MaHoSo,)).fetchone():
            raise _RejectedError(c.ERR_EXISTS, f"Hồ sơ {item.MaHoSo} đã tồn tại")
        if status not in c.INITIAL_STATUSES:
            raise _RejectedError(
                c.ERR_ILLEGAL_STATUS,
                f"Hồ sơ {item.MaHoSo}: trạng thái khởi tạo {int(status)} không hợp lệ",
            )
        payload = item.model_dump_json()
        now = time.time()
        conn.execute(
            "INSERT INTO dossier VALUES (?, ?, ?, ?, ?)",
            (item.MaHoSo, int(status), payload, now, now),
        )
        _record(conn, "dossier", item.MaHoSo, int(status), key=key, payload=payload)
    return _ok(f"Thêm mới {len(items)} hồ sơ thành công")


def _update(conn: sqlite3.Connection, body: list[dict[str, Any]], key: str | None) -> Reply:
    items = _parse_dossiers(body)
    for item in items:
        row = conn.execute("SELECT status FROM dossier WHERE ma_ho_so=?", (item.MaHoSo,)).fetchone()
        if row is None:
            raise _RejectedError(c.ERR_NOT_FOUND, f"Hồ sơ {item.MaHoSo} không tồn tại")
        current = NationalStatus(row["status"])
        new = NationalStatus(item.TrangThaiHoSo)
        if not c.is_allowed_transition(current, new):
            raise _RejectedError(
                c.ERR_ILLEGAL_STATUS,
                f"Hồ sơ {item.MaHoSo}: không chuyển được trạng thái {int(current)} → {int(new)}",
            )
        payload = item.model_dump_json()
        conn.execute(
            "UPDATE dossier SET status=?, payload=?, updated=? WHERE ma_ho_so=?",
            (int(new), payload, time.time(), item.MaHoSo),
        )
        _record(conn, "dossier", item.MaHoSo, int(new), key=key, payload=payload)
    return _ok(f"Cập nhật {len(items)} hồ sơ thành công")


def _push_steps(conn: sqlite3.Connection, body: list[dict[str, Any]], key: str | None) -> Reply:
    if len(body) > c.MAX_STEPS_PER_CHUNK:
        raise _RejectedError(
            c.ERR_INVALID,
            f"Tối đa {c.MAX_STEPS_PER_CHUNK} bước xử lý mỗi lần gửi, nhận được {len(body)}",
        )
    try:
        steps = _steps.validate_python(body)
    except ValidationError as exc:
        raise _RejectedError(
            c.ERR_INVALID, f"Dữ liệu không hợp lệ: {exc.errors()[0]['msg']}"
        ) from exc
    if not steps:
        raise _RejectedError(c.ERR_INVALID, "Danh sách bước xử lý rỗng")
    last: dict[str, NationalStatus | None] = {}
    for step in steps:
        code = step.MaHoSo
        if code not in last:
            if not conn.execute("SELECT 1 FROM dossier WHERE ma_ho_so=?", (code,)).fetchone():
                raise _RejectedError(c.ERR_NOT_FOUND, f"Hồ sơ {code} không tồn tại")
            row = conn.execute(
                "SELECT status FROM received WHERE ma_ho_so=? AND kind='step'"
                " ORDER BY id DESC LIMIT 1",
                (code,),
            ).fetchone()
            last[code] = None if row is None else NationalStatus(row["status"])
        new = NationalStatus(step.TrangThai)
        previous = last[code]
        allowed = (
            new in c.INITIAL_STATUSES
            if previous is None
            else c.is_allowed_transition(previous, new)
        )
        if not allowed:
            shown = "∅" if previous is None else str(int(previous))
            raise _RejectedError(
                c.ERR_ILLEGAL_STATUS,
                f"Hồ sơ {code}: bước xử lý không chuyển được trạng thái {shown} → {int(new)}",
            )
        last[code] = new
        _record(conn, "step", code, int(new), key=key, payload=step.model_dump_json())
    return _ok(f"Đồng bộ {len(steps)} bước xử lý thành công")


def _handle(
    scope: str,
    body: list[dict[str, Any]],
    key: str | None,
    handler: Any,
) -> Any:
    def run() -> Reply:
        try:
            with ctx.db.transaction() as conn:
                return handler(conn, body, key)  # type: ignore[no-any-return]
        except _RejectedError as rejected:
            ctx.stats[f"rejected:{rejected.code}"] += 1
            return 200, {"error_code": rejected.code, "message": rejected.message}

    return ctx.idempotent(key, scope, body, run, mismatch_code=c.ERR_IDEMPOTENCY_MISMATCH)


IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]


@app.post(c.CREATE_PATH)
def create(body: list[dict[str, Any]], idempotency_key: IdemKey = None) -> Any:
    """R-SYNC-01 ``URLThemMoi``: create dossiers (array)."""
    return _handle("create", body, idempotency_key, _create)


@app.post(c.UPDATE_PATH)
def update(body: list[dict[str, Any]], idempotency_key: IdemKey = None) -> Any:
    """R-SYNC-01 ``URLCapNhat``: update dossiers (array)."""
    return _handle("update", body, idempotency_key, _update)


@app.post(c.STEPS_PATH)
def steps(body: list[dict[str, Any]], idempotency_key: IdemKey = None) -> Any:
    """R-SYNC-01 ``URLDongBoTienTrinh``: process steps, ≤10 per chunk (R-SYNC-03, R-SYNC-05)."""
    return _handle("steps", body, idempotency_key, _push_steps)


@app.get("/_sim/received", tags=["_sim"])
def received(ma_ho_so: Annotated[str, Query(alias="MaHoSo")]) -> dict[str, Any]:
    """Everything accepted for one dossier, with counts per status (dossier and steps)."""
    rows = ctx.db.query(
        "SELECT kind, status, idempotency_key, payload, at FROM received WHERE ma_ho_so=?"
        " ORDER BY id",
        (ma_ho_so,),
    )
    current = ctx.db.query("SELECT status FROM dossier WHERE ma_ho_so=?", (ma_ho_so,))
    status_counts: dict[str, int] = {}
    step_counts: dict[str, int] = {}
    for row in rows:
        bucket = status_counts if row["kind"] == "dossier" else step_counts
        bucket[str(row["status"])] = bucket.get(str(row["status"]), 0) + 1
    return {
        "MaHoSo": ma_ho_so,
        "TrangThaiHoSo": current[0]["status"] if current else None,
        "status_counts": status_counts,
        "step_counts": step_counts,
        "events": [
            {
                "kind": row["kind"],
                "status": row["status"],
                "idempotency_key": row["idempotency_key"],
                "payload": json.loads(row["payload"]),
                "at": row["at"],
            }
            for row in rows
        ],
    }


@app.get("/_sim/transitions", tags=["_sim"])
def transitions() -> dict[str, Any]:
    """The national-status transition table this simulator enforces."""
    return {
        "initial": sorted(int(s) for s in c.INITIAL_STATUSES),
        "transitions": {
            str(int(k)): sorted(int(s) for s in v) for k, v in c.NATIONAL_TRANSITIONS.items()
        },
        "terminal": sorted(int(s) for s in c.TERMINAL_STATUSES),
        "same_status_repeat": "accepted",
    }


@app.get("/_sim/counts", tags=["_sim"])
def counts() -> dict[str, Any]:
    """The accepted deliveries of every dossier, counted per status (dossier records and process
    steps), in one reply: what ``/_sim/received`` says per dossier, for a test of thousands."""
    rows = ctx.db.query(
        "SELECT ma_ho_so, kind, status, COUNT(*) AS n FROM received GROUP BY ma_ho_so, kind, status"
    )
    dossiers: dict[str, dict[str, dict[str, int]]] = {}
    for row in rows:
        entry = dossiers.setdefault(row["ma_ho_so"], {"status_counts": {}, "step_counts": {}})
        bucket = entry["status_counts" if row["kind"] == "dossier" else "step_counts"]
        bucket[str(row["status"])] = row["n"]
    return {"dossiers": dossiers}
