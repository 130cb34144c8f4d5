"""The purpose-bound query log shared by the civil-status, land and judicial simulators.

Every lookup is logged **before** it is answered (R-POP-03, R-PDP-07) with the officer, unit,
dossier, procedure, purpose and legal basis; a lookup without officer, dossier or purpose is
refused (R-PDP-02) and logged with its refusal. ``GET /_sim/queries`` reads the log back
(per officer or dossier, R-PDP-08).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query

from contracts.purpose import ERR_PURPOSE_REQUIRED, PurposeBoundRequest
from simulators.base import SimContext

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS query_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    ma_can_bo TEXT,
    ma_don_vi TEXT,
    ma_ho_so TEXT,
    ma_tthc TEXT,
    muc_dich TEXT,
    can_cu_phap_ly TEXT,
    subject TEXT NOT NULL,
    request TEXT NOT NULL,
    result TEXT
);
CREATE INDEX IF NOT EXISTS query_log_dossier ON query_log (ma_ho_so);
"""


def answer(
    ctx: SimContext,
    req: PurposeBoundRequest,
    subject: str,
    resolve: Callable[[], dict[str, str]],
) -> dict[str, Any]:
    """Log the query, refuse it without officer/dossier/purpose, else ``resolve()`` it."""
    with ctx.db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO query_log (at, ma_can_bo, ma_don_vi, ma_ho_so, ma_tthc, muc_dich,"
            " can_cu_phap_ly, subject, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (time.time(), req.MaCanBo, req.MaDonVi, req.MaHoSo, req.MaTTHC, req.MucDich,
             req.CanCuPhapLy, subject, req.model_dump_json()),
        )  # fmt: skip
        log_id = cursor.lastrowid
    missing = req.missing_purpose_fields()
    result: dict[str, Any]
    if missing:
        ctx.stats["refused_without_purpose"] += 1
        result = {
            "error_code": ERR_PURPOSE_REQUIRED,
            "message": "Từ chối tra cứu: thiếu "
            + ", ".join(missing)
            + " (chỉ tra cứu trong phạm vi hồ sơ đang giải quyết, đúng mục đích)",
            "missing": missing,
        }
    else:
        result = dict(resolve())
    result["MaTraCuu"] = str(log_id)
    with ctx.db.transaction() as conn:
        conn.execute("UPDATE query_log SET result=? WHERE id=?", (result["error_code"], log_id))
    return result


def add_query_routes(app: FastAPI, ctx: SimContext) -> None:
    """``GET /_sim/queries?MaCanBo=&MaHoSo=`` — the log, newest first."""

    @app.get("/_sim/queries", tags=["_sim"])
    def queries(
        ma_can_bo: Annotated[str | None, Query(alias="MaCanBo")] = None,
        ma_ho_so: Annotated[str | None, Query(alias="MaHoSo")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        where, params = [], []
        if ma_can_bo is not None:
            where.append("ma_can_bo=?")
            params.append(ma_can_bo)
        if ma_ho_so is not None:
            where.append("ma_ho_so=?")
            params.append(ma_ho_so)
        sql = "SELECT * FROM query_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = ctx.db.query(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [{**dict(row), "request": json.loads(row["request"])} for row in rows]
