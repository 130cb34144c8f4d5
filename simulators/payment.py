"""Simulated National Portal payment platform (PayGov-style).

Contract: :mod:`contracts.payment` (R-PAY-05..09).

* ``POST /api/payments/init`` — INIT; ``MaXacThuc`` must be the SHA-256 of R-PAY-06 with the
  shared secret (env ``MOTCUA_SIM_PAYMENT_SECRET``, dev default ``dev-paygov-secret``), else
  ``"-1"``. Success → ``message`` is a JSON string with ``UrlThanhToan``. Re-sending the same INIT
  returns the same URL; another INIT with a used ``MaThamChieu`` is ``"-3"``.
* ``GET /pay/{MaThamChieu}`` — the payer's page (no API key: it is opened in a browser) with
  "Thanh toán" and "Hủy" buttons. Paying marks the transaction paid, POSTs the signed callback
  (R-PAY-07, ``MaLoi = "00"``) to ``UrlThongBao`` and redirects the browser (303) to ``UrlTraVe``
  with the same signed fields as query parameters.
* ``POST /api/payments/query`` — QUERY (R-PAY-08); ``message`` is a JSON ``Transaction``.
* ``POST /api/payments/reconciliation`` — a merchant's transactions created on a day.
"""

from __future__ import annotations

import html
import json
import os
import uuid
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

import httpx
from fastapi import Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from contracts import payment as c
from contracts.common import now_ts
from simulators.base import create_sim_app

SCHEMA = """
CREATE TABLE IF NOT EXISTS tx (
    ref TEXT PRIMARY KEY,
    merchant TEXT NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    bank TEXT NOT NULL,
    info TEXT NOT NULL,
    dossier TEXT,
    state TEXT NOT NULL,
    ma_loi TEXT,
    ma_giao_dich TEXT,
    created_ts TEXT NOT NULL,
    paid_ts TEXT,
    return_url TEXT,
    notify_url TEXT,
    checksum TEXT NOT NULL,
    request TEXT NOT NULL,
    callback_result TEXT
);
CREATE INDEX IF NOT EXISTS tx_day ON tx (merchant, created_ts);
"""

app, ctx = create_sim_app(
    "payment",
    title="Nền tảng thanh toán trên Cổng DVCQG (mô phỏng)",
    schema=SCHEMA,
    public_prefixes=("/pay/",),
    invalid_code=c.ERR_INVALID,
)


def secret() -> str:
    """The shared checksum secret (a dev default; never a real secret)."""
    return os.environ.get("MOTCUA_SIM_PAYMENT_SECRET", "dev-paygov-secret")


def _err(code: str, message: str) -> dict[str, str]:
    return {"error_code": code, "message": message}


def _transaction(row: Any) -> c.Transaction:
    return c.Transaction(
        MaThamChieu=row["ref"],
        MaDoiTac=row["merchant"],
        SoTien=row["amount"],
        MaTienTe=row["currency"],
        TrangThai=row["state"],
        MaLoi=row["ma_loi"],
        MaGiaoDich=row["ma_giao_dich"],
        MaHoSo=row["dossier"],
        ThoiGianKhoiTao=row["created_ts"],
        ThoiGianThanhToan=row["paid_ts"],
    )


def _row(ref: str) -> Any:
    rows = ctx.db.query("SELECT * FROM tx WHERE ref=?", (ref,))
    return rows[0] if rows else None


@app.post(c.INIT_PATH)
def init(req: c.InitRequest, request: Request) -> dict[str, str]:
    """INIT (R-PAY-05) with the R-PAY-06 checksum; returns ``UrlThanhToan`` in ``message``."""
    if req.MaXacThuc.lower() != c.init_checksum(req, secret()):
        ctx.stats["bad_checksum"] += 1
        return _err(c.ERR_BAD_CHECKSUM, "Sai mã xác thực (MaXacThuc)")
    url = f"{str(request.base_url).rstrip('/')}/pay/{req.MaThamChieu}"
    ok = _err(c.ERR_OK, json.dumps({"UrlThanhToan": url, "MaThamChieu": req.MaThamChieu}))
    with ctx.db.transaction() as conn:
        row = conn.execute("SELECT checksum FROM tx WHERE ref=?", (req.MaThamChieu,)).fetchone()
        if row is not None:
            if row["checksum"] == req.MaXacThuc.lower():
                return ok  # the same INIT again: same payment page
            return _err(c.ERR_DUPLICATE_REFERENCE, "Mã tham chiếu đã được sử dụng")
        receipt = req.ThongTinBienLai
        conn.execute(
            "INSERT INTO tx (ref, merchant, amount, currency, bank, info, dossier, state,"
            " created_ts, return_url, notify_url, checksum, request)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?)",
            (
                req.MaThamChieu, req.MaDoiTac, req.SoTien, req.MaTienTe, req.MaNganHang,
                req.ThongTinGiaoDich, receipt.MaHoSo if receipt else None, now_ts(),
                req.UrlTraVe, req.UrlThongBao, req.MaXacThuc.lower(), req.model_dump_json(),
            ),
        )  # fmt: skip
    return ok


@app.post(c.QUERY_PATH)
def query(req: c.QueryRequest) -> dict[str, str]:
    """QUERY (R-PAY-08): the transaction's state as a JSON string in ``message``."""
    if req.MaXacThuc.lower() != c.query_checksum(req, secret()):
        ctx.stats["bad_checksum"] += 1
        return _err(c.ERR_BAD_CHECKSUM, "Sai mã xác thực (MaXacThuc)")
    row = _row(req.MaThamChieu)
    if row is None or row["merchant"] != req.MaDoiTac:
        return _err(c.ERR_NOT_FOUND, "Không tìm thấy giao dịch")
    return _err(c.ERR_OK, _transaction(row).model_dump_json())


@app.post(c.RECONCILIATION_PATH)
def reconciliation(req: c.ReconciliationRequest) -> Any:
    """Daily reconciliation report: every transaction of ``MaDoiTac`` created on ``Ngay``."""
    if req.MaXacThuc.lower() != c.reconciliation_checksum(req, secret()):
        return c.ReconciliationReport(
            error_code=c.ERR_BAD_CHECKSUM, message="Sai mã xác thực (MaXacThuc)", Ngay=req.Ngay
        ).model_dump()
    rows = ctx.db.query(
        "SELECT * FROM tx WHERE merchant=? AND substr(created_ts, 1, 8)=? ORDER BY created_ts",
        (req.MaDoiTac, req.Ngay),
    )
    items = [_transaction(r) for r in rows]
    return c.ReconciliationReport(
        error_code=c.ERR_OK,
        message="Đối soát thành công",
        Ngay=req.Ngay,
        SoGiaoDich=len(items),
        TongTienDaThanhToan=sum(t.SoTien for t in items if t.TrangThai == "PAID"),
        DanhSach=items,
    ).model_dump()


RefPath = Annotated[str, Path(pattern=r"^\w{1,100}$")]

_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thanh toán trực tuyến (mô phỏng)</title></head>
<body><main>
<h1>Thanh toán trực tuyến — Cổng Dịch vụ công quốc gia (mô phỏng)</h1>
<dl>
<dt>Mã tham chiếu</dt><dd>{ref}</dd>
<dt>Hồ sơ</dt><dd>{dossier}</dd>
<dt>Nội dung</dt><dd>{info}</dd>
<dt>Số tiền</dt><dd>{amount} {currency}</dd>
<dt>Trạng thái</dt><dd>{state}</dd>
</dl>
{form}
</main></body></html>
"""

_FORM = """<form method="post">
<button type="submit" name="action" value="pay">Thanh toán</button>
<button type="submit" name="action" value="cancel">Hủy</button>
</form>"""


def _page(row: Any) -> HTMLResponse:
    return HTMLResponse(
        _PAGE.format(
            ref=html.escape(row["ref"]),
            dossier=html.escape(row["dossier"] or ""),
            info=html.escape(row["info"]),
            amount=f"{row['amount']:,}".replace(",", "."),
            currency=html.escape(row["currency"]),
            state=html.escape(row["state"]),
            form=_FORM if row["state"] == "PENDING" else "",
        )
    )


@app.get("/pay/{ref}", response_class=HTMLResponse)
def pay_page(ref: RefPath) -> Response:
    """The payer's page with the "Thanh toán" button."""
    row = _row(ref)
    if row is None:
        return HTMLResponse("<h1>Không tìm thấy giao dịch</h1>", status_code=404)
    return _page(row)


@app.post("/pay/{ref}")
async def pay_submit(ref: RefPath, request: Request) -> Response:
    """Pay or cancel; send the signed callback (R-PAY-07) and redirect to the merchant."""
    form = parse_qs((await request.body()).decode("utf-8"))
    action = (form.get("action") or ["pay"])[0]
    row = _row(ref)
    if row is None:
        return HTMLResponse("<h1>Không tìm thấy giao dịch</h1>", status_code=404)
    if row["state"] != "PENDING":
        return _page(row)
    paid = action == "pay"
    callback = c.Callback(
        MaLoi=c.MALOI_SUCCESS if paid else c.MALOI_CANCELLED,
        MaDoiTac=row["merchant"],
        MaThamChieu=ref,
        SoTien=row["amount"],
        MaTienTe=row["currency"],
        MaGiaoDich=f"PG{uuid.uuid4().hex[:16].upper()}",
        MaNganHang=row["bank"],
        ThoiGianGD=now_ts(),
        ThongTinGiaoDich=row["info"],
    )
    callback.MaXacThuc = c.callback_checksum(callback, secret())
    with ctx.db.transaction() as conn:
        conn.execute(
            "UPDATE tx SET state=?, ma_loi=?, ma_giao_dich=?, paid_ts=? WHERE ref=?",
            ("PAID" if paid else "CANCELLED", callback.MaLoi, callback.MaGiaoDich,
             callback.ThoiGianGD if paid else None, ref),
        )  # fmt: skip
    fields = callback.model_dump(mode="json")
    result = "no UrlThongBao"
    if row["notify_url"]:
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                sent = await client.post(row["notify_url"], json=fields)
            result = f"HTTP {sent.status_code}"
        except httpx.HTTPError as exc:
            result = f"failed: {type(exc).__name__}"
        ctx.stats[f"callback:{result.split(':')[0]}"] += 1
    with ctx.db.transaction() as conn:
        conn.execute("UPDATE tx SET callback_result=? WHERE ref=?", (result, ref))
    if row["return_url"]:
        sep = "&" if "?" in row["return_url"] else "?"
        query_string = urlencode({k: str(v) for k, v in fields.items()})
        return RedirectResponse(f"{row['return_url']}{sep}{query_string}", status_code=303)
    return _page(_row(ref))


@app.get("/_sim/transactions/{ref}", tags=["_sim"])
def transaction(ref: RefPath) -> JSONResponse:
    """A stored transaction with the result of its callback delivery."""
    row = _row(ref)
    if row is None:
        return JSONResponse(_err(c.ERR_NOT_FOUND, "Không tìm thấy giao dịch"), status_code=404)
    data = {k: row[k] for k in row.keys() if k != "request"}  # noqa: SIM118 - sqlite3.Row
    return JSONResponse({**data, "request": json.loads(row["request"])})
